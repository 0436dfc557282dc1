using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using TicketTriage.ML.Scenarios;

namespace TicketTriage.Cli.Commands;

/// <summary>
/// `triage eval scenario FILE [--json] [--seed N] [--flags]`: generates the scenario's ticket stream, runs the engine
/// over it on the simulated clock and scores detection delay, purity, recall, concentration, change and false alarms.
/// </summary>
internal static class EvalScenarioCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "Scenario JSON (data/scenarios/*.json)." };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON." };
        var seed = new Option<int?>("--seed") { Description = "Replay with another random seed than the scenario's (robustness check)." };
        var showFlags = new Option<bool>("--flags") { Description = "Also list every emerging flag with what its pattern held." };
        var command = new Command("scenario", "Replay a surge scenario through the engine and score it against the planted incidents.");
        command.Arguments.Add(file);
        command.Options.Add(json);
        command.Options.Add(seed);
        command.Options.Add(showFlags);
        command.SetAction(result =>
        {
            var path = result.GetRequiredValue(file);
            Scenario scenario;
            using (var stream = path.OpenRead())
            {
                scenario = ScenarioJson.Parse(stream);
            }

            var generated = ScenarioGenerator.Generate(scenario, result.GetValue(seed));
            var report = ScenarioReplay.Run(generated);
            if (result.GetValue(json))
            {
                Console.WriteLine(ToJson(report));
            }
            else
            {
                Print(report, result.GetValue(showFlags));
            }

            return 0;
        });
        return command;
    }

    internal static string ToJson(ScenarioReport report) =>
        JsonSerializer.Serialize(
            new
            {
                incidents = report.Incidents.Select(i => new
                {
                    name = i.Name,
                    detectedAfterTickets = i.DetectedAfterTickets,
                    detectedAfterSeconds = i.DetectedAfterSeconds,
                    purity = Math.Round(i.Purity, 4),
                    recall = Math.Round(i.Recall, 4),
                    concentrationFound = i.ConcentrationFound,
                    changeFound = i.ChangeFound,
                }),
                falseAlarmsPerDay = Math.Round(report.FalseAlarmsPerDay, 4),
            },
            new JsonSerializerOptions { WriteIndented = true });

    private static void Print(ScenarioReport report, bool showFlags)
    {
        AnsiConsole.MarkupLine(
            $"[bold]{Markup.Escape(report.Scenario)}[/]: {report.Tickets:N0} tickets over {report.SimulatedDays:0.#} simulated days, " +
            $"{report.Patterns:N0} patterns, {report.TicketsPerSecond:N0} tickets/s replayed");
        var table = new Table().AddColumns("incident", "tickets", "flagged after", "s after 1st", "s after 5th", "purity", "recall", "concentration", "change");
        foreach (var i in report.Incidents)
        {
            table.AddRow(
                Markup.Escape(i.Name),
                i.Tickets.ToString(CultureInfo.InvariantCulture),
                i.DetectedAfterTickets is { } n ? $"{n} tickets" : "[red]never[/]",
                Format(i.DetectedAfterSeconds),
                Format(i.SecondsAfterFifthTicket),
                i.Purity.ToString("0.00", CultureInfo.InvariantCulture),
                i.Recall.ToString("0.00", CultureInfo.InvariantCulture),
                i.ConcentrationFound ? "found" : "[red]missed[/]",
                (i.ChangeFound, i.ExpectedChange) switch
                {
                    (true, null) => "none planted, none linked",
                    (true, _) => "found",
                    (false, null) => $"[red]wrongly linked {Markup.Escape(i.LinkedChange ?? "")}[/]",
                    (false, _) => i.LinkedChange is null ? "[red]not linked[/]" : $"[red]linked {Markup.Escape(i.LinkedChange)}[/]",
                });
        }

        AnsiConsole.Write(table);
        foreach (var i in report.Incidents)
        {
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(i.Name)}[/] → pattern \"{Markup.Escape(i.PatternTitle)}\" ({i.PatternSize} tickets)");
            if (i.EmergenceEvidence is { } e)
            {
                AnsiConsole.MarkupLine($"  emerging: {Markup.Escape(e)}");
            }

            AnsiConsole.MarkupLine($"  expected concentration: {Markup.Escape(string.Join("; ", i.ExpectedConcentrations))}");
            AnsiConsole.MarkupLine($"  found: {Markup.Escape(i.Concentrations.Count == 0 ? "(none)" : string.Join("; ", i.Concentrations.Take(4)))}");
            AnsiConsole.MarkupLine($"  change: {Markup.Escape(i.ChangeEvidence ?? "(none linked)")}");
        }

        AnsiConsole.MarkupLine($"False alarms: {report.FalseAlarms} ({report.FalseAlarmsPerDay:0.00} per simulated day); emerging flags in all: {report.Flags.Count}");
        if (showFlags)
        {
            foreach (var f in report.Flags)
            {
                AnsiConsole.MarkupLine(Markup.Escape(
                    $"  {f.At:yyyy-MM-dd HH:mm:ss}Z pattern {f.PatternId} ({f.Size} tickets, {f.MajorityShare:P0} {f.MajorityIncident ?? "background"}): {f.Evidence}"));
            }
        }
    }

    private static string Format(double? seconds) =>
        seconds is { } s ? s.ToString("0", CultureInfo.InvariantCulture) : "–";
}
