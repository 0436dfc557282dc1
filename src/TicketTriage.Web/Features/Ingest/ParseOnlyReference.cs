using Microsoft.Extensions.Options;

namespace TicketTriage.Web.Features.Ingest;

/// <summary>
/// Benchmark reference, mapped only when <c>Bench:ReferenceEndpoints=true</c>: <c>POST /api/bench/parse-only</c> and
/// <c>/api/bench/parse-only/batch</c> do everything the real endpoints do — API key, body reading, JSON, validation —
/// except storing, and answer 201. <c>triage bench ingest --reference</c> measures them, so the figures for the real
/// endpoints can be read as a ratio of what this process can do without the database.
/// </summary>
internal static class ParseOnlyReference
{
    public static void MapParseOnlyReference(this IEndpointRouteBuilder bench)
    {
        bench.MapPost("/parse-only", async (HttpContext context, IOptions<IngestOptions> options, TimeProvider time) =>
        {
            var (submission, error) = await JsonBody.ReadAsync(context, options.Value.MaxRequestBytes,
                body => JsonBody.Parse(body, IngestJsonContext.Default.TicketSubmission, "The ticket is not valid."));
            if (error is not null)
            {
                return error;
            }

            return TicketValidation.Validate(submission!, time.GetUtcNow().UtcDateTime, out var errors) is null
                ? JsonBody.Problem(StatusCodes.Status400BadRequest, "The ticket is not valid.", errors!)
                : TypedResults.Created((string?)null, new TicketAccepted(0, "parsed"));
        }).ExcludeFromDescription();

        bench.MapPost("/parse-only/batch", async (HttpContext context, IOptions<IngestOptions> options, TimeProvider time) =>
        {
            var (batch, error) = await JsonBody.ReadAsync(context, options.Value.MaxBatchRequestBytes, body => SubmitTicketBatch.Parse(body, options.Value));
            if (error is not null)
            {
                return error;
            }

            var now = time.GetUtcNow().UtcDateTime;
            var results = batch!.Select((t, i) => t.Ticket is not null && TicketValidation.Validate(t.Ticket, now, out _) is not null
                ? new BatchItemResult(i, StatusCodes.Status201Created, 0, "parsed", null)
                : new BatchItemResult(i, StatusCodes.Status400BadRequest, null, "invalid", null)).ToList();
            return TypedResults.Ok(new BatchResult(results.Count(r => r.Status == 201), 0, results.Count(r => r.Status == 400), results));
        }).ExcludeFromDescription();
    }
}
