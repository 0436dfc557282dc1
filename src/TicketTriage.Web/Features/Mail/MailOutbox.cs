using System.Threading.Channels;
using Microsoft.Extensions.Options;
using MimeKit;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Features.Mail;

/// <summary>
/// Puts replies into the outbox (the caller's transaction commits the reply and its mail together) and turns an
/// outbox row into a MIME message. Threading: every mail of a ticket names the ticket's root id
/// <c>&lt;ticket-{id}@domain&gt;</c> in <c>In-Reply-To</c>/<c>References</c> and carries <c>X-TicketTriage-Ticket</c>,
/// so a customer's answer can be matched back to its ticket by either.
/// </summary>
public sealed class MailOutbox(IOptions<MailOptions> options)
{
    public const string TicketHeader = "X-TicketTriage-Ticket";

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>A mail for <paramref name="reply"/> (added to the same context as the reply), or null without an address.</summary>
    public OutboundMessage? Compose(Ticket ticket, Customer? customer, TicketMessage reply, string subject, long? bulkReplyOperationId, DateTime now)
    {
        if (customer is null || string.IsNullOrWhiteSpace(customer.Email))
        {
            return null;
        }

        return new OutboundMessage
        {
            TicketId = ticket.Id,
            TicketMessage = reply,
            BulkReplyOperationId = bulkReplyOperationId,
            ToAddress = customer.Email,
            ToName = customer.Name,
            Subject = subject.Length > Data.Configurations.Limits.Subject ? subject[..Data.Configurations.Limits.Subject] : subject,
            Body = reply.Body,
            MessageId = $"ticket-{ticket.Id}.{Guid.NewGuid():N}@{options.Value.IdDomain}",
            State = DeliveryState.Queued,
            NextAttemptAt = now,
            CreatedAt = now,
        };
    }

    /// <summary>The subject of a reply to a single ticket.</summary>
    public static string ReplySubject(Ticket ticket) => $"Re: {ticket.Subject} [#{ticket.Id}]";

    /// <summary>Tells the dispatcher that mail is waiting (after the commit); never blocks.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    internal ValueTask<bool> WaitAsync(CancellationToken cancellationToken) => _wake.Reader.WaitToReadAsync(cancellationToken);

    internal void ClearWake() => _wake.Reader.TryRead(out _);

    public MimeMessage ToMime(OutboundMessage message)
    {
        var o = options.Value;
        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(o.FromName, o.From));
        mime.To.Add(new MailboxAddress(message.ToName ?? "", message.ToAddress));
        mime.Subject = message.Subject;
        mime.MessageId = message.MessageId;
        mime.Date = message.CreatedAt;
        var root = ThreadRoot(message.TicketId);
        mime.InReplyTo = root;
        mime.References.Add(root);
        mime.Headers.Add(TicketHeader, message.TicketId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        mime.Body = new TextPart("plain") { Text = message.Body };
        return mime;
    }

    public string ThreadRoot(long ticketId) => $"ticket-{ticketId}@{options.Value.IdDomain}";
}
