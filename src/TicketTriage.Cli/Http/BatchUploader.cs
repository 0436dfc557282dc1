using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TicketTriage.Cli.Http;

/// <summary>One item's answer from <c>POST /api/tickets/batch</c>.</summary>
internal sealed record UploadedItem(int Status, long? Id, string? Error);

/// <summary>
/// Posts batches to <c>/api/tickets/batch</c>, retrying what is safe to retry — 503 (queue full: waits Retry-After),
/// 5xx and network errors, with backoff — because the API is idempotent: a batch sent twice creates each ticket once.
/// 401/403 stop the import (a wrong key will not get better).
/// </summary>
internal sealed class BatchUploader(HttpClient client)
{
    private const int Attempts = 8;

    public async Task<IReadOnlyList<UploadedItem>> UploadAsync(IReadOnlyList<JsonObject> tickets, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["tickets"] = new JsonArray([.. tickets.Select(t => t.DeepClone())]) }.ToJsonString();
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage? response = null;
            string? failure;
            try
            {
                response = await client.PostAsync("api/tickets/batch", new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var json = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                    return [.. json.GetProperty("results").EnumerateArray().Select(Item)];
                }

                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    throw new ImportStoppedException(response.StatusCode == HttpStatusCode.Unauthorized
                        ? "The API key was refused (401): unknown, revoked or missing."
                        : "The API key lacks the ingest scope (403).");
                }

                var problem = await response.Content.ReadAsStringAsync(cancellationToken);
                failure = $"{(int)response.StatusCode} {Describe(problem)}";
                if ((int)response.StatusCode < 500)
                {
                    // 400/413/415 for the whole batch: retrying cannot help; every row in it gets the error.
                    return [.. tickets.Select(_ => new UploadedItem((int)response.StatusCode, null, failure))];
                }
            }
            catch (HttpRequestException e)
            {
                failure = e.Message;
            }
            finally
            {
                response?.Dispose();
            }

            if (attempt == Attempts)
            {
                return [.. tickets.Select(_ => new UploadedItem(0, null, $"gave up after {Attempts} attempts: {failure}"))];
            }

            var wait = response?.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, attempt - 1)));
            await Task.Delay(wait, cancellationToken);
        }
    }

    private static UploadedItem Item(JsonElement result)
    {
        var status = result.GetProperty("status").GetInt32();
        long? id = result.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.Number ? i.GetInt64() : null;
        string? error = null;
        if (result.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
        {
            error = string.Join("; ", errors.EnumerateObject().Select(e => $"{e.Name}: {string.Join(" ", e.Value.EnumerateArray().Select(m => m.GetString()))}"));
        }

        return new UploadedItem(status, id, error);
    }

    private static string Describe(string problem)
    {
        try
        {
            using var document = JsonDocument.Parse(problem);
            var title = document.RootElement.TryGetProperty("title", out var t) ? t.GetString() : null;
            var errors = document.RootElement.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object
                ? " " + string.Join("; ", e.EnumerateObject().Select(p => $"{p.Name}: {string.Join(" ", p.Value.EnumerateArray().Select(m => m.GetString()))}"))
                : "";
            return title + errors;
        }
        catch (JsonException)
        {
            return problem.Length > 200 ? problem[..200] : problem;
        }
    }
}

internal sealed class ImportStoppedException(string message) : Exception(message);
