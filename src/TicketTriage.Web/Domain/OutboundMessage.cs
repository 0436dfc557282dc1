namespace TicketTriage.Web.Domain;

/// <summary>
/// A mail waiting in the outbox or already handed to the mail transport. Written in the same transaction as the
/// public reply it carries (<see cref="TicketMessageId"/>), so a reply is never stored without its mail nor mailed
/// without being stored; the dispatcher (Features/Mail/OutboxDispatcher.cs) sends it with retries and backoff.
/// </summary>
public sealed class OutboundMessage
{
    public long Id { get; set; }

    public long TicketId { get; set; }

    /// <summary>The reply this mail delivers; unique: one mail per reply.</summary>
    public long TicketMessageId { get; set; }
    public TicketMessage? TicketMessage { get; set; }

    /// <summary>Set when a bulk reply wrote it.</summary>
    public long? BulkReplyOperationId { get; set; }

    public string ToAddress { get; set; } = "";
    public string? ToName { get; set; }
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";

    /// <summary>The Message-Id header (without angle brackets), fixed when queued so a retry sends the same message.</summary>
    public string MessageId { get; set; } = "";

    public DeliveryState State { get; set; } = DeliveryState.Queued;
    public int Attempts { get; set; }

    /// <summary>Not before this time (UTC): the backoff after a failed attempt.</summary>
    public DateTime NextAttemptAt { get; set; }

    public string? LastError { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? SentAt { get; set; }
}

public enum DeliveryState
{
    /// <summary>Waiting for the dispatcher (first attempt or a retry after a backoff).</summary>
    Queued,

    /// <summary>Accepted by the SMTP server or written to the pickup folder.</summary>
    Sent,

    /// <summary>Given up after the last attempt, or refused permanently.</summary>
    Failed,

    /// <summary>Withdrawn before it left (a bulk reply was undone).</summary>
    Cancelled,
}
