using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.ApiKeys;

namespace TicketTriage.Web.Features.People;

/// <summary>
/// First start: an admin and an API key, so a fresh install can be signed into and fed. From
/// <c>Bootstrap:AdminEmail</c> (default admin@example.com), <c>Bootstrap:AdminPassword</c> and <c>Bootstrap:ApiKey</c>
/// when given (environment or command line); otherwise generated and printed once to the console. With demo data on,
/// also agent@example.com and lead@example.com with the documented <see cref="DemoPassword"/>s.
/// </summary>
public sealed class BootstrapAccounts(
    IDbContextFactory<TriageDbContext> dbFactory,
    IPasswordHasher<User> hasher,
    ApiKeyService apiKeys,
    IConfiguration configuration,
    TimeProvider time)
{
    public const string DefaultAdminEmail = "admin@example.com";
    public const string BootstrapKeyName = "bootstrap";

    /// <summary>Demo accounts' passwords: documented in the README and printed at start-up. Demo data only.</summary>
    public static readonly IReadOnlyDictionary<string, (UserRole Role, string DisplayName, string Password)> DemoUsers =
        new Dictionary<string, (UserRole, string, string)>
        {
            ["agent@example.com"] = (UserRole.Agent, "Alex Agent", "agent-demo-password"),
            ["lead@example.com"] = (UserRole.Lead, "Lee Lead", "lead-demo-password"),
        };

    public static string DemoPassword(string email) => DemoUsers[email].Password;

    public async Task EnsureAsync(bool includeDemoUsers, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var lines = new List<string>();

        var adminEmail = (configuration["Bootstrap:AdminEmail"] ?? DefaultAdminEmail).Trim().ToLowerInvariant();
        if (!await db.Users.AnyAsync(u => u.Role == UserRole.Admin, cancellationToken))
        {
            var configured = configuration["Bootstrap:AdminPassword"];
            var password = string.IsNullOrEmpty(configured) ? RandomNumberGenerator.GetString("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20) : configured;
            var admin = new User { Email = adminEmail, DisplayName = "Administrator", Role = UserRole.Admin, CreatedAt = now };
            admin.PasswordHash = hasher.HashPassword(admin, password);
            db.Users.Add(admin);
            db.AuditEntries.Add(new AuditEntry { At = now, Actor = "system", Action = "user.bootstrapped", Target = $"user:{adminEmail}" });
            lines.Add(string.IsNullOrEmpty(configured)
                ? $"  Admin sign-in:  {adminEmail} / {password}   (generated; shown once — write it down)"
                : $"  Admin sign-in:  {adminEmail} / (the password from Bootstrap:AdminPassword)");
        }

        if (includeDemoUsers)
        {
            foreach (var (email, (role, displayName, password)) in DemoUsers)
            {
                if (!await db.Users.AnyAsync(u => u.Email == email, cancellationToken))
                {
                    var user = new User { Email = email, DisplayName = displayName, Role = role, CreatedAt = now };
                    user.PasswordHash = hasher.HashPassword(user, password);
                    db.Users.Add(user);
                }

                lines.Add($"  Demo {role,-6} sign-in: {email} / {password}");
            }
        }

        await db.SaveChangesAsync(cancellationToken);

        var scopes = BootstrapKeyScopes(configuration["Bootstrap:ApiKeyScopes"]);
        var scopeText = ScopeText(scopes);
        var configuredKey = configuration["Bootstrap:ApiKey"];
        if (!string.IsNullOrEmpty(configuredKey))
        {
            var (prefix, _) = ApiKeyService.TryParse(configuredKey) ?? throw new InvalidOperationException(
                "Bootstrap:ApiKey must read tt_<prefix>_<secret> (prefix 6-32, secret 16-128 letters or digits), e.g. tt_demo1234_0123456789abcdef0123.");
            // A configured key is added when its prefix is new, so a restart with the same setting is a no-op; a
            // revoked bootstrap key stays revoked.
            if (!await db.ApiKeys.AnyAsync(k => k.Prefix == prefix, cancellationToken))
            {
                await apiKeys.StoreAsync(BootstrapKeyName, scopes, configuredKey, "system", cancellationToken);
                lines.Add($"  API key:        (the key from Bootstrap:ApiKey, scopes {scopeText}, prefix {prefix})");
            }
        }
        else if (!await db.ApiKeys.AnyAsync(cancellationToken))
        {
            var created = await apiKeys.CreateAsync(BootstrapKeyName, scopes, "system", cancellationToken);
            lines.Add($"  API key:        {created.Plaintext}   (scopes {scopeText}; generated, shown once)");
        }

        if (lines.Count > 0)
        {
            // Printed straight to the console, not logged: a log level or sink must not hide a first sign-in.
            Console.WriteLine();
            // Only what this start created is "first-start"; on a restart the demo sign-ins are just a reminder.
            Console.WriteLine(lines.Any(l => !l.StartsWith("  Demo ", StringComparison.Ordinal))
                ? "TicketTriage first-start accounts:" : "TicketTriage demo sign-ins:");
            lines.ForEach(Console.WriteLine);
            Console.WriteLine();
        }
    }

    /// <summary><c>Bootstrap:ApiKeyScopes</c>, e.g. <c>ingest,read,reply</c>; default ingest and read.</summary>
    public static ApiKeyScopes BootstrapKeyScopes(string? setting)
    {
        if (string.IsNullOrWhiteSpace(setting))
        {
            return ApiKeyScopes.Ingest | ApiKeyScopes.Read;
        }

        var scopes = ApiKeyScopes.None;
        foreach (var name in setting.Split([',', ' ', '+'], StringSplitOptions.RemoveEmptyEntries))
        {
            scopes |= Enum.TryParse<ApiKeyScopes>(name, ignoreCase: true, out var scope) && scope != ApiKeyScopes.None && Enum.IsDefined(scope)
                ? scope
                : throw new InvalidOperationException($"Bootstrap:ApiKeyScopes: unknown scope '{name}' (use ingest, read, reply, comma-separated).");
        }

        return scopes;
    }

    private static string ScopeText(ApiKeyScopes scopes) => string.Join("+", Enum.GetValues<ApiKeyScopes>()
        .Where(s => s != ApiKeyScopes.None && scopes.HasFlag(s)).Select(s => s.ToString().ToLowerInvariant()));
}
