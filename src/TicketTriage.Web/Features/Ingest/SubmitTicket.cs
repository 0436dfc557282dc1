using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace TicketTriage.Web.Features.Ingest;

/// <summary>
/// <c>POST /api/tickets</c>: one ticket. 201 with its id once committed; 200 with the first id when this
/// (source, externalId) was seen before; 400/413/415 for bad input (nothing stored); 503 + Retry-After when the
/// writer's queue is full.
/// </summary>
internal static class SubmitTicket
{
    public static RouteHandlerBuilder MapSubmitTicket(this IEndpointRouteBuilder api) =>
        api.MapPost("/tickets", HandleAsync)
            .WithName("SubmitTicket")
            .WithSummary("Submit one ticket (idempotent by source + externalId).")
            .WithJsonRequestBody<TicketSubmission>()
            .Produces<TicketAccepted>(StatusCodes.Status201Created)
            .Produces<TicketAccepted>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> HandleAsync(HttpContext context, TicketWriter writer, IOptions<IngestOptions> options, TimeProvider time)
    {
        var (submission, error) = await JsonBody.ReadAsync(context, options.Value.MaxRequestBytes,
            body => JsonBody.Parse(body, IngestJsonContext.Default.TicketSubmission, "The ticket is not valid."));
        if (error is not null)
        {
            return error;
        }

        var ticket = TicketValidation.Validate(submission!, time.GetUtcNow().UtcDateTime, out var errors);
        if (ticket is null)
        {
            return JsonBody.Problem(StatusCodes.Status400BadRequest, "The ticket is not valid.", errors!);
        }

        var write = new PendingWrite([ticket]);
        if (!writer.TryEnqueue(write))
        {
            return Busy(context, options.Value);
        }

        WriteOutcome outcome;
        try
        {
            // Not cancelled by the client: once queued the ticket is written, and a retry finds it.
            outcome = (await write.Completion.Task)[0];
        }
        catch (Exception)
        {
            return Busy(context, options.Value, "The ticket could not be stored; retry (retries are idempotent).");
        }

        var accepted = new TicketAccepted(outcome.Id, outcome.Created ? "created" : "duplicate");
        return outcome.Created
            ? TypedResults.Created($"/api/tickets/{outcome.Id}", accepted)
            : TypedResults.Ok(accepted);
    }

    internal static IResult Busy(HttpContext context, IngestOptions options, string? title = null) => JsonBody.Busy(context, options, title);
}
