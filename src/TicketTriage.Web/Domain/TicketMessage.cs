namespace TicketTriage.Web.Domain;

/// <summary>A message on a ticket after its opening body: a customer follow-up, an agent reply or note, a system event.</summary>
public sealed class TicketMessage
{
    public long Id { get; set; }

    public long TicketId { get; set; }
    public Ticket? Ticket { get; set; }

    public MessageAuthorKind AuthorKind { get; set; }

    /// <summary>The agent who wrote it; null for customer and system messages.</summary>
    public int? AuthorUserId { get; set; }
    public User? AuthorUser { get; set; }

    /// <summary>Internal notes are seen by staff only; public messages go (later) to the customer.</summary>
    public bool IsInternal { get; set; }

    public string Body { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

public enum MessageAuthorKind
{
    Customer,
    Agent,
    System,
}
