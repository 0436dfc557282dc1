namespace TicketTriage.Web.Domain;

/// <summary>Who did what to what, and when: sign-ins, user and key changes, bulk operations. Append-only.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }

    /// <summary>The user's email, <c>apikey:&lt;name&gt;</c>, or <c>system</c>.</summary>
    public string Actor { get; set; } = "";

    /// <summary>A dotted verb, e.g. <c>user.created</c>, <c>apikey.revoked</c>, <c>signin.failed</c>.</summary>
    public string Action { get; set; } = "";

    /// <summary>What was acted on, e.g. <c>user:3</c>, <c>ticket:1042</c>.</summary>
    public string? Target { get; set; }

    /// <summary>Anything else worth keeping, as a JSON object (text).</summary>
    public string? DetailsJson { get; set; }
}
