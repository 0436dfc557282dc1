using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Features.SignIn;

/// <summary>The outcome of a password check: a principal to sign in, or the message to show.</summary>
internal sealed record SignInOutcome(ClaimsPrincipal? Principal, string? Error)
{
    public bool Succeeded => Principal is not null;
}

/// <summary>
/// Checks an email and password against the stored <see cref="PasswordHasher{TUser}"/> hash. Five failures in a row
/// lock the account for 15 minutes (kept on the user row, so it holds across restarts and instances); disabled
/// accounts are refused. Every attempt is audited.
/// </summary>
internal sealed class PasswordSignIn(TriageDbContext db, IPasswordHasher<User> hasher, TimeProvider time, ILogger<PasswordSignIn> logger)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    public const string WrongCredentials = "The email or password is not right.";
    public const string DisabledAccount = "This account is disabled. Ask an administrator to enable it.";

    // Verifying against a real hash when the email is unknown keeps the answer time the same, so response times do
    // not tell which emails have accounts.
    private static readonly string UnknownUserHash = new PasswordHasher<User>().HashPassword(new User(), "not a password");

    public async Task<SignInOutcome> SignInAsync(string email, string password, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var normalized = email.Trim().ToLowerInvariant();
        var user = await db.Users.SingleOrDefaultAsync(u => u.Email == normalized, cancellationToken);
        if (user is null)
        {
            hasher.VerifyHashedPassword(new User(), UnknownUserHash, password);
            await AuditAsync(normalized, "signin.failed", null, new { reason = "unknown" }, cancellationToken);
            return new SignInOutcome(null, WrongCredentials);
        }

        // The attempt is counted BEFORE the password is checked, in one conditional UPDATE: of any number of parallel
        // guesses at most MaxFailures get a password check; the rest are refused as locked without one.
        if (!await TryReserveAttemptAsync(user.Id, now, cancellationToken))
        {
            // Attempts spent but no lockout set (their requests were aborted mid-check): lock now, for the usual time.
            await LockIfSpentAsync(user.Id, now, CancellationToken.None);
            var end = await db.Users.Where(u => u.Id == user.Id).Select(u => u.LockoutEnd).SingleAsync(cancellationToken);
            await AuditAsync(normalized, "signin.refused", user.Id, new { reason = "locked" }, cancellationToken);
            return new SignInOutcome(null, LockedMessage(end is { } e && e > now ? e - now : LockoutDuration));
        }

        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            // Not cancelled by the client from here on: a reserved attempt must end as a failure or a lockout.
            var locked = await LockIfSpentAsync(user.Id, now, CancellationToken.None);
            if (locked)
            {
                logger.LogWarning("User {UserId} locked out after {Failures} failed sign-ins", user.Id, MaxFailures);
            }

            await AuditAsync(normalized, locked ? "signin.lockedout" : "signin.failed", user.Id, new { reason = "password" }, cancellationToken);
            return new SignInOutcome(null, locked ? LockedMessage(LockoutDuration) : WrongCredentials);
        }

        // Checked only after the password: a stranger learns nothing about the account's state.
        if (user.Disabled)
        {
            await AuditAsync(normalized, "signin.refused", user.Id, new { reason = "disabled" }, cancellationToken);
            return new SignInOutcome(null, DisabledAccount);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
        }

        // The tracked row still holds the count read before the reservation: reset it in the database itself.
        await db.Users.Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignInCount, 0).SetProperty(u => u.LockoutEnd, (DateTime?)null), CancellationToken.None);
        await AuditAsync(normalized, "signin.succeeded", user.Id, null, cancellationToken);
        return new SignInOutcome(CreatePrincipal(user), null);
    }

    /// <summary>
    /// Takes one of the <see cref="MaxFailures"/> attempts: an increment that succeeds only while the account is not
    /// locked and attempts are left, decided by the database (one row, one statement), so parallel requests cannot all
    /// pass a check that was read before any of them counted. False: locked (or about to be), no password check.
    /// </summary>
    private async Task<bool> TryReserveAttemptAsync(int userId, DateTime now, CancellationToken cancellationToken) =>
        await db.Users.Where(u => u.Id == userId && u.FailedSignInCount < MaxFailures && (u.LockoutEnd == null || u.LockoutEnd <= now))
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignInCount, u => u.FailedSignInCount + 1), cancellationToken) == 1;

    /// <summary>After a wrong password: the attempt stays counted; the one that spent the last attempt sets the lockout.</summary>
    private async Task<bool> LockIfSpentAsync(int userId, DateTime now, CancellationToken cancellationToken)
    {
        var lockoutEnd = now + LockoutDuration;
        var locked = await db.Users.Where(u => u.Id == userId && u.FailedSignInCount >= MaxFailures && (u.LockoutEnd == null || u.LockoutEnd <= now))
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, lockoutEnd).SetProperty(u => u.FailedSignInCount, 0), cancellationToken);
        return locked > 0;
    }

    /// <summary>The claim holding the user's <see cref="User.SecurityStamp"/> when the cookie was issued.</summary>
    public const string StampClaim = "tt.stamp";

    public static ClaimsPrincipal CreatePrincipal(User user) =>
        CreatePrincipal(new SessionUser(user.Id, user.Email, user.DisplayName, user.Role, user.Disabled, user.SecurityStamp));

    public static ClaimsPrincipal CreatePrincipal(SessionUser user) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new Claim(ClaimTypes.Name, DisplayName(user.Email, user.DisplayName)),
        new Claim(ClaimTypes.Email, user.Email),
        new Claim(ClaimTypes.Role, user.Role.ToString()),
        new Claim(StampClaim, user.SecurityStamp),
    ], CookieAuthenticationDefaults.AuthenticationScheme));

    public static string DisplayName(string email, string displayName) => string.IsNullOrWhiteSpace(displayName) ? email : displayName;

    private static string LockedMessage(TimeSpan remaining) =>
        $"Too many failed sign-ins: this account is locked for {Math.Max(1, (int)Math.Ceiling(remaining.TotalMinutes))} more minute(s).";

    private async Task AuditAsync(string email, string action, int? userId, object? details, CancellationToken cancellationToken)
    {
        db.AuditEntries.Add(new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            Actor = email,
            Action = action,
            Target = userId is null ? null : $"user:{userId}",
            DetailsJson = details is null ? null : JsonSerializer.Serialize(details),
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
