using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Features.SignIn;

/// <summary>What a session is checked against on every request: the user row's sign-in relevant fields.</summary>
internal sealed record SessionUser(int Id, string Email, string DisplayName, UserRole Role, bool Disabled, string SecurityStamp);

/// <summary>
/// The server side of a session. A sign-in cookie carries the user's <see cref="User.SecurityStamp"/>; every request
/// compares it with the current one (<see cref="SignInCookieEvents"/>). Sign-out, disabling and a password change
/// replace the stamp (<see cref="RotateAsync"/>), so every cookie issued before stops working on the next request —
/// a cookie copied before sign-out is worth nothing after it.
/// </summary>
/// <remarks>
/// <para>Cheap per request: the rows are cached in memory per user. Changes made through this app evict the entry at
/// once (<see cref="Forget"/>); a change made elsewhere (another instance, SQL by hand) is seen within
/// <see cref="RecheckAfter"/>, when the entry is read again. SessionEndTests counts it: a hundred requests, at most one read.</para>
/// <para>A load that raced with an eviction must not put the old row back: each user has a generation, bumped by
/// every eviction, and a load is cached only if the generation did not move while it ran.</para>
/// </remarks>
internal sealed class SessionStamps(IDbContextFactory<TriageDbContext> dbFactory, TimeProvider time)
{
    /// <summary>How long a cached row is trusted when nothing in this process changed it.</summary>
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<int, (SessionUser? User, DateTimeOffset LoadedAt)> _cache = new();
    private readonly ConcurrentDictionary<int, long> _generations = new();
    private long _loads;

    /// <summary>Database reads so far (tests and the benchmark count them).</summary>
    public long Loads => Interlocked.Read(ref _loads);

    /// <summary>The user's current row, from the cache when it is fresh; null when the user does not exist.</summary>
    public async ValueTask<SessionUser?> GetAsync(int userId, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(userId, out var entry) && time.GetUtcNow() - entry.LoadedAt < RecheckAfter)
        {
            return entry.User;
        }

        var generation = _generations.GetValueOrDefault(userId);
        Interlocked.Increment(ref _loads);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new SessionUser(u.Id, u.Email, u.DisplayName, u.Role, u.Disabled, u.SecurityStamp))
            .SingleOrDefaultAsync(cancellationToken);
        if (_generations.GetValueOrDefault(userId) == generation)
        {
            _cache[userId] = (user, time.GetUtcNow());
        }

        return user;
    }

    /// <summary>A new random stamp, for a user row about to be saved (disable, password change).</summary>
    public static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>Replaces the user's stamp in the database and evicts the cached row: every existing session ends.</summary>
    public async Task<string> RotateAsync(int userId, CancellationToken cancellationToken)
    {
        var stamp = NewStamp();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.SecurityStamp, stamp), cancellationToken);
        Forget(userId);
        return stamp;
    }

    /// <summary>Drops the cached row after the user changed in the database (role, disabled, stamp).</summary>
    public void Forget(int userId)
    {
        _generations.AddOrUpdate(userId, 1, (_, g) => g + 1);
        _cache.TryRemove(userId, out _);
    }
}
