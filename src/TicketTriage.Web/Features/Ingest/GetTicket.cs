using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;

namespace TicketTriage.Web.Features.Ingest;

/// <summary><c>GET /api/tickets/{id}</c> (scope <c>read</c>): the ticket, its customer, triage fields and messages.</summary>
internal static class GetTicket
{
    public static RouteHandlerBuilder MapGetTicket(this IEndpointRouteBuilder api) =>
        api.MapGet("/tickets/{id:long}", HandleAsync)
            .WithName("GetTicket")
            .WithSummary("Read one ticket with its customer, triage fields and messages.");

    private static async Task<Results<Ok<TicketView>, NotFound>> HandleAsync(long id, TriageDbContext db, CancellationToken cancellationToken)
    {
        var ticket = await db.Tickets.AsNoTracking()
            .Include(t => t.Customer)
            .Include(t => t.Messages.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id))
            .AsSplitQuery()
            .SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (ticket is null)
        {
            return TypedResults.NotFound();
        }

        var c = ticket.Customer;
        return TypedResults.Ok(new TicketView(
            ticket.Id, ticket.Source, ticket.ExternalId, ticket.Channel, ticket.Subject, ticket.Body, ticket.Status.ToString(),
            ticket.CreatedAt, ticket.UpdatedAt, Json(ticket.AttributesJson),
            c is null ? null : new CustomerView(c.Id, c.Email, c.Username, c.Name, c.Plan, c.Tier, c.Server, c.Datacenter, c.Region, Json(c.AttributesJson)),
            ticket.AssigneeId,
            new TriageView(ticket.Category, ticket.CategoryConfidence, ticket.PatternId, ticket.PatternSimilarity, ticket.PriorityScore,
                Json(ticket.PriorityReasons), ticket.TriagedAt),
            [.. ticket.Messages.Select(m => new MessageView(m.Id, m.AuthorKind.ToString(), m.AuthorUserId, m.IsInternal, m.Body, m.CreatedAt))]));
    }

    private static JsonElement? Json(string? text) => text is null ? null : JsonDocument.Parse(text).RootElement.Clone();
}
