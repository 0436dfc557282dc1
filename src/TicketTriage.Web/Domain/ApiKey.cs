namespace TicketTriage.Web.Domain;

/// <summary>
/// A key for the HTTP API, shown once as <c>tt_&lt;prefix&gt;_&lt;secret&gt;</c>. Only the prefix (for lookup) and the
/// SHA-256 of the secret are stored: the secret is 32 random bytes, so a fast hash is enough (no password stretching).
/// </summary>
public sealed class ApiKey
{
    public int Id { get; set; }
    public string Name { get; set; } = "";

    /// <summary>Random, unique, not secret: finds the row without scanning.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the secret part.</summary>
    public string SecretHash { get; set; } = "";

    public ApiKeyScopes Scopes { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }

    public bool IsRevoked => RevokedAt is not null;
}

[Flags]
public enum ApiKeyScopes
{
    None = 0,
    Ingest = 1,
    Read = 2,

    /// <summary>Bulk replies to a pattern's customers (<c>POST /api/patterns/{id}/bulk-replies</c>).</summary>
    Reply = 4,
}
