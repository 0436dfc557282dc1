using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TicketTriage.ML.Scenarios;

namespace TicketTriage.Cli.Http;

/// <summary>
/// Posts a scenario's changes and tickets to a running app in time order: each change through
/// <c>POST /api/changes</c> before the tickets that follow it; tickets one by one at <c>speed</c>× the scenario's
/// clock, or as fast as the app takes them (<c>max</c>: batches of up to 500 consecutive tickets, cut at each change).
/// Idempotent like the APIs: a replay interrupted and run again creates nothing twice. The truth
/// (source, externalId, incident) is what a scorer joins with the patterns API.
/// </summary>
public sealed class ScenarioReplayer(HttpClient client)
{
    public const string DefaultSource = "replay";
    public const int MaxBatch = 500;

    public sealed record Result(int Changes, int Tickets, int Created, int Duplicates, TimeSpan Elapsed);

    public static IReadOnlyList<FeedItem> Feed(string scenarioFile, string source = DefaultSource) =>
        ScenarioFeed.Build(ScenarioGenerator.Generate(ScenarioJson.Parse(File.ReadAllText(scenarioFile))), source);

    /// <param name="speed">Scenario seconds per real second; null: as fast as possible, in batches.</param>
    /// <param name="progress">Items sent so far.</param>
    public async Task<Result> RunAsync(IReadOnlyList<FeedItem> feed, double? speed, Action<int>? progress, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var first = feed.Count > 0 ? feed[0].Time : started;
        int changes = 0, tickets = 0, created = 0, duplicates = 0, sent = 0;
        var pending = new List<FeedTicket>();

        async Task FlushAsync()
        {
            if (pending.Count == 0)
            {
                return;
            }

            var (c, d) = await PostTicketsAsync(pending, cancellationToken);
            created += c;
            duplicates += d;
            tickets += pending.Count;
            sent += pending.Count;
            pending.Clear();
            progress?.Invoke(sent);
        }

        foreach (var item in feed)
        {
            if (speed is { } s)
            {
                var due = started + TimeSpan.FromTicks((long)((item.Time - first).Ticks / s)) - DateTimeOffset.UtcNow;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, cancellationToken);
                }
            }

            switch (item)
            {
                case FeedChange change:
                    await FlushAsync();
                    await PostChangeAsync(change, cancellationToken);
                    changes++;
                    sent++;
                    progress?.Invoke(sent);
                    break;
                case FeedTicket ticket:
                    pending.Add(ticket);
                    if (speed is not null || pending.Count >= MaxBatch)
                    {
                        await FlushAsync();
                    }

                    break;
            }
        }

        await FlushAsync();
        return new Result(changes, tickets, created, duplicates, DateTimeOffset.UtcNow - started);
    }

    /// <summary>The truth as CSV: source,externalId,incident (empty for ordinary tickets).</summary>
    public static void WriteTruth(IReadOnlyList<FeedItem> feed, TextWriter writer)
    {
        writer.WriteLine("source,externalId,incident");
        foreach (var t in feed.OfType<FeedTicket>())
        {
            writer.WriteLine($"{Csv(t.Source)},{Csv(t.ExternalId)},{Csv(t.Incident ?? "")}");
        }
    }

    public static JsonObject TicketJson(FeedTicket t)
    {
        var customer = new JsonObject { ["email"] = t.Email };
        foreach (var (key, value) in t.Customer)
        {
            customer[key] = value;
        }

        var attributes = new JsonObject();
        foreach (var (key, value) in t.Attributes)
        {
            attributes[key] = value;
        }

        return new JsonObject
        {
            ["source"] = t.Source,
            ["externalId"] = t.ExternalId,
            ["subject"] = t.Subject,
            ["body"] = t.Body,
            ["channel"] = "email",
            ["createdAt"] = t.Time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            ["customer"] = customer,
            ["attributes"] = attributes,
        };
    }

    private async Task<(int Created, int Duplicates)> PostTicketsAsync(List<FeedTicket> batch, CancellationToken cancellationToken)
    {
        var items = await new BatchUploader(client).UploadAsync([.. batch.Select(TicketJson)], cancellationToken);
        var failed = items.Select((item, i) => (item, i)).FirstOrDefault(x => x.item.Status is not (200 or 201));
        if (failed.item is { } bad)
        {
            throw new ImportStoppedException($"ticket {batch[failed.i].ExternalId}: {bad.Status} {bad.Error}");
        }

        return (items.Count(i => i.Status == 201), items.Count(i => i.Status == 200));
    }

    private async Task PostChangeAsync(FeedChange change, CancellationToken cancellationToken)
    {
        var targets = new JsonObject();
        foreach (var (key, values) in change.Targets)
        {
            targets[key] = new JsonArray([.. values.Select(v => (JsonNode)v)]);
        }

        var body = new JsonObject
        {
            ["source"] = change.Source,
            ["externalId"] = change.ExternalId,
            ["name"] = change.Name,
            ["kind"] = change.Kind,
            ["start"] = change.Start.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            ["end"] = change.End?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            ["targets"] = targets,
            ["series"] = change.Series,
        }.ToJsonString();
        for (var attempt = 1; ; attempt++)
        {
            using var response = await client.PostAsync("api/changes", new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
            if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
            {
                return;
            }

            if ((int)response.StatusCode < 500 || attempt == 8)
            {
                throw new ImportStoppedException($"change {change.ExternalId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }

            await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, attempt - 1))), cancellationToken);
        }
    }

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
