using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Features.Tickets;

public sealed record ConversationEntry(long Id, MessageAuthorKind AuthorKind, string Author, bool IsInternal, string Body, DateTime CreatedAt);

public sealed record RelatedTicket(long Id, string Subject, TicketStatus Status, DateTime CreatedAt);

/// <summary>Everything the ticket page shows, read in a few queries with no tracking.</summary>
public sealed record TicketDetails(
    Ticket Ticket,
    Customer? Customer,
    IReadOnlyList<ConversationEntry> Conversation,
    IReadOnlyList<KeyValuePair<string, string>> TicketAttributes,
    IReadOnlyList<KeyValuePair<string, string>> CustomerAttributes,
    IReadOnlyList<RelatedTicket> OtherTickets);

/// <summary>Reads the ticket page's data; one DbContext per read (a singleton used from circuits).</summary>
internal sealed class TicketView(IDbContextFactory<TriageDbContext> dbFactory)
{
    public async Task<TicketDetails?> ReadAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await db.Tickets.AsNoTracking().Include(t => t.Customer).Include(t => t.Assignee)
            .SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (ticket is null)
        {
            return null;
        }

        var conversation = await ReadConversationAsync(db, ticket, cancellationToken);
        var others = ticket.CustomerId is { } customerId
            ? await db.Tickets.AsNoTracking().Where(t => t.CustomerId == customerId && t.Id != id)
                .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id).Take(10)
                .Select(t => new RelatedTicket(t.Id, t.Subject, t.Status, t.CreatedAt)).ToListAsync(cancellationToken)
            : [];
        return new TicketDetails(ticket, ticket.Customer, conversation, Attributes(ticket.AttributesJson),
            Attributes(ticket.Customer?.AttributesJson), others);
    }

    /// <summary>The opening message (the ticket body) followed by every message in time order.</summary>
    private static async Task<IReadOnlyList<ConversationEntry>> ReadConversationAsync(TriageDbContext db, Ticket ticket, CancellationToken cancellationToken)
    {
        var customer = ticket.Customer?.Name ?? ticket.Customer?.Email ?? "Customer";
        var messages = await db.TicketMessages.AsNoTracking().Where(m => m.TicketId == ticket.Id)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .Select(m => new ConversationEntry(m.Id, m.AuthorKind,
                m.AuthorKind == MessageAuthorKind.Agent ? (m.AuthorUser != null ? m.AuthorUser.DisplayName : "Agent")
                : m.AuthorKind == MessageAuthorKind.System ? "System" : customer,
                m.IsInternal, m.Body, m.CreatedAt))
            .ToListAsync(cancellationToken);
        return [new ConversationEntry(0, MessageAuthorKind.Customer, customer, false, ticket.Body, ticket.CreatedAt), .. messages];
    }

    /// <summary>A stored JSON object as display pairs; whatever the source sent, shown as text.</summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> Attributes(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return [];
            }

            return document.RootElement.EnumerateObject()
                .Select(p => KeyValuePair.Create(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText()))
                .ToList();
        }
        catch (JsonException)
        {
            return [KeyValuePair.Create("(unreadable)", json)];
        }
    }
}
