using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Spectre.Console;
using TicketTriage.Cli.Http;

namespace TicketTriage.Cli.Commands;

/// <summary>
/// <c>triage bench triage --url U --api-key K --rate N --duration D [--backlog M]</c>: ingests tickets at a fixed rate
/// (batches every 100 ms), waits until every one is triaged, and prints the triage lag (receivedAt → triagedAt)
/// p50/p95/p99 and the rates as JSON. Then (unless <c>--backlog 0</c>) posts M tickets as fast as possible and
/// measures the worker's own rate over the part of the backlog it triaged after ingest stopped (ingest idle).
/// The key needs both scopes (ingest to post, read to read triagedAt back).
/// </summary>
internal static class BenchTriageCommand
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "The app's base URL.", Required = true };
        var apiKey = new Option<string>("--api-key") { Description = "An API key with the ingest and read scopes.", Required = true };
        var rate = new Option<int>("--rate") { Description = "Tickets per second to ingest.", DefaultValueFactory = _ => 1000 };
        var duration = new Option<string>("--duration") { Description = "How long to ingest at that rate, e.g. 60s.", DefaultValueFactory = _ => "60s" };
        var backlog = new Option<int>("--backlog") { Description = "Tickets for the worker-rate phase (0: skip).", DefaultValueFactory = _ => 20000 };
        var command = new Command("triage", "Measure triage lag under a fixed ingest rate, and the worker's own rate (JSON).");
        foreach (var option in new Option[] { url, apiKey, rate, duration, backlog })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            using var client = CliOptions.Client(parse.GetValue(url)!, parse.GetValue(apiKey)!, 16);
            var run = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var perSecond = Math.Max(10, parse.GetValue(rate));
            var measure = CliOptions.ParseDuration(parse.GetValue(duration)!);

            var source = "bench-triage-" + run;
            var (posted, ingestSeconds) = await IngestAsync(client, source, perSecond, measure, cancellationToken);
            var rows = await WaitTriagedAsync(client, source, posted, cancellationToken);
            var lags = rows.Select(r => (r.TriagedAt - r.ReceivedAt).TotalMilliseconds).Order().ToArray();

            object? worker = null;
            if (parse.GetValue(backlog) is > 0 and var count)
            {
                var backlogSource = "bench-backlog-" + run;
                var (_, burstSeconds) = await IngestAsync(client, backlogSource, int.MaxValue, TimeSpan.Zero, cancellationToken, count);
                var burst = await WaitTriagedAsync(client, backlogSource, count, cancellationToken);
                var ingestEnd = burst.Max(r => r.ReceivedAt);
                var after = burst.Where(r => r.TriagedAt > ingestEnd).Select(r => r.TriagedAt).Order().ToList();
                var seconds = after.Count > 1 ? (after[^1] - ingestEnd).TotalSeconds : 0;
                worker = new
                {
                    backlog = count,
                    ingestSeconds = Math.Round(burstSeconds, 2),
                    triagedAfterIngestStopped = after.Count,
                    workerTicketsPerSecond = seconds > 0 ? Math.Round(after.Count / seconds) : (double?)null,
                };
            }

            Console.WriteLine(JsonSerializer.Serialize(new
            {
                rate = perSecond,
                durationSeconds = measure.TotalSeconds,
                tickets = posted,
                ingestTicketsPerSecond = Math.Round(posted / ingestSeconds, 1),
                triagedTicketsPerSecond = Math.Round(posted / Math.Max(0.001, (rows.Max(r => r.TriagedAt) - rows.Min(r => r.ReceivedAt)).TotalSeconds), 1),
                lagMs = new { p50 = Percentile(lags, 0.50), p95 = Percentile(lags, 0.95), p99 = Percentile(lags, 0.99), max = lags[^1] },
                lagP95FirstHalfMs = Percentile([.. rows.Take(rows.Count / 2).Select(r => (r.TriagedAt - r.ReceivedAt).TotalMilliseconds).Order()], 0.95),
                lagP95SecondHalfMs = Percentile([.. rows.Skip(rows.Count / 2).Select(r => (r.TriagedAt - r.ReceivedAt).TotalMilliseconds).Order()], 0.95),
                worker,
            }, new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        });
        return command;
    }

    /// <summary>Posts at <paramref name="perSecond"/> for <paramref name="duration"/> (or <paramref name="total"/>
    /// tickets as fast as possible), a batch every 100 ms, several in flight.</summary>
    private static async Task<(int Posted, double Seconds)> IngestAsync(HttpClient client, string source, int perSecond, TimeSpan duration,
        CancellationToken cancellationToken, int? total = null)
    {
        var payloads = new BenchPayloads(source);
        var watch = Stopwatch.StartNew();
        var inFlight = new List<Task>();
        long next = 0;
        var target = total ?? (int)(perSecond * duration.TotalSeconds);
        var perTick = total is null ? Math.Max(1, (int)(perSecond * Tick.TotalSeconds)) : 500;
        for (var tick = 0; next < target; tick++)
        {
            var count = (int)Math.Min(Math.Min(perTick, 1000), target - next);
            var first = next;
            next += count;
            inFlight.Add(PostAsync(client, payloads, first, count, cancellationToken));
            if (total is null)
            {
                var due = Tick * (tick + 1) - watch.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, cancellationToken);
                }
            }
            else if (inFlight.Count >= 8)
            {
                await Task.WhenAny(inFlight);
                inFlight.RemoveAll(t => t.IsCompleted);
            }
        }

        await Task.WhenAll(inFlight);
        return ((int)next, watch.Elapsed.TotalSeconds);
    }

    private static async Task PostAsync(HttpClient client, BenchPayloads payloads, long first, int count, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await client.PostAsync("api/tickets/batch", payloads.Batch(first, count), cancellationToken);
            if (response.IsSuccessStatusCode || attempt == 20)
            {
                return;
            }

            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    private sealed record Row(DateTime ReceivedAt, DateTime TriagedAt);

    /// <summary>Reads the source's tickets back through <c>GET /api/tickets?source=</c> until all are triaged.</summary>
    private static async Task<List<Row>> WaitTriagedAsync(HttpClient client, string source, int expected, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var rows = new List<Row>();
            var untriaged = 0;
            string? cursor = null;
            do
            {
                var page = await client.GetFromJsonAsync<JsonElement>(
                    $"api/tickets?source={Uri.EscapeDataString(source)}&limit=1000{(cursor is null ? "" : "&cursor=" + cursor)}", cancellationToken);
                foreach (var item in page.GetProperty("items").EnumerateArray())
                {
                    if (item.GetProperty("triagedAt").ValueKind == JsonValueKind.Null)
                    {
                        untriaged++;
                    }
                    else
                    {
                        rows.Add(new Row(item.GetProperty("receivedAt").GetDateTime(), item.GetProperty("triagedAt").GetDateTime()));
                    }
                }

                cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.String ? page.GetProperty("nextCursor").GetString() : null;
            }
            while (cursor is not null);

            if (untriaged == 0 && rows.Count >= expected)
            {
                return rows;
            }

            if (deadline.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException($"{untriaged} of {expected} tickets still untriaged after 10 minutes.");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)], 1);
}
