using TicketTriage.Web.Features.TicketApi;

namespace TicketTriage.Web.Features.Similar;

/// <summary>
/// <c>GET /api/tickets/{id}/similar?limit=</c> (scope <c>read</c>): the stored tickets most like this one, from any
/// time and any pattern — an agent's "has this been seen before?", a lead's duplicate finder.
/// </summary>
internal static class GetSimilarTickets
{
    public static RouteHandlerBuilder MapGetSimilarTickets(this IEndpointRouteBuilder api) =>
        api.MapGet("/tickets/{id:long}/similar", HandleAsync)
            .WithName("GetSimilarTickets")
            .WithSummary("The stored tickets most similar to this one (any time, any pattern), best first, with a similarity from 0 to 1.")
            .Produces<SimilarTicketList>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem();

    private static async Task<IResult> HandleAsync(long id, string? limit, SimilarTicketSearch search, CancellationToken cancellationToken)
    {
        var q = new QueryErrors();
        var take = q.Limit(limit, SimilarTicketSearch.DefaultLimit, SimilarTicketSearch.MaxLimit);
        if (q.Any)
        {
            return ApiProblems.BadQuery(q.Errors);
        }

        var found = await search.FindAsync(id, take, cancellationToken);
        return found is null
            ? ApiProblems.NotFound("ticket", id)
            : TypedResults.Ok(new SimilarTicketList(id, [.. found.Select(f => new SimilarTicketItem(f.Id, f.Source, f.ExternalId, f.Similarity))], search.Complete));
    }
}

/// <summary>
/// The answer: <see cref="Items"/> best first. <see cref="IndexComplete"/> is false while the index is still being
/// filled from the database after a start (the answer then covers the tickets read so far).
/// </summary>
public sealed record SimilarTicketList(long TicketId, IReadOnlyList<SimilarTicketItem> Items, bool IndexComplete);

public sealed record SimilarTicketItem(long Id, string Source, string ExternalId, double Similarity);
