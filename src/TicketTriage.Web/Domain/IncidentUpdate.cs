namespace TicketTriage.Web.Domain;

/// <summary>
/// What a lead tells the public about a confirmed pattern: shown on <c>/status</c> and in its feed, newest first.
/// Only these words and the components a lead names are public; ticket text never is.
/// </summary>
public sealed class IncidentUpdate
{
    public long Id { get; set; }
    public long PatternId { get; set; }

    /// <summary>The incident's public title from this update on.</summary>
    public string Title { get; set; } = "";

    public IncidentState State { get; set; }
    public string Body { get; set; } = "";

    /// <summary>Affected components or regions, comma-separated as the lead wrote them (e.g. "node-209, ams1").</summary>
    public string? Components { get; set; }

    /// <summary>The bulk reply that also took this update to the pattern's customers, if one did.</summary>
    public long? BulkReplyOperationId { get; set; }

    public string CreatedBy { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

public enum IncidentState
{
    Investigating,
    Identified,
    Monitoring,
    Resolved,
}
