using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Features.SignIn;

/// <summary>
/// A signed-in user changes their own password: the current one is checked, the new one needs
/// <see cref="MinLength"/> characters. The stamp is replaced in the same save, so every other session of the user
/// (a stolen cookie included) ends at once; the page signs the current browser in again with the new stamp.
/// </summary>
internal sealed class PasswordChange(TriageDbContext db, IPasswordHasher<User> hasher, TimeProvider time, SessionStamps stamps)
{
    public const int MinLength = 12;

    /// <summary>The changed user, or the message to show.</summary>
    public async Task<(User? User, string? Error)> ChangeAsync(int userId, string current, string next, CancellationToken cancellationToken)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId && !u.Disabled, cancellationToken);
        if (user is null)
        {
            return (null, "Your account is not available.");
        }

        if (hasher.VerifyHashedPassword(user, user.PasswordHash, current) == PasswordVerificationResult.Failed)
        {
            return (null, "The current password is not right.");
        }

        if (next.Length < MinLength)
        {
            return (null, $"The new password needs at least {MinLength} characters.");
        }

        user.PasswordHash = hasher.HashPassword(user, next);
        user.SecurityStamp = SessionStamps.NewStamp();
        db.AuditEntries.Add(new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            Actor = user.Email,
            Action = "user.password_changed",
            Target = $"user:{user.Id}",
            DetailsJson = JsonSerializer.Serialize(new { sessionsEnded = true }),
        });
        await db.SaveChangesAsync(CancellationToken.None);
        stamps.Forget(user.Id);
        return (user, null);
    }
}
