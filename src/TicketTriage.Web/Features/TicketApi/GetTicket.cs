using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Features.TicketApi;

/// <summary><c>GET /api/tickets/{id}</c> (scope <c>read</c>): the ticket, its customer, triage fields and messages.</summary>
internal static class GetTicket
{
    public static RouteHandlerBuilder MapGetTicket(this IEndpointRouteBuilder api) =>
        api.MapGet("/tickets/{id:long}", HandleAsync)
            .WithName("GetTicket")
            .WithSummary("Read one ticket with its customer, triage fields (null until triaged) and messages.")
            .Produces<TicketView>()
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<IResult> HandleAsync(long id, TriageDbContext db, CancellationToken cancellationToken)
    {
        var ticket = await db.Tickets.AsNoTracking()
            .Include(t => t.Customer)
            .Include(t => t.Messages.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id))
            .AsSplitQuery()
            .SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (ticket is null)
        {
            return ApiProblems.NotFound("ticket", id);
        }

        var c = ticket.Customer;
        return TypedResults.Ok(new TicketView(
            ticket.Id, ticket.Source, ticket.ExternalId, ticket.Channel, ticket.Subject, ticket.Body, ticket.Status.ToString(),
            ticket.CreatedAt, ticket.UpdatedAt, ticket.ReceivedAt, ApiJson.Parse(ticket.AttributesJson),
            c is null ? null : new CustomerView(c.Id, c.Email, c.Username, c.Name, c.Plan, c.Tier, c.Server, c.Datacenter, c.Region, ApiJson.Parse(c.AttributesJson)),
            ticket.AssigneeId,
            ticket.Category, ticket.CategoryConfidence, ticket.NeedsReview, ticket.PatternId, ticket.PatternSimilarity,
            ticket.PriorityScore, PriorityReasons(ticket), ticket.TriagedAt,
            [.. ticket.Messages.Select(m => new MessageView(m.Id, m.AuthorKind.ToString(), m.AuthorUserId, m.IsInternal, m.Body, m.CreatedAt))]));
    }

    internal static IReadOnlyList<string>? PriorityReasons(Ticket ticket) =>
        ticket.PriorityReasons is null ? null : JsonSerializer.Deserialize<List<string>>(ticket.PriorityReasons);
}

public sealed record TicketView(
    long Id,
    string Source,
    string ExternalId,
    string Channel,
    string Subject,
    string Body,
    string Status,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime ReceivedAt,
    JsonElement? Attributes,
    CustomerView? Customer,
    int? AssigneeId,
    string? Category,
    double? CategoryConfidence,
    bool? NeedsReview,
    long? PatternId,
    double? PatternSimilarity,
    double? Priority,
    IReadOnlyList<string>? PriorityReasons,
    DateTime? TriagedAt,
    List<MessageView> Messages);

public sealed record CustomerView(long Id, string Email, string? Username, string? Name, string? Plan, string? Tier, string? Server, string? Datacenter, string? Region, JsonElement? Attributes);

public sealed record MessageView(long Id, string AuthorKind, int? AuthorUserId, bool IsInternal, string Body, DateTime CreatedAt);
