using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Data.Configurations;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Live;
using TicketTriage.Web.Features.Mail;

namespace TicketTriage.Web.Features.Tickets;

/// <summary>Who acts on a ticket: the signed-in user's id and display name (from the circuit's principal).</summary>
public sealed record Actor(int UserId, string Name);

/// <summary>
/// The ticket page's changes: reply (public or internal) and status. Called from the page's circuit, so there is
/// no form post and no antiforgery token to check: the circuit itself is the authenticated, same-origin channel.
/// Each change commits, then tells live pages (<see cref="TicketsChanged"/>). Validation messages are for people.
/// A public reply is mailed to the customer: its outbox row commits with it (Features/Mail).
/// </summary>
internal sealed class TicketReplies(IDbContextFactory<TriageDbContext> dbFactory, LiveEvents live, MailOutbox outbox, TimeProvider time)
{
    /// <summary>Null on success, else what to tell the agent.</summary>
    public async Task<string?> ReplyAsync(long ticketId, Actor actor, string? text, bool isInternal, CancellationToken cancellationToken)
    {
        var body = text?.Trim() ?? "";
        if (body.Length == 0)
        {
            return "Write something before sending.";
        }

        if (body.Length > Limits.Body)
        {
            return $"A message holds at most {Limits.Body:N0} characters; this one has {body.Length:N0}.";
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await db.Tickets.Include(t => t.Customer).SingleOrDefaultAsync(t => t.Id == ticketId, cancellationToken);
        if (ticket is null)
        {
            return "This ticket no longer exists.";
        }

        var now = time.GetUtcNow().UtcDateTime;
        var message = new TicketMessage
        {
            TicketId = ticketId,
            AuthorKind = MessageAuthorKind.Agent,
            AuthorUserId = actor.UserId,
            IsInternal = isInternal,
            Body = body,
            CreatedAt = now,
        };
        db.TicketMessages.Add(message);
        var mail = isInternal ? null : outbox.Compose(ticket, ticket.Customer, message, MailOutbox.ReplySubject(ticket), null, now);
        if (mail is not null)
        {
            db.OutboundMessages.Add(mail);
        }

        ticket.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        if (mail is not null)
        {
            outbox.Wake();
        }

        live.Publish(new TicketsChanged([ticketId]));
        return null;
    }

    /// <summary>Changes the status; the change joins the conversation as an internal system note. False when no ticket.</summary>
    public async Task<bool> ChangeStatusAsync(long ticketId, Actor actor, TicketStatus status, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await db.Tickets.SingleOrDefaultAsync(t => t.Id == ticketId, cancellationToken);
        if (ticket is null)
        {
            return false;
        }

        if (ticket.Status != status)
        {
            var now = time.GetUtcNow().UtcDateTime;
            // The change is part of the conversation, so the next agent sees who moved the ticket and when.
            db.TicketMessages.Add(new TicketMessage
            {
                TicketId = ticketId,
                AuthorKind = MessageAuthorKind.System,
                AuthorUserId = actor.UserId,
                IsInternal = true,
                Body = $"Status changed from {ticket.Status} to {status} by {actor.Name}.",
                CreatedAt = now,
            });
            ticket.Status = status;
            ticket.UpdatedAt = now;
            await db.SaveChangesAsync(cancellationToken);
            live.Publish(new TicketsChanged([ticketId]));
        }

        return true;
    }
}
