using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using TicketTriage.Cli.Http;

namespace TicketTriage.Cli.Commands;

/// <summary>
/// <c>triage import FILE.csv|FILE.jsonl --url U --api-key K [--source import] [--batch 500]</c>: sends a file's tickets
/// through the batch API with a progress bar. Safe to re-run: each row keeps its external id (its id column, or a hash
/// of its content), so tickets already imported come back as duplicates. A bad row is reported with its row number
/// and the API's field errors; the import goes on.
/// </summary>
internal static class ImportCommand
{
    private const long MaxBatchBytes = 8 * 1024 * 1024;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A .csv (with a header row) or .jsonl file of tickets." };
        var url = new Option<string>("--url") { Description = "The app's base URL.", Required = true };
        var apiKey = new Option<string>("--api-key") { Description = "An API key with the ingest scope.", Required = true };
        var source = new Option<string>("--source") { Description = "Source name for rows that have none.", DefaultValueFactory = _ => "import" };
        var batch = new Option<int>("--batch") { Description = "Tickets per request (1-1000).", DefaultValueFactory = _ => 500 };

        var command = new Command("import", "Import tickets from CSV or JSONL through the batch API (idempotent: re-running is safe).");
        command.Arguments.Add(file);
        foreach (var option in new Option[] { url, apiKey, source, batch })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                AnsiConsole.MarkupLine($"[red]No such file: {Markup.Escape(path.FullName)}[/]");
                return 2;
            }

            using var client = CliOptions.Client(parse.GetValue(url)!, parse.GetValue(apiKey)!, 4);
            var size = Math.Clamp(parse.GetValue(batch), 1, 1000);
            try
            {
                var summary = await RunAsync(path, parse.GetValue(source)!, size, new BatchUploader(client), cancellationToken);
                AnsiConsole.MarkupLine(
                    $"{summary.Rows:N0} rows: [green]{summary.Created:N0} created[/], {summary.Duplicates:N0} already there, " +
                    $"{(summary.Failed > 0 ? "[red]" : "")}{summary.Failed:N0} failed{(summary.Failed > 0 ? "[/]" : "")}.");
                return summary.Failed > 0 ? 1 : 0;
            }
            catch (ImportStoppedException e)
            {
                AnsiConsole.MarkupLine($"[red]Import stopped: {Markup.Escape(e.Message)}[/]");
                return 2;
            }
            catch (HttpRequestException e)
            {
                AnsiConsole.MarkupLine($"[red]Cannot reach the app: {Markup.Escape(e.Message)}[/]");
                return 2;
            }
        });
        return command;
    }

    private sealed record Summary(long Rows, long Created, long Duplicates, long Failed);

    private static async Task<Summary> RunAsync(FileInfo path, string source, int batchSize, BatchUploader uploader, CancellationToken cancellationToken)
    {
        long rows = 0, created = 0, duplicates = 0, failed = 0;
        var errors = new List<(long Row, string Error)>();
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape(path.Name), maxValue: Math.Max(1, path.Length));
                await using var stream = path.OpenRead();
                var pending = new List<TicketRow>();
                long pendingBytes = 0;

                async Task FlushAsync()
                {
                    if (pending.Count == 0)
                    {
                        return;
                    }

                    var results = await uploader.UploadAsync([.. pending.Select(p => p.Ticket!)], cancellationToken);
                    for (var i = 0; i < pending.Count; i++)
                    {
                        switch (results[i].Status)
                        {
                            case 201: created++; break;
                            case 200: duplicates++; break;
                            default:
                                failed++;
                                Report(errors, pending[i].Row, results[i].Error ?? $"status {results[i].Status}");
                                break;
                        }
                    }

                    pending.Clear();
                    pendingBytes = 0;
                    task.Value = stream.Position;
                }

                foreach (var row in TicketRows.Read(stream, path.Name, source))
                {
                    rows++;
                    if (row.Ticket is null)
                    {
                        failed++;
                        Report(errors, row.Row, row.Error!);
                        continue;
                    }

                    pending.Add(row);
                    pendingBytes += EstimateBytes(row.Ticket);
                    if (pending.Count >= batchSize || pendingBytes >= MaxBatchBytes)
                    {
                        await FlushAsync();
                    }
                }

                await FlushAsync();
                task.Value = task.MaxValue;
            });

        foreach (var (row, error) in errors.OrderBy(e => e.Row))
        {
            AnsiConsole.MarkupLine($"[yellow]row {row}: {Markup.Escape(error)}[/]");
        }

        if (failed > errors.Count)
        {
            AnsiConsole.MarkupLine($"[yellow]… and {failed - errors.Count:N0} more.[/]");
        }

        return new Summary(rows, created, duplicates, failed);
    }

    private static void Report(List<(long Row, string Error)> errors, long row, string error)
    {
        // Every bad row is counted; the first thousand are listed (by row number, after the progress bar).
        if (errors.Count < 1000)
        {
            errors.Add((row, error));
        }
    }

    private static long EstimateBytes(JsonObject ticket) =>
        (ticket["body"]?.ToString().Length ?? 0) + (ticket["subject"]?.ToString().Length ?? 0) + 512;
}
