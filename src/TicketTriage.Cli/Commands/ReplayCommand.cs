using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using TicketTriage.Cli.Http;

namespace TicketTriage.Cli.Commands;

/// <summary>
/// <c>triage replay FILE --url U --api-key K [--speed N | --max] [--truth OUT.csv] [--json]</c>: posts a scenario's
/// changes and tickets to a running app in time order, with a progress bar, and writes the truth for scoring.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A scenario (data/scenarios/*.json)." };
        var url = new Option<string>("--url") { Description = "The app's base URL.", Required = true };
        var apiKey = new Option<string>("--api-key") { Description = "An API key with the ingest scope.", Required = true };
        var speed = new Option<double?>("--speed") { Description = "Scenario time runs N times real time (default 60)." };
        var max = new Option<bool>("--max") { Description = "As fast as the app takes it, in batches (changes still in time order)." };
        var truth = new Option<FileInfo?>("--truth") { Description = "Write source,externalId,incident for every ticket to this CSV." };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };

        var command = new Command("replay", "Replay a surge scenario into a running app (changes and tickets in time order).");
        command.Arguments.Add(file);
        foreach (var option in new Option[] { url, apiKey, speed, max, truth, json })
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

            if (parse.GetValue(max) && parse.GetValue(speed) is not null)
            {
                AnsiConsole.MarkupLine("[red]Give --speed or --max, not both.[/]");
                return 2;
            }

            var feed = ScenarioReplayer.Feed(path.FullName);
            if (parse.GetValue(truth) is { } truthFile)
            {
                await using var writer = new StreamWriter(truthFile.FullName);
                ScenarioReplayer.WriteTruth(feed, writer);
            }

            double? rate = parse.GetValue(max) ? null : Math.Max(0.001, parse.GetValue(speed) ?? 60);
            using var client = CliOptions.Client(parse.GetValue(url)!, parse.GetValue(apiKey)!, 4);
            var replayer = new ScenarioReplayer(client);
            ScenarioReplayer.Result result;
            try
            {
                if (parse.GetValue(json))
                {
                    result = await replayer.RunAsync(feed, rate, null, cancellationToken);
                }
                else
                {
                    ScenarioReplayer.Result? done = null;
                    await AnsiConsole.Progress()
                        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                        .StartAsync(async progress =>
                        {
                            var task = progress.AddTask(Markup.Escape(path.Name), maxValue: Math.Max(1, feed.Count));
                            done = await replayer.RunAsync(feed, rate, n => task.Value = n, cancellationToken);
                        });
                    result = done!;
                }
            }
            catch (Exception e) when (e is ImportStoppedException or HttpRequestException)
            {
                AnsiConsole.MarkupLine($"[red]Replay stopped: {Markup.Escape(e.Message)}[/]");
                return 2;
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    scenario = path.Name, changes = result.Changes, tickets = result.Tickets, created = result.Created,
                    duplicates = result.Duplicates, seconds = Math.Round(result.Elapsed.TotalSeconds, 2),
                    ticketsPerSecond = Math.Round(result.Tickets / Math.Max(0.001, result.Elapsed.TotalSeconds), 1),
                }));
            }
            else
            {
                AnsiConsole.MarkupLine($"{result.Changes} changes, {result.Tickets:N0} tickets ([green]{result.Created:N0} created[/], {result.Duplicates:N0} already there) in {result.Elapsed.TotalSeconds:N1} s.");
            }

            return 0;
        });
        return command;
    }
}
