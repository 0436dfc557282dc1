using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Features.TicketApi;

namespace TicketTriage.Web.Features.Triage;

/// <summary>
/// <c>GET /api/labeled-examples?cursor=&amp;limit=</c> (scope <c>read</c>): the tickets agents recategorized, as
/// labeled examples (text as the classifier reads it, the agent's label), oldest first, keyset-paged —
/// what <c>triage train --labeled-from URL</c> adds to its training data. A ticket recategorized twice appears twice;
/// the trainer keeps the latest label.
/// </summary>
internal static class ListLabeledExamples
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 5000;

    public static RouteHandlerBuilder MapListLabeledExamples(this IEndpointRouteBuilder api) =>
        api.MapGet("/labeled-examples", HandleAsync)
            .WithName("ListLabeledExamples")
            .WithSummary("Tickets recategorized by agents, as labeled examples for the next training (paged by id).")
            .Produces<Page<LabeledExampleView>>()
            .ProducesValidationProblem();

    private static async Task<IResult> HandleAsync(TriageDbContext db, string? cursor, string? limit, CancellationToken cancellationToken)
    {
        var q = new QueryErrors();
        var after = q.Id("cursor", cursor);
        var take = q.Limit(limit, DefaultLimit, MaxLimit);
        if (q.Any)
        {
            return ApiProblems.BadQuery(q.Errors);
        }

        var query = db.LabeledExamples.AsNoTracking();
        if (after is { } a)
        {
            query = query.Where(e => e.Id > a);
        }

        var rows = await query.OrderBy(e => e.Id).Take(take + 1)
            .Select(e => new LabeledExampleView(e.Id, e.TicketId, e.Text, e.Label, e.PreviousLabel, e.LabeledAt))
            .ToListAsync(cancellationToken);
        var next = rows.Count > take ? rows[take - 1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new Page<LabeledExampleView>(rows.Count > take ? rows[..take] : rows, next));
    }
}

public sealed record LabeledExampleView(long Id, long TicketId, string Text, string Label, string? PreviousLabel, DateTime LabeledAt);
