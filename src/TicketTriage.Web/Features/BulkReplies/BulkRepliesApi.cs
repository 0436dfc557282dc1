using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Ingest;
using TicketTriage.Web.Features.TicketApi;

namespace TicketTriage.Web.Features.BulkReplies;

/// <summary>The body of <c>POST /api/patterns/{id}/bulk-replies</c>.</summary>
public sealed record BulkReplySubmission
{
    /// <summary>Subject template; default <c>Re: {{ticket.subject}} [#{{ticket.number}}]</c>.</summary>
    public string? Subject { get; init; }

    /// <summary>Body template (required), with <c>{{customer.name}}</c>, <c>{{customer.server}}</c>, <c>{{ticket.subject}}</c>, <c>{{ticket.number}}</c>, <c>{{pattern.title}}</c>.</summary>
    public string? Body { get; init; }

    /// <summary>new, open, pending, solved or closed; absent leaves statuses alone.</summary>
    public string? StatusAfter { get; init; }

    public ExclusionSubmission? Exclude { get; init; }

    /// <summary>Answer tickets that join the pattern later too, until it is resolved.</summary>
    public bool? AutoReplyUntilResolved { get; init; }
}

public sealed record ExclusionSubmission
{
    public bool? WroteAgain { get; init; }
    public bool? Answered { get; init; }
    public bool? Closed { get; init; }
    public List<long>? TicketIds { get; init; }
}

public sealed record BulkReplyAccepted(long Id, int Recipients);

public sealed record BulkReplyStatus(long Id, long PatternId, string State, int Total, int Sent, int Skipped, int Failed,
    IReadOnlyDictionary<string, int> SkippedReasons, IReadOnlyDictionary<string, int> FailedReasons, DeliveryCounts Delivery,
    DateTime CreatedAt, DateTime? FinishedAt, DateTime? UndoneAt);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BulkReplySubmission))]
internal sealed partial class BulkRepliesJsonContext : JsonSerializerContext;

/// <summary>
/// Bulk replies for integrators (scope <c>reply</c>): <c>POST /api/patterns/{id}/bulk-replies</c> → 202
/// <c>{"id", "recipients"}</c>; an <c>Idempotency-Key</c> header makes a retried request return the same operation.
/// <c>GET /api/bulk-replies/{id}</c> → <c>state</c> (running, done, failed), <c>total</c>, <c>sent</c>, <c>skipped</c>, <c>failed</c>.
/// </summary>
internal static class BulkRepliesApi
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const int MaxIdempotencyKey = 100;

    public static RouteGroupBuilder MapBulkRepliesApi(this RouteGroupBuilder api)
    {
        api.MapPost("/patterns/{id:long}/bulk-replies", PostAsync)
            .WithName("StartBulkReply")
            .WithSummary("Answer every ticket of a pattern once (template, exclusions, status after); 202 with the operation id and recipient count.")
            .WithJsonRequestBody<BulkReplySubmission>()
            .Produces<BulkReplyAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        api.MapGet("/bulk-replies/{id:long}", GetAsync)
            .WithName("GetBulkReply")
            .WithSummary("A bulk reply's progress: state running|done|failed, total, sent, skipped, failed (with reasons), delivery.")
            .Produces<BulkReplyStatus>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> PostAsync(long id, HttpContext context, BulkReplyOperations operations, IOptions<IngestOptions> options)
    {
        var key = context.Request.Headers[IdempotencyHeader].ToString();
        if (key.Length > MaxIdempotencyKey)
        {
            return JsonBody.Problem(StatusCodes.Status400BadRequest, "The request is not valid.",
                new() { [IdempotencyHeader] = [$"At most {MaxIdempotencyKey} characters."] });
        }

        var (submission, error) = await JsonBody.ReadAsync(context, options.Value.MaxRequestBytes,
            body => JsonBody.Parse(body, BulkRepliesJsonContext.Default.BulkReplySubmission, "The bulk reply is not valid."));
        if (error is not null)
        {
            return error;
        }

        var errors = new Dictionary<string, string[]>();
        TicketStatus? statusAfter = null;
        if (submission!.StatusAfter is { } s)
        {
            if (Enum.TryParse<TicketStatus>(s, ignoreCase: true, out var parsed) && !int.TryParse(s, out _))
            {
                statusAfter = parsed;
            }
            else
            {
                errors["statusAfter"] = ["Expected one of new, open, pending, solved, closed."];
            }
        }

        var request = new BulkReplyRequest(submission.Subject, submission.Body, statusAfter, new BulkReplyExclusions
        {
            WroteAgain = submission.Exclude?.WroteAgain ?? true,
            Answered = submission.Exclude?.Answered ?? true,
            Closed = submission.Exclude?.Closed ?? true,
            TicketIds = submission.Exclude?.TicketIds ?? [],
        }, submission.AutoReplyUntilResolved ?? false);
        foreach (var (field, messages) in BulkReplyOperations.Validate(request) ?? [])
        {
            errors[field] = messages;
        }

        if (errors.Count > 0)
        {
            return JsonBody.Problem(StatusCodes.Status400BadRequest, "The bulk reply is not valid.", errors);
        }

        var caller = context.User.FindFirstValue(ClaimTypes.Name) ?? "apikey";
        var started = await operations.StartAsync(id, request, new BulkReplyActor(caller, null),
            key.Length == 0 ? null : $"{caller}:{key}", context.RequestAborted);
        return started is null
            ? ApiProblems.NotFound("pattern", id)
            : TypedResults.Accepted($"/api/bulk-replies/{started.Id}", new BulkReplyAccepted(started.Id, started.Recipients));
    }

    private static async Task<IResult> GetAsync(long id, BulkReplyOperations operations, CancellationToken cancellationToken)
    {
        var o = await operations.ReadAsync(id, cancellationToken);
        return o is null
            ? ApiProblems.NotFound("bulk reply", id)
            : TypedResults.Ok(new BulkReplyStatus(o.Id, o.PatternId, o.State.ToString().ToLowerInvariant(), o.Total, o.Sent, o.Skipped, o.Failed,
                o.SkippedReasons, o.FailedReasons, o.Delivery, o.CreatedAt, o.FinishedAt, o.UndoneAt));
    }
}
