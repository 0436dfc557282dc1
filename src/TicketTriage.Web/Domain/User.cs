namespace TicketTriage.Web.Domain;

/// <summary>A staff member who signs in: agents work queues, leads also manage patterns, admins manage people and keys.</summary>
public sealed class User
{
    public int Id { get; set; }

    /// <summary>Lower-cased; the sign-in name.</summary>
    public string Email { get; set; } = "";

    public string DisplayName { get; set; } = "";

    /// <summary>ASP.NET Core Identity's <c>PasswordHasher&lt;User&gt;</c> format (PBKDF2, versioned).</summary>
    public string PasswordHash { get; set; } = "";

    public UserRole Role { get; set; } = UserRole.Agent;
    public bool Disabled { get; set; }

    /// <summary>Consecutive failed sign-ins; reset on success. Reaching the limit sets <see cref="LockoutEnd"/>.</summary>
    public int FailedSignInCount { get; set; }

    public DateTime? LockoutEnd { get; set; }

    /// <summary>
    /// Copied into the sign-in cookie and compared on every request: sign-out, disabling and a password change
    /// replace it, which ends every session signed in before (Features/SignIn/SessionStamps.cs). Empty until first replaced.
    /// </summary>
    public string SecurityStamp { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

/// <summary>Roles are ordered: each includes what the ones before it may do.</summary>
public enum UserRole
{
    Agent,
    Lead,
    Admin,
}
