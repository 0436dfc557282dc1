using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace TicketTriage.Web.Features.Ingest;

/// <summary>
/// <c>POST /api/tickets/batch</c>: <c>{"tickets": [...]}</c>, up to 1,000. Answers 200 with a result
/// per item, in order: 201 created, 200 duplicate, 400 with field errors (that item stored nothing). The valid items
/// are committed together before the answer. A malformed body, an empty or oversized batch is 400/413/415 and stores
/// nothing; a full queue 503 + Retry-After.
/// </summary>
internal static class SubmitTicketBatch
{
    public static RouteHandlerBuilder MapSubmitTicketBatch(this IEndpointRouteBuilder api) =>
        api.MapPost("/tickets/batch", HandleAsync)
            .WithName("SubmitTicketBatch")
            .WithSummary("Submit up to 1,000 tickets; a result per item.")
            .WithJsonRequestBody<TicketBatchSubmission>()
            .Produces<BatchResult>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> HandleAsync(HttpContext context, TicketWriter writer, IOptions<IngestOptions> options, TimeProvider time)
    {
        var limits = options.Value;
        var (items, error) = await ReadAsync(context, limits);
        if (error is not null)
        {
            return error;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var results = new BatchItemResult[items!.Count];
        var valid = new List<NewTicket>(items.Count);
        var validIndex = new List<int>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var (submission, errors) = items[i];
            var ticket = submission is not null ? TicketValidation.Validate(submission, now, out errors) : null;
            if (ticket is null)
            {
                results[i] = new BatchItemResult(i, StatusCodes.Status400BadRequest, null, "invalid", errors);
                continue;
            }

            valid.Add(ticket);
            validIndex.Add(i);
        }

        if (valid.Count > 0)
        {
            var write = new PendingWrite(valid);
            if (!writer.TryEnqueue(write))
            {
                return SubmitTicket.Busy(context, limits);
            }

            try
            {
                var outcomes = await write.Completion.Task;
                for (var v = 0; v < outcomes.Length; v++)
                {
                    var o = outcomes[v];
                    results[validIndex[v]] = new BatchItemResult(validIndex[v], o.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK,
                        o.Id, o.Created ? "created" : "duplicate", null);
                }
            }
            catch (Exception)
            {
                // A request's tickets share one transaction, so none of them was stored.
                return SubmitTicket.Busy(context, limits, "The batch could not be stored; retry (retries are idempotent).");
            }
        }

        return TypedResults.Ok(new BatchResult(
            results.Count(r => r.Status == StatusCodes.Status201Created),
            results.Count(r => r.Status == StatusCodes.Status200OK),
            results.Count(r => r.Status == StatusCodes.Status400BadRequest),
            [.. results]));
    }

    private static async Task<(List<(TicketSubmission? Ticket, Dictionary<string, string[]>? Errors)>? Items, IResult? Error)> ReadAsync(HttpContext context, IngestOptions limits) =>
        await JsonBody.ReadAsync(context, limits.MaxBatchRequestBytes, body => Parse(body, limits));

    /// <summary>
    /// The body must pass the parsing rule as a whole (else 400, nothing stored); then each element of
    /// <c>tickets</c> is deserialized alone, so a wrong-typed item fails only itself, like any other invalid item.
    /// </summary>
    internal static (List<(TicketSubmission? Ticket, Dictionary<string, string[]>? Errors)>? Items, IResult? Error) Parse(ReadOnlySequence<byte> body, IngestOptions limits)
    {
        body = StrictJson.SkipBom(body);
        var shape = new BatchItems();
        if (StrictJson.Check(body, shape) is { } violation)
        {
            return (null, JsonBody.Malformed(violation));
        }

        if (shape.Root != JsonTokenType.StartObject)
        {
            return (null, JsonBody.Problem(StatusCodes.Status400BadRequest, "The request body is not valid JSON for this endpoint.", new() { ["$"] = ["Expected a JSON object: {\"tickets\": [ … ]}."] }));
        }

        if (shape.Tickets is not (JsonTokenType.StartArray or JsonTokenType.None or JsonTokenType.Null))
        {
            return (null, JsonBody.Problem(StatusCodes.Status400BadRequest, "The request body is not valid JSON for this endpoint.", new() { ["$.tickets"] = [JsonBody.WrongType("$.tickets")] }));
        }

        var ranges = shape.Ranges;
        if (ranges.Count == 0)
        {
            return (null, JsonBody.Problem(StatusCodes.Status400BadRequest, "The batch is empty.", new() { ["tickets"] = ["Send {\"tickets\": [ … ]} with 1 to " + limits.MaxBatchItems + " tickets."] }));
        }

        if (ranges.Count > limits.MaxBatchItems)
        {
            return (null, JsonBody.Problem(StatusCodes.Status400BadRequest, "The batch is too large.", new() { ["tickets"] = [$"At most {limits.MaxBatchItems} tickets per batch (got {ranges.Count})."] }));
        }

        var items = new List<(TicketSubmission?, Dictionary<string, string[]>?)>(ranges.Count);
        foreach (var (start, length) in ranges)
        {
            items.Add(JsonBody.Deserialize(body.Slice(start, length), IngestJsonContext.Default.TicketSubmission));
        }

        return (items, null);
    }
}
