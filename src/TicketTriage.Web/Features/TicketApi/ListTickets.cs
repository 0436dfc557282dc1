using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Features.TicketApi;

/// <summary>
/// <c>GET /api/tickets?source=&amp;externalId=&amp;status=&amp;patternId=&amp;since=&amp;cursor=&amp;limit=</c> (scope
/// <c>read</c>): tickets by id, oldest first, keyset-paged on the id. Integrators look their own tickets up by
/// (source, externalId), which the unique index answers directly.
/// </summary>
internal static class ListTickets
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static RouteHandlerBuilder MapListTickets(this IEndpointRouteBuilder api) =>
        api.MapGet("/tickets", HandleAsync)
            .WithName("ListTickets")
            .WithSummary("List tickets (paged by id), filtered by source, externalId, status, patternId or arrival since.")
            .Produces<Page<TicketSummary>>()
            .ProducesValidationProblem();

    private static async Task<IResult> HandleAsync(
        TriageDbContext db, string? source, string? externalId, string? status, string? patternId, string? since, string? cursor, string? limit,
        CancellationToken cancellationToken)
    {
        var q = new QueryErrors();
        var statusValue = q.Enum<TicketStatus>("status", status);
        var pattern = q.Id("patternId", patternId);
        var sinceValue = q.Time("since", since);
        var after = q.Id("cursor", cursor);
        var take = q.Limit(limit, DefaultLimit, MaxLimit);
        if (q.Any)
        {
            return ApiProblems.BadQuery(q.Errors);
        }

        var query = db.Tickets.AsNoTracking();
        if (!string.IsNullOrEmpty(source))
        {
            query = query.Where(t => t.Source == source);
        }

        if (!string.IsNullOrEmpty(externalId))
        {
            query = query.Where(t => t.ExternalId == externalId);
        }

        if (statusValue is { } s)
        {
            query = query.Where(t => t.Status == s);
        }

        if (pattern is { } p)
        {
            query = query.Where(t => t.PatternId == p);
        }

        if (sinceValue is { } from)
        {
            query = query.Where(t => t.ReceivedAt >= from);
        }

        if (after is { } a)
        {
            query = query.Where(t => t.Id > a);
        }

        var rows = await query.OrderBy(t => t.Id).Take(take + 1)
            .Select(t => new TicketSummary(t.Id, t.Source, t.ExternalId, t.Subject, t.Status.ToString(), t.CreatedAt, t.ReceivedAt,
                t.Category, t.CategoryConfidence, t.NeedsReview, t.PatternId, t.PatternSimilarity, t.PriorityScore, t.TriagedAt))
            .ToListAsync(cancellationToken);
        var next = rows.Count > take ? rows[take - 1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new Page<TicketSummary>(rows.Count > take ? rows[..take] : rows, next));
    }
}

public sealed record TicketSummary(
    long Id,
    string Source,
    string ExternalId,
    string Subject,
    string Status,
    DateTime CreatedAt,
    DateTime ReceivedAt,
    string? Category,
    double? CategoryConfidence,
    bool? NeedsReview,
    long? PatternId,
    double? PatternSimilarity,
    double? Priority,
    DateTime? TriagedAt);
