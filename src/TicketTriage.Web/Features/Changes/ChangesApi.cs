using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TicketTriage.Web.Data;
using TicketTriage.Web.Features.Ingest;
using TicketTriage.Web.Features.TicketApi;

namespace TicketTriage.Web.Features.Changes;

/// <summary>
/// <c>POST /api/changes</c> (scope <c>ingest</c>): 201 <c>{"id", "outcome": "created"}</c>, or 200 with
/// <c>"duplicate"</c> when this (source, externalId) is known (nothing changes). <c>GET /api/changes</c> (scope
/// <c>read</c>): changes by start time, newest first, paged.
/// </summary>
internal static class ChangesApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static RouteHandlerBuilder MapPostChange(this IEndpointRouteBuilder api) =>
        api.MapPost("/changes", PostAsync)
            .WithName("PostChange")
            .WithSummary("Record a deploy, upgrade, config push or maintenance (idempotent by source + externalId).")
            .WithJsonRequestBody<ChangeSubmission>()
            .Produces<ChangeAccepted>(StatusCodes.Status201Created)
            .Produces<ChangeAccepted>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    public static RouteHandlerBuilder MapListChanges(this IEndpointRouteBuilder api) =>
        api.MapGet("/changes", ListAsync)
            .WithName("ListChanges")
            .WithSummary("List changes, newest first (paged), optionally those starting since a time.")
            .Produces<Page<ChangeView>>()
            .ProducesValidationProblem();

    private static async Task<IResult> PostAsync(HttpContext context, ChangeStore store, IOptions<IngestOptions> options)
    {
        var (submission, error) = await JsonBody.ReadAsync(context, options.Value.MaxRequestBytes,
            body => JsonBody.Parse(body, ChangesJsonContext.Default.ChangeSubmission, "The change is not valid."));
        if (error is not null)
        {
            return error;
        }

        var change = NewChange.Validate(submission!, out var errors);
        if (change is null)
        {
            return JsonBody.Problem(StatusCodes.Status400BadRequest, "The change is not valid.", errors);
        }

        var (id, created) = await store.AddAsync(change, context.RequestAborted);
        var accepted = new ChangeAccepted(id, created ? "created" : "duplicate");
        return created ? TypedResults.Created("/api/changes", accepted) : TypedResults.Ok(accepted);
    }

    private static async Task<IResult> ListAsync(TriageDbContext db, string? since, string? cursor, string? limit, CancellationToken cancellationToken)
    {
        var q = new QueryErrors();
        var from = q.Time("since", since);
        var before = q.Id("cursor", cursor);
        var take = q.Limit(limit, DefaultLimit, MaxLimit);
        if (q.Any)
        {
            return ApiProblems.BadQuery(q.Errors);
        }

        var query = db.Changes.AsNoTracking();
        if (from is { } f)
        {
            query = query.Where(c => c.StartAt >= f);
        }

        if (before is { } b)
        {
            query = query.Where(c => c.Id < b);
        }

        // Newest first by id: ids follow arrival; sources send changes as they start.
        var rows = await query.OrderByDescending(c => c.Id).Take(take + 1).ToListAsync(cancellationToken);
        var next = rows.Count > take ? rows[take - 1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new Page<ChangeView>([.. rows.Take(take).Select(ChangeStore.View)], next));
    }
}
