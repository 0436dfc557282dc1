using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.SignIn;

namespace TicketTriage.Web.Features.Admin;

public sealed record UserRow(int Id, string Email, string DisplayName, UserRole Role, bool Disabled, DateTime? LockoutEnd, DateTime CreatedAt);

/// <summary>
/// The outcome of an admin change, as a code from <see cref="Messages"/>. Row actions redirect with the code in the
/// query string; pages show only known codes, so a crafted link cannot put its own words on an admin page.
/// </summary>
public sealed record AdminResult(string Code)
{
    public static readonly IReadOnlyDictionary<string, (bool Ok, string Text)> Messages = new Dictionary<string, (bool, string)>
    {
        ["created"] = (true, "User created."),
        ["role-changed"] = (true, "Role changed."),
        ["disabled"] = (true, "User disabled: their sessions have ended."),
        ["enabled"] = (true, "User enabled."),
        ["revoked"] = (true, "Key revoked: it stops working within 30 seconds on every instance."),
        ["unchanged"] = (true, "Nothing to change."),
        ["no-user"] = (false, "No such user."),
        ["no-key"] = (false, "No such key, or revoked already."),
        ["bad-role"] = (false, "Unknown role."),
        ["exists"] = (false, "A user with that email exists already."),
        ["short-password"] = (false, $"The password needs at least {UserAdministration.MinPasswordLength} characters."),
        ["last-admin"] = (false, "That is the last enabled admin: make someone else admin first."),
    };

    public bool Succeeded => Messages.TryGetValue(Code, out var m) && m.Ok;
    public string Text => Messages.TryGetValue(Code, out var m) ? m.Text : "";
}

/// <summary>
/// Users: create, change role, disable and enable. Every change writes an <see cref="AuditEntry"/> in the same
/// transaction. The last enabled admin can be neither demoted nor disabled, so the app cannot lock itself out.
/// </summary>
internal sealed class UserAdministration(TriageDbContext db, IPasswordHasher<User> hasher, TimeProvider time, SessionStamps stamps)
{
    public const int MinPasswordLength = 12;

    public Task<List<UserRow>> ListAsync(CancellationToken cancellationToken) =>
        db.Users.AsNoTracking().OrderBy(u => u.Email)
            .Select(u => new UserRow(u.Id, u.Email, u.DisplayName, u.Role, u.Disabled, u.LockoutEnd, u.CreatedAt))
            .ToListAsync(cancellationToken);

    public async Task<AdminResult> CreateAsync(string email, string displayName, UserRole role, string password, string actor, CancellationToken cancellationToken)
    {
        var normalized = email.Trim().ToLowerInvariant();
        if (password.Length < MinPasswordLength)
        {
            return new AdminResult("short-password");
        }

        if (await db.Users.AnyAsync(u => u.Email == normalized, cancellationToken))
        {
            return new AdminResult("exists");
        }

        var user = new User
        {
            Email = normalized,
            DisplayName = displayName.Trim(),
            Role = role,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        user.PasswordHash = hasher.HashPassword(user, password);
        // The audit entry names the new id, so the user is saved first; one transaction keeps both or neither.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        await AuditAsync(actor, "user.created", user.Id, new { user.Email, Role = role.ToString() }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AdminResult("created");
    }

    public async Task<AdminResult> ChangeRoleAsync(int id, UserRole role, string actor, CancellationToken cancellationToken)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return new AdminResult("no-user");
        }

        if (user.Role == role)
        {
            return new AdminResult("unchanged");
        }

        if (user.Role == UserRole.Admin && await IsLastEnabledAdminAsync(user, cancellationToken))
        {
            return new AdminResult("last-admin");
        }

        var from = user.Role;
        user.Role = role;
        await AuditAsync(actor, "user.role_changed", user.Id, new { user.Email, From = from.ToString(), To = role.ToString() }, cancellationToken);
        stamps.Forget(user.Id);
        return new AdminResult("role-changed");
    }

    public async Task<AdminResult> SetDisabledAsync(int id, bool disabled, string actor, CancellationToken cancellationToken)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return new AdminResult("no-user");
        }

        if (user.Disabled == disabled)
        {
            return new AdminResult("unchanged");
        }

        if (disabled && user.Role == UserRole.Admin && await IsLastEnabledAdminAsync(user, cancellationToken))
        {
            return new AdminResult("last-admin");
        }

        user.Disabled = disabled;
        if (disabled)
        {
            // Ends every session at once, and a later enable does not bring the old cookies back.
            user.SecurityStamp = SessionStamps.NewStamp();
        }
        else
        {
            // Enabling also lifts a lockout: the admin has vouched for the person.
            user.LockoutEnd = null;
            user.FailedSignInCount = 0;
        }

        await AuditAsync(actor, disabled ? "user.disabled" : "user.enabled", user.Id, new { user.Email }, cancellationToken);
        stamps.Forget(user.Id);
        return new AdminResult(disabled ? "disabled" : "enabled");
    }

    // NOTE: check-then-act: two admins demoting each other at the same moment could both pass. Rare enough for an
    // admin page; Bootstrap:AdminPassword recovers a locked-out install.
    private Task<bool> IsLastEnabledAdminAsync(User user, CancellationToken cancellationToken) =>
        db.Users.AllAsync(u => u.Id == user.Id || u.Role != UserRole.Admin || u.Disabled, cancellationToken);

    /// <summary>Adds the entry and saves: the change and its audit commit together.</summary>
    private async Task AuditAsync(string actor, string action, int userId, object details, CancellationToken cancellationToken)
    {
        db.AuditEntries.Add(new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            Actor = actor,
            Action = action,
            Target = $"user:{userId}",
            DetailsJson = JsonSerializer.Serialize(details),
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
