using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Features.ApiKeys;

/// <summary>An API key shown once, at creation: only its hash is kept.</summary>
public sealed record CreatedApiKey(int Id, string Plaintext);

public sealed record ApiKeySummary(int Id, string Name, string Prefix, ApiKeyScopes Scopes, DateTime CreatedAt, DateTime? RevokedAt);

/// <summary>Who a valid key belongs to and what it may do.</summary>
public sealed record ApiKeyIdentity(int Id, string Name, ApiKeyScopes Scopes);

/// <summary>
/// Creates, lists, revokes and validates API keys. A key reads <c>tt_&lt;prefix&gt;_&lt;secret&gt;</c>: the prefix
/// finds the row, the SHA-256 of the secret must match the stored hash (compared in constant time).
/// </summary>
/// <remarks>
/// Validation is on every ingest request, so a valid key is cached for <see cref="CacheFor"/>. Revoking through this
/// service drops the cache at once; another app instance sharing the database notices within that time.
/// </remarks>
public sealed class ApiKeyService(IDbContextFactory<TriageDbContext> dbFactory, TimeProvider time)
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (ApiKeyIdentity Identity, long ExpiresAt)> _valid = new(StringComparer.Ordinal);

    public async Task<CreatedApiKey> CreateAsync(string name, ApiKeyScopes scopes, string actor = "system", CancellationToken cancellationToken = default)
    {
        var plaintext = $"tt_{RandomNumberGenerator.GetString(Alphabet, 10)}_{RandomNumberGenerator.GetString(Alphabet, 32)}";
        var id = await StoreAsync(name, scopes, plaintext, actor, cancellationToken);
        return new CreatedApiKey(id, plaintext);
    }

    /// <summary>Stores a key whose plaintext was chosen elsewhere (the <c>Bootstrap:ApiKey</c> setting).</summary>
    public async Task<int> StoreAsync(string name, ApiKeyScopes scopes, string plaintext, string actor, CancellationToken cancellationToken = default)
    {
        var (prefix, secret) = TryParse(plaintext) ?? throw new ArgumentException(
            "An API key must read tt_<prefix>_<secret>: a prefix of 6-32 and a secret of 16-128 letters or digits.", nameof(plaintext));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = new ApiKey
        {
            Name = name.Trim(),
            Prefix = prefix,
            SecretHash = Hash(secret),
            Scopes = scopes,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        db.AuditEntries.Add(Audit(actor, "apikey.created", key.Id, new { key.Name, key.Prefix, Scopes = key.Scopes.ToString() }));
        await db.SaveChangesAsync(cancellationToken);
        return key.Id;
    }

    /// <summary>Revokes a key for good; false when there is no such key or it was already revoked.</summary>
    public async Task<bool> RevokeAsync(int id, string actor = "system", CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null || key.RevokedAt is not null)
        {
            return false;
        }

        key.RevokedAt = time.GetUtcNow().UtcDateTime;
        db.AuditEntries.Add(Audit(actor, "apikey.revoked", key.Id, new { key.Name, key.Prefix }));
        await db.SaveChangesAsync(cancellationToken);
        _valid.Clear();
        return true;
    }

    public async Task<IReadOnlyList<ApiKeySummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ApiKeys.AsNoTracking().OrderBy(k => k.Id)
            .Select(k => new ApiKeySummary(k.Id, k.Name, k.Prefix, k.Scopes, k.CreatedAt, k.RevokedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The key's identity, or null when the key is malformed, unknown, wrong or revoked.</summary>
    public async ValueTask<ApiKeyIdentity?> ValidateAsync(string presented, CancellationToken cancellationToken = default)
    {
        var now = time.GetTimestamp();
        if (_valid.TryGetValue(presented, out var cached) && cached.ExpiresAt > now)
        {
            return cached.Identity;
        }

        if (TryParse(presented) is not var (prefix, secret))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Prefix == prefix, cancellationToken);
        if (key is null || key.RevokedAt is not null
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(key.SecretHash)))
        {
            return null;
        }

        var identity = new ApiKeyIdentity(key.Id, key.Name, key.Scopes);
        // Only valid keys are cached: a flood of wrong keys must not grow memory.
        _valid[presented] = (identity, now + (long)(CacheFor.TotalSeconds * time.TimestampFrequency));
        return identity;
    }

    public static (string Prefix, string Secret)? TryParse(string? key)
    {
        var parts = key?.Split('_');
        if (parts is not ["tt", var prefix, var secret]
            || prefix.Length is < 6 or > 32 || secret.Length is < 16 or > 128
            || !prefix.All(char.IsAsciiLetterOrDigit) || !secret.All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }

        return (prefix, secret);
    }

    internal static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private AuditEntry Audit(string actor, string action, int keyId, object details) => new()
    {
        At = time.GetUtcNow().UtcDateTime,
        Actor = actor,
        Action = action,
        Target = $"apikey:{keyId}",
        DetailsJson = JsonSerializer.Serialize(details),
    };
}
