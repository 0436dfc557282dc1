using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using TicketTriage.Cli.Http;

namespace TicketTriage.Cli.Commands;

/// <summary>
/// <c>triage bench ingest</c>: load-tests a running app's ingest API and prints requests/s, tickets/s, latency
/// p50/p95/p99 and errors; with <c>--reference</c> and <c>--sqlite-reference</c> also the two references measured in
/// the same run (the app's parse-only endpoint; raw SQLite inserts on the same disk) and the ratios to them.
/// </summary>
/// <example>
/// dotnet run -c Release --project src/TicketTriage.Web -- --environment Production --Demo:Seed=false \
///     --Bench:ReferenceEndpoints=true --Bootstrap:ApiKey=tt_bench0001_0123456789abcdef0123456789 --urls http://127.0.0.1:5080
/// triage bench ingest --url http://127.0.0.1:5080 --api-key tt_bench0001_0123456789abcdef0123456789 \
///     --duration 30s --concurrency 64 --reference --sqlite-reference src/TicketTriage.Web/.data
/// </example>
internal static class BenchIngestCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "The app's base URL (load tests only against 127.0.0.1).", Required = true };
        var apiKey = new Option<string>("--api-key") { Description = "An API key with the ingest scope.", Required = true };
        var duration = new Option<string>("--duration") { Description = "Measured time, e.g. 30s or 2m.", DefaultValueFactory = _ => "30s" };
        var warmup = new Option<string>("--warmup") { Description = "Load before measuring (JIT, connections, caches).", DefaultValueFactory = _ => "3s" };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight at most (workers).", DefaultValueFactory = _ => 64 };
        var batch = new Option<int>("--batch") { Description = "Tickets per request: 1 posts to /api/tickets, more to /api/tickets/batch.", DefaultValueFactory = _ => 1 };
        var rate = new Option<double?>("--rate") { Description = "Fixed rate in requests/s (open loop; latency counted from when each request was due)." };
        var reference = new Option<bool>("--reference") { Description = "Also measure the parse-only endpoint first (the app needs Bench:ReferenceEndpoints=true)." };
        var sqlite = new Option<string?>("--sqlite-reference") { Description = "Also measure raw SQLite inserts in a temporary file in this folder (use the app's data folder: same disk)." };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON." };

        var command = new Command("ingest", "Load-test the ingest API: requests/s, tickets/s, latency p50/p95/p99, errors.");
        foreach (var option in new Option[] { url, apiKey, duration, warmup, concurrency, batch, rate, reference, sqlite, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var n = Math.Max(1, parse.GetValue(concurrency));
            var b = Math.Clamp(parse.GetValue(batch), 1, 1000);
            var measure = CliOptions.ParseDuration(parse.GetValue(duration)!);
            var warm = CliOptions.ParseDuration(parse.GetValue(warmup)!);
            var targetRate = parse.GetValue(rate);
            var asJson = parse.GetValue(json);
            var path = b == 1 ? "api/tickets" : "api/tickets/batch";
            void Say(string text)
            {
                if (!asJson)
                {
                    AnsiConsole.MarkupLine($"[grey]{Markup.Escape(text)}[/]");
                }
            }

            SqliteReference? sqliteFigures = null;
            if (parse.GetValue(sqlite) is { } directory)
            {
                Say($"Raw SQLite reference in {directory} …");
                sqliteFigures = SqliteInsertReference.Measure(directory, 200_000, TimeSpan.FromSeconds(3));
            }

            using var client = CliOptions.Client(parse.GetValue(url)!, parse.GetValue(apiKey)!, n);
            var run = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            LoadResult? parseOnly = null;
            if (parse.GetValue(reference))
            {
                Say($"Parse-only reference: {warm.TotalSeconds:0}s warm-up + {measure.TotalSeconds:0}s …");
                var referencePath = b == 1 ? "api/bench/parse-only" : "api/bench/parse-only/batch";
                parseOnly = await IngestLoad.RunAsync(client, referencePath, new BenchPayloads($"bench-ref-{run}"), n, b, measure, warm, targetRate, 0, cancellationToken);
            }

            Say($"Ingest: {path}, batch {b}, concurrency {n}{(targetRate is { } r ? $", rate {r:N0}/s" : "")}: {warm.TotalSeconds:0}s warm-up + {measure.TotalSeconds:0}s …");
            var result = await IngestLoad.RunAsync(client, path, new BenchPayloads($"bench-{run}"), n, b, measure, warm, targetRate, 0, cancellationToken);
            Print(result, parseOnly, sqliteFigures, n, targetRate, asJson);
            return result.Requests > 0 ? 0 : 1;
        });
        return command;
    }

    private static void Print(LoadResult result, LoadResult? parseOnly, SqliteReference? sqlite, int concurrency, double? rate, bool asJson)
    {
        double? Ratio(double value, double? reference) => reference is > 0 ? Math.Round(value / reference.Value, 3) : null;
        var ratios = new Dictionary<string, double?>
        {
            ["requestsPerSecondVsParseOnly"] = Ratio(result.RequestsPerSecond, parseOnly?.RequestsPerSecond),
            ["ticketsPerSecondVsSqliteOneTransaction"] = Ratio(result.TicketsPerSecond, sqlite?.RowsPerSecondOneTransaction),
            ["requestsPerSecondVsSqliteOneRowCommits"] = Ratio(result.RequestsPerSecond, sqlite?.OneRowCommitsPerSecond),
        };
        if (asJson)
        {
            var figures = new Dictionary<string, object?>
            {
                ["requestsPerSecond"] = Math.Round(result.RequestsPerSecond, 1),
                ["ticketsPerSecond"] = Math.Round(result.TicketsPerSecond, 1),
                ["p50Ms"] = Round(result.P50Ms),
                ["p95Ms"] = Round(result.P95Ms),
                ["p99Ms"] = Round(result.P99Ms),
                ["maxMs"] = Round(result.MaxMs),
                ["errors"] = result.Errors,
                ["errorsByKind"] = result.ErrorsByKind,
                ["requests"] = result.Requests,
                ["seconds"] = Math.Round(result.Seconds, 2),
                ["batch"] = result.Batch,
                ["concurrency"] = concurrency,
                ["rate"] = rate,
                ["processorCount"] = Environment.ProcessorCount,
                ["reference"] = new Dictionary<string, object?>
                {
                    ["parseOnly"] = parseOnly is null ? null : new { requestsPerSecond = Math.Round(parseOnly.RequestsPerSecond, 1), ticketsPerSecond = Math.Round(parseOnly.TicketsPerSecond, 1), p50Ms = Round(parseOnly.P50Ms), p99Ms = Round(parseOnly.P99Ms), errors = parseOnly.Errors },
                    ["sqlite"] = sqlite is null ? null : new { rowsPerSecondOneTransaction = Math.Round(sqlite.RowsPerSecondOneTransaction), oneRowCommitsPerSecond = Math.Round(sqlite.OneRowCommitsPerSecond), rows = sqlite.Rows },
                },
                ["ratios"] = ratios,
            };
            Console.WriteLine(JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }));
            return;
        }

        var table = new Table().AddColumns("figure", "ingest", "parse-only reference");
        string F(double v, string format = "N0") => double.IsNaN(v) ? "n/a" : v.ToString(format, CultureInfo.InvariantCulture);
        table.AddRow("requests/s", F(result.RequestsPerSecond), parseOnly is null ? "" : F(parseOnly.RequestsPerSecond));
        table.AddRow("tickets/s", F(result.TicketsPerSecond), parseOnly is null ? "" : F(parseOnly.TicketsPerSecond));
        table.AddRow("p50 ms", F(result.P50Ms, "N2"), parseOnly is null ? "" : F(parseOnly.P50Ms, "N2"));
        table.AddRow("p95 ms", F(result.P95Ms, "N2"), parseOnly is null ? "" : F(parseOnly.P95Ms, "N2"));
        table.AddRow("p99 ms", F(result.P99Ms, "N2"), parseOnly is null ? "" : F(parseOnly.P99Ms, "N2"));
        table.AddRow("max ms", F(result.MaxMs, "N2"), parseOnly is null ? "" : F(parseOnly.MaxMs, "N2"));
        table.AddRow("errors", result.Errors.ToString(CultureInfo.InvariantCulture) + (result.Errors > 0 ? " (" + string.Join(", ", result.ErrorsByKind.Select(e => $"{e.Key}: {e.Value}")) + ")" : ""),
            parseOnly?.Errors.ToString(CultureInfo.InvariantCulture) ?? "");
        AnsiConsole.Write(table);
        if (sqlite is not null)
        {
            AnsiConsole.MarkupLine($"Raw SQLite on the same disk: {F(sqlite.RowsPerSecondOneTransaction)} rows/s in one transaction, {F(sqlite.OneRowCommitsPerSecond)} one-row commits/s.");
        }

        foreach (var (name, value) in ratios.Where(r => r.Value is not null))
        {
            AnsiConsole.MarkupLine($"{name}: {value:0.000}");
        }
    }

    private static double? Round(double value) => double.IsNaN(value) ? null : Math.Round(value, 2);
}
