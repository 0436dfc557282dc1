using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TicketTriage.Web.Tests.Ingest;

/// <summary>Builds ingest requests as a source would send them.</summary>
internal static class IngestClient
{
    public static JsonObject Ticket(string externalId, string source = "tests", string? subject = null, string? email = "ann@example.com") => new()
    {
        ["source"] = source,
        ["externalId"] = externalId,
        ["subject"] = subject ?? $"Site down after upgrade ({externalId})",
        ["body"] = "Since this morning my WordPress site shows a 500 error.",
        ["channel"] = "email",
        ["customer"] = email is null ? null : new JsonObject
        {
            ["email"] = email,
            ["username"] = "ann01",
            ["name"] = "Ann Example",
            ["plan"] = "pro",
            ["server"] = "web-117",
            ["datacenter"] = "ams1",
            ["php"] = "8.3",
        },
        ["attributes"] = new JsonObject { ["product"] = "hosting" },
    };

    public static Task<HttpResponseMessage> PostTicketAsync(this HttpClient client, JsonNode ticket, CancellationToken ct) =>
        client.PostAsync("/api/tickets", Json(ticket), ct);

    public static Task<HttpResponseMessage> PostBatchAsync(this HttpClient client, IEnumerable<JsonNode?> tickets, CancellationToken ct) =>
        client.PostAsync("/api/tickets/batch", Json(new JsonObject { ["tickets"] = new JsonArray([.. tickets]) }), ct);

    public static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response, CancellationToken ct) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(ct);
}
