using System.Net.Http.Json;
using System.Text.Json;
using TicketTriage.ML.Classification;

namespace TicketTriage.Cli.Http;

/// <summary>The tickets agents recategorized in a running app (<c>GET /api/labeled-examples</c>), as training examples.</summary>
internal static class LabeledExamples
{
    /// <summary>Every page; a ticket recategorized more than once counts with its latest label only.</summary>
    public static async Task<List<LabeledText>> ReadAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var latest = new Dictionary<long, LabeledText>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>("api/labeled-examples?limit=5000" + (cursor is null ? "" : "&cursor=" + cursor), cancellationToken);
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                latest[item.GetProperty("ticketId").GetInt64()] = new LabeledText(item.GetProperty("text").GetString() ?? "", item.GetProperty("label").GetString() ?? "");
            }

            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.String ? page.GetProperty("nextCursor").GetString() : null;
        }
        while (cursor is not null);

        return [.. latest.Values];
    }
}
