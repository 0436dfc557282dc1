using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TicketTriage.Cli.Http;

namespace TicketTriage.Cli.Commands;

/// <summary>
/// <c>triage bench replies --url U --api-key K --pickup DIR [--tickets 10000] [--runs 3]</c>: ingests N tickets about
/// one bug (one customer each), waits until triage has put them into one pattern, then answers that pattern with a bulk
/// reply <c>--runs</c> times and measures each from <c>POST /api/patterns/{id}/bulk-replies</c> until the operation is
/// done and every mail has left the outbox. Then it reads the app's pickup folder (<c>Mail:PickupPath</c>, Pickup
/// transport) and checks that every ticket got exactly one .eml of that run. The key needs ingest, read and reply.
/// </summary>
internal static class BenchRepliesCommand
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "The app's base URL.", Required = true };
        var apiKey = new Option<string>("--api-key") { Description = "An API key with the ingest, read and reply scopes.", Required = true };
        var pickup = new Option<string>("--pickup") { Description = "The app's pickup folder (Mail:PickupPath, resolved).", Required = true };
        var tickets = new Option<int>("--tickets") { Description = "Tickets in the pattern.", DefaultValueFactory = _ => 10_000 };
        var runs = new Option<int>("--runs") { Description = "Bulk replies to send to the pattern (the median is reported).", DefaultValueFactory = _ => 3 };
        var command = new Command("replies", "Time a bulk reply to a pattern of N tickets until every mail is delivered (JSON).");
        foreach (var option in new Option[] { url, apiKey, pickup, tickets, runs })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            using var client = CliOptions.Client(parse.GetValue(url)!, parse.GetValue(apiKey)!, 8);
            var folder = Path.GetFullPath(parse.GetValue(pickup)!);
            var count = parse.GetValue(tickets);
            var run = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var source = "bench-replies-" + run;

            var ingest = Stopwatch.StartNew();
            await IngestAsync(client, source, count, cancellationToken);
            var ticketPatterns = await WaitTriagedAsync(client, source, count, cancellationToken);
            var patternId = ticketPatterns.Values.Where(p => p is not null).GroupBy(p => p!.Value).MaxBy(g => g.Count())?.Key
                ?? throw new InvalidOperationException("Triage put none of the tickets into a pattern.");
            var inPattern = ticketPatterns.Where(p => p.Value == patternId).Select(p => p.Key).ToHashSet();
            Console.Error.WriteLine($"{count} tickets ingested and triaged in {ingest.Elapsed.TotalSeconds:0.0} s; pattern {patternId} holds {inPattern.Count} of them.");

            var results = new List<RunResult>();
            for (var i = 1; i <= parse.GetValue(runs); i++)
            {
                // Not derived from the source: the recipients' addresses are, and a marker must match this run's bodies only.
                var marker = $"run-token-{Guid.NewGuid():N}";
                var result = await SendAsync(client, patternId, marker, folder, inPattern, cancellationToken);
                Console.Error.WriteLine($"run {i}: {result.Seconds:0.00} s, {result.Delivered} delivered, {result.TicketsWithExactlyOne} tickets with exactly one mail, {result.Duplicates} duplicates, {result.Missing} missing");
                results.Add(result);
            }

            var seconds = results.Select(r => r.Seconds).Order().ToList();
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                tickets = count,
                patternId,
                ticketsInPattern = inPattern.Count,
                runs = results,
                medianSeconds = seconds.Count == 0 ? 0 : seconds[seconds.Count / 2],
                everyTicketExactlyOnce = results.All(r => r.Missing == 0 && r.Duplicates == 0),
            }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
            return results.All(r => r.Missing == 0 && r.Duplicates == 0) ? 0 : 1;
        });
        return command;
    }

    private sealed record RunResult(long OperationId, int Recipients, double Seconds, double RepliesWrittenSeconds, int Delivered,
        int EmlFiles, int TicketsWithExactlyOne, int Duplicates, int Missing);

    /// <summary>One bulk reply to every ticket of the pattern (no exclusions), timed until the outbox is empty for it.</summary>
    private static async Task<RunResult> SendAsync(HttpClient client, long patternId, string marker, string folder, HashSet<long> expected,
        CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new
        {
            subject = "Re: {{ticket.subject}} [#{{ticket.number}}]",
            body = "Hello {{customer.name}},\n\nthe mailbox quota error on {{customer.server}} is fixed; we are watching it.\n\n" + marker + "\n",
            exclude = new { wroteAgain = false, answered = false, closed = false },
        });
        var watch = Stopwatch.StartNew();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = Json;
        using var response = await client.PostAsync($"api/patterns/{patternId}/bulk-replies", content, cancellationToken);
        response.EnsureSuccessStatusCode();
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var id = accepted.GetProperty("id").GetInt64();
        double? written = null;
        JsonElement status;
        while (true)
        {
            status = await client.GetFromJsonAsync<JsonElement>($"api/bulk-replies/{id}", cancellationToken);
            var state = status.GetProperty("state").GetString();
            if (state == "failed")
            {
                throw new InvalidOperationException($"Bulk reply {id} failed: {status}");
            }

            if (state == "done")
            {
                written ??= watch.Elapsed.TotalSeconds;
                if (status.GetProperty("delivery").GetProperty("queued").GetInt32() == 0)
                {
                    break;
                }
            }

            if (watch.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException($"Bulk reply {id} not delivered after 10 minutes: {status}");
            }

            await Task.Delay(50, cancellationToken);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        var (files, perTicket) = CountPickup(folder, marker);
        return new RunResult(id, accepted.GetProperty("recipients").GetInt32(), Math.Round(seconds, 2), Math.Round(written ?? seconds, 2),
            status.GetProperty("delivery").GetProperty("sent").GetInt32(), files,
            expected.Count(t => perTicket.GetValueOrDefault(t) == 1), perTicket.Values.Count(n => n > 1), expected.Count(t => !perTicket.ContainsKey(t)));
    }

    /// <summary>The .eml files of one run (found by the marker in the body), counted per X-TicketTriage-Ticket.</summary>
    private static (int Files, Dictionary<long, int> PerTicket) CountPickup(string folder, string marker)
    {
        var perTicket = new Dictionary<long, int>();
        var files = 0;
        foreach (var path in Directory.EnumerateFiles(folder, "*.eml"))
        {
            var text = File.ReadAllText(path);
            if (!text.Contains(marker, StringComparison.Ordinal))
            {
                continue;
            }

            files++;
            const string header = "X-TicketTriage-Ticket:";
            var at = text.IndexOf(header, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                continue;
            }

            var end = text.IndexOf('\n', at);
            var ticket = long.Parse(text.AsSpan(at + header.Length, (end < 0 ? text.Length : end) - at - header.Length).Trim(), CultureInfo.InvariantCulture);
            perTicket[ticket] = perTicket.GetValueOrDefault(ticket) + 1;
        }

        return (files, perTicket);
    }

    /// <summary>N tickets about the same bug, one customer each, in batches of 500, eight in flight.</summary>
    private static async Task IngestAsync(HttpClient client, string source, int count, CancellationToken cancellationToken)
    {
        var inFlight = new List<Task>();
        for (var first = 0; first < count; first += 500)
        {
            var batch = new StringBuilder(700 * 500).Append("{\"tickets\":[");
            for (var i = first; i < Math.Min(count, first + 500); i++)
            {
                batch.Append(i == first ? "" : ",").Append(CultureInfo.InvariantCulture,
                    $$$"""{"source":"{{{source}}}","externalId":"{{{i}}}","subject":"Mailbox full: 552 quota exceeded since the storage migration","body":"Hello, since the storage migration last night every mail to my mailbox bounces with 552 5.2.2 mailbox quota exceeded, although the mailbox is almost empty. Please fix the quota. Customer {{{i}}}","channel":"email","customer":{"email":"{{{source}}}-{{{i}}}@example.net","name":"Customer {{{i}}}","server":"mx-{{{101 + i % 20}}}"}}""");
            }

            var payload = new ByteArrayContent(Encoding.UTF8.GetBytes(batch.Append("]}").ToString()));
            payload.Headers.ContentType = Json;
            inFlight.Add(PostAsync(client, payload, cancellationToken));
            if (inFlight.Count >= 8)
            {
                await Task.WhenAny(inFlight);
                inFlight.RemoveAll(t => t.IsCompleted);
            }
        }

        await Task.WhenAll(inFlight);
    }

    private static async Task PostAsync(HttpClient client, ByteArrayContent payload, CancellationToken cancellationToken)
    {
        using (payload)
        {
            for (var attempt = 0; ; attempt++)
            {
                using var response = await client.PostAsync("api/tickets/batch", payload, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                if (attempt == 20)
                {
                    response.EnsureSuccessStatusCode();
                }

                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }
    }

    /// <summary>Ticket id → pattern id, once every ticket of the source is triaged.</summary>
    private static async Task<Dictionary<long, long?>> WaitTriagedAsync(HttpClient client, string source, int expected, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var patterns = new Dictionary<long, long?>();
            var untriaged = 0;
            string? cursor = null;
            do
            {
                var page = await client.GetFromJsonAsync<JsonElement>(
                    $"api/tickets?source={Uri.EscapeDataString(source)}&limit=1000{(cursor is null ? "" : "&cursor=" + cursor)}", cancellationToken);
                foreach (var item in page.GetProperty("items").EnumerateArray())
                {
                    untriaged += item.GetProperty("triagedAt").ValueKind == JsonValueKind.Null ? 1 : 0;
                    var pattern = item.GetProperty("patternId");
                    patterns[item.GetProperty("id").GetInt64()] = pattern.ValueKind == JsonValueKind.Number ? pattern.GetInt64() : null;
                }

                cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.String ? page.GetProperty("nextCursor").GetString() : null;
            }
            while (cursor is not null);

            if (untriaged == 0 && patterns.Count >= expected)
            {
                return patterns;
            }

            if (deadline.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException($"{untriaged} of {expected} tickets still untriaged after 10 minutes.");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }
}
