using System.Text.Json;
using System.Text.Json.Serialization;

namespace TicketTriage.Web.Features.Ingest;

/// <summary>One ticket as a source sends it to <c>POST /api/tickets</c> (and as each item of a batch).</summary>
public sealed record TicketSubmission
{
    /// <summary>Integration name, e.g. helpdesk or email-gateway. With <see cref="ExternalId"/> the idempotency key.</summary>
    public string? Source { get; init; }

    /// <summary>The ticket's id in its source. Sending the same (source, externalId) again creates nothing.</summary>
    public string? ExternalId { get; init; }

    public string? Subject { get; init; }
    public string? Body { get; init; }

    /// <summary>email, web, chat, phone, api (default).</summary>
    public string? Channel { get; init; }

    /// <summary>When the customer raised it; arrival time when absent.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    public CustomerSubmission? Customer { get; init; }

    /// <summary>Any ticket-level fields (product, version, url, …): a JSON object, stored as given.</summary>
    public JsonElement? Attributes { get; init; }
}

/// <summary>The customer who raised the ticket; upserted by email. Unknown fields are kept as the customer's attributes.</summary>
public sealed record CustomerSubmission
{
    public string? Email { get; init; }
    public string? Username { get; init; }
    public string? Name { get; init; }
    public string? Plan { get; init; }
    public string? Tier { get; init; }
    public string? Server { get; init; }
    public string? Datacenter { get; init; }
    public string? Region { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed record TicketBatchSubmission
{
    public List<TicketSubmission?>? Tickets { get; init; }
}

/// <summary>Answer for one ticket: <c>created</c> (201) or <c>duplicate</c> (200, the first ticket's id).</summary>
public sealed record TicketAccepted(long Id, string Outcome);

/// <summary>One batch item's answer: <see cref="Status"/> is the status a single POST would have had.</summary>
public sealed record BatchItemResult(int Index, int Status, long? Id, string Outcome, Dictionary<string, string[]>? Errors);

public sealed record BatchResult(int Created, int Duplicates, int Invalid, List<BatchItemResult> Results);

/// <summary>Source-generated JSON for the ingest hot path (no reflection per request).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, AllowTrailingCommas = true, ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(TicketSubmission))]
[JsonSerializable(typeof(TicketBatchSubmission))]
[JsonSerializable(typeof(TicketAccepted))]
[JsonSerializable(typeof(BatchResult))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class IngestJsonContext : JsonSerializerContext;
