namespace TicketTriage.Web.Domain;

/// <summary>
/// One support request. <see cref="Body"/> is the customer's opening message; replies and internal notes that follow
/// are <see cref="TicketMessage"/>s. (Source, ExternalId) is unique: the ingest API is idempotent on it.
/// The triage fields stay null until the triage engine has scored the ticket (<see cref="TriagedAt"/> set last).
/// </summary>
public sealed class Ticket
{
    public long Id { get; set; }

    /// <summary>Where the ticket came from: an integration name (helpdesk, email-gateway, import, …).</summary>
    public string Source { get; set; } = "";

    /// <summary>The ticket's id in its source; with <see cref="Source"/> the idempotency key.</summary>
    public string ExternalId { get; set; } = "";

    /// <summary>email, web, chat, phone, api, …</summary>
    public string Channel { get; set; } = "";

    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    public TicketStatus Status { get; set; } = TicketStatus.New;

    /// <summary>When the customer raised it (the source's time when given, else arrival), UTC.</summary>
    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>When the app committed it (arrival), UTC. Triage lag is measured from here to <see cref="TriagedAt"/>.</summary>
    public DateTime ReceivedAt { get; set; }

    /// <summary>Ticket-level attributes the source sent (product, version, url, …) as a JSON object (text).</summary>
    public string? AttributesJson { get; set; }

    public long? CustomerId { get; set; }
    public Customer? Customer { get; set; }

    public int? AssigneeId { get; set; }
    public User? Assignee { get; set; }

    // Triage: written by the triage engine, null until then.
    public string? Category { get; set; }
    public double? CategoryConfidence { get; set; }

    /// <summary>The classifier abstained (confidence under its threshold): an agent should pick the category.</summary>
    public bool? NeedsReview { get; set; }

    public long? PatternId { get; set; }
    public double? PatternSimilarity { get; set; }
    public double? PriorityScore { get; set; }

    /// <summary>Why the priority score is what it is, as a JSON array of short reasons.</summary>
    public string? PriorityReasons { get; set; }

    public DateTime? TriagedAt { get; set; }

    public List<TicketMessage> Messages { get; set; } = [];
}

public enum TicketStatus
{
    New,
    Open,
    Pending,
    Solved,
    Closed,
}
