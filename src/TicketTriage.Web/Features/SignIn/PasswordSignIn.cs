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

        if (user.LockoutEnd is { } end && end > now)
        {
            await AuditAsync(normalized, "signin.refused", user.Id, new { reason = "locked" }, cancellationToken);
            return new SignInOutcome(null, LockedMessage(end - now));
        }

        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            var locked = await CountFailureAsync(user.Id, now, cancellationToken);
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

        user.FailedSignInCount = 0;
        user.LockoutEnd = null;
        await AuditAsync(normalized, "signin.succeeded", user.Id, null, cancellationToken);
        return new SignInOutcome(CreatePrincipal(user), null);
    }

    /// <summary>
    /// Counts a failure in the database itself (an increment, not read-modify-write), so parallel guesses cannot
    /// overwrite each other's count; the attempt that reaches the limit sets the lockout. True when it did.
    /// </summary>
    private async Task<bool> CountFailureAsync(int userId, DateTime now, CancellationToken cancellationToken)
    {
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignInCount, u => u.FailedSignInCount + 1), cancellationToken);
        var lockoutEnd = now + LockoutDuration;
        var locked = await db.Users.Where(u => u.Id == userId && u.FailedSignInCount >= MaxFailures)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, lockoutEnd).SetProperty(u => u.FailedSignInCount, 0), cancellationToken);
        return locked > 0;
    }

    public static ClaimsPrincipal CreatePrincipal(User user) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new Claim(ClaimTypes.Name, string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email : user.DisplayName),
        new Claim(ClaimTypes.Email, user.Email),
        new Claim(ClaimTypes.Role, user.Role.ToString()),
    ], CookieAuthenticationDefaults.AuthenticationScheme));

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
