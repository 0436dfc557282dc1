namespace TicketTriage.Web.Domain;

/// <summary>
/// One "answer the whole pattern" send. Its recipients are fixed when it starts (<see cref="BulkReplyRecipient"/>, one
/// row per ticket, unique per operation), then worked off in chunks by the runner; each chunk writes the replies, the
/// outbox mails, the new statuses and the recipients' outcome in one transaction, so a crash resumes where it stopped
/// and no ticket is answered twice.
/// </summary>
public sealed class BulkReplyOperation
{
    public long Id { get; set; }
    public long PatternId { get; set; }

    /// <summary>The client's <c>Idempotency-Key</c> (or the composer's own): a repeated send returns this operation.</summary>
    public string? IdempotencyKey { get; set; }

    public string SubjectTemplate { get; set; } = "";
    public string BodyTemplate { get; set; } = "";

    /// <summary>The status every answered ticket gets; null leaves statuses alone.</summary>
    public TicketStatus? StatusAfter { get; set; }

    /// <summary>The exclusions asked for, as JSON (kept for the audit trail and the summary).</summary>
    public string ExclusionsJson { get; set; } = "{}";

    /// <summary>Tickets that join the pattern later get the same reply, until the pattern is resolved.</summary>
    public bool AutoReplyUntilResolved { get; set; }

    public BulkReplyState State { get; set; } = BulkReplyState.Running;
    public int Total { get; set; }
    public int Sent { get; set; }
    public int Skipped { get; set; }
    public int Failed { get; set; }
    public string? FailureReason { get; set; }

    /// <summary>A user's email or <c>apikey:&lt;name&gt;</c>.</summary>
    public string CreatedBy { get; set; } = "";

    /// <summary>The lead who sent it (the replies' author); null when an API key did.</summary>
    public int? CreatedByUserId { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public DateTime? UndoneAt { get; set; }
    public string? UndoneBy { get; set; }
}

public enum BulkReplyState
{
    Running,
    Done,
    Failed,
}

/// <summary>One ticket of a bulk reply: pending until the runner answers or skips it.</summary>
public sealed class BulkReplyRecipient
{
    public long Id { get; set; }
    public long OperationId { get; set; }
    public long TicketId { get; set; }
    public RecipientState State { get; set; }

    /// <summary>Why it was skipped or failed, in words for the summary.</summary>
    public string? Reason { get; set; }

    /// <summary>The ticket's status before the send changed it (what undo puts back).</summary>
    public TicketStatus? PreviousStatus { get; set; }

    public DateTime? ProcessedAt { get; set; }
}

public enum RecipientState
{
    Pending,
    Sent,
    Skipped,
    Failed,
}
