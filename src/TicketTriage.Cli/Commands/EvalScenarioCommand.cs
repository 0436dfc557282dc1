using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using TicketTriage.ML.Scenarios;

namespace TicketTriage.Cli.Commands;

/// <summary>
/// `triage eval scenario FILE [--json] [--seed N] [--flags] [--no-refit] [--background-scale X]`: generates the scenario's ticket stream, runs the engine
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
        var noRefit = new Option<bool>("--no-refit") { Description = "Keep the first fit of the featurizer (the app refits it as tickets grow): to measure what refitting changes." };
        var backgroundScale = new Option<double?>("--background-scale")
        {
            Description = "Multiply the everyday traffic (and the history's) by this factor, the incidents unchanged: the same scenario on a busier desk.",
        };
        var command = new Command("scenario", "Replay a surge scenario through the engine and score it against the planted incidents.");
        command.Arguments.Add(file);
        command.Options.Add(json);
        command.Options.Add(seed);
        command.Options.Add(showFlags);
        command.Options.Add(noRefit);
        command.Options.Add(backgroundScale);
        command.SetAction(result =>
        {
            var path = result.GetRequiredValue(file);
            Scenario scenario;
            using (var stream = path.OpenRead())
            {
                scenario = ScenarioJson.Parse(stream);
            }

            if (result.GetValue(backgroundScale) is { } scale)
            {
                scenario = scenario.WithBackgroundScaled(scale);
            }

            var generated = ScenarioGenerator.Generate(scenario, result.GetValue(seed));
            var options = new ReplayOptions();
            if (result.GetValue(noRefit))
            {
                options = options with { Engine = options.Engine with { RefitFeaturizer = false } };
            }

            var report = ScenarioReplay.Run(generated, options);
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
                    secondsAfterFifthTicket = i.SecondsAfterFifthTicket,
                    purity = Math.Round(i.Purity, 4),
                    recall = Math.Round(i.Recall, 4),
                    concentrationFound = i.ConcentrationFound,
                    changeFound = i.ChangeFound,
                    fragments = i.Fragments,
                    linkedChange = i.LinkedChange,
                }),
                falseAlarms = report.FalseAlarms,
                simulatedDays = Math.Round(report.SimulatedDays, 2),
                falseAlarmsPerDay = Math.Round(report.FalseAlarmsPerDay, 4),
                incidentsSeparated = report.IncidentsSeparated,
                refits = report.Refits,
                historySize = report.HistorySize,
            },
            new JsonSerializerOptions { WriteIndented = true });

    // Plain text, one line per fact: it goes into docs and CI logs, where a wrapped table helps nobody.
    private static void Print(ScenarioReport report, bool showFlags)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv,
            $"{report.Scenario}: {report.Tickets:N0} tickets over {report.SimulatedDays:0.#} simulated days, {report.Patterns:N0} patterns, {report.TicketsPerSecond:N0} tickets/s replayed, featurizer refitted {report.Refits} time(s) (last on {report.HistorySize:N0} texts)"));
        foreach (var i in report.Incidents)
        {
            Console.WriteLine();
            Console.WriteLine($"{i.Name} ({i.Tickets} tickets) → pattern \"{i.PatternTitle}\" ({i.PatternSize} tickets)");
            Console.WriteLine(i.DetectedAfterTickets is { } n
                ? string.Create(inv, $"  flagged emerging after {n} of its tickets, {Format(i.DetectedAfterSeconds)} s after its first, {Format(i.SecondsAfterFifthTicket)} s after its 5th{Bar(n <= 5 && i.SecondsAfterFifthTicket <= 60)}")
                : "  never flagged emerging  [bar missed]");
            if (i.EmergenceEvidence is { } e)
            {
                Console.WriteLine($"  emerging: {e}");
            }

            Console.WriteLine(string.Create(inv, $"  purity {i.Purity:0.00}{Bar(i.Purity >= 0.9)}, recall {i.Recall:0.00}, in {i.Fragments} pattern(s)"));
            Console.WriteLine($"  concentration expected: {string.Join("; ", i.ExpectedConcentrations)} → {(i.ConcentrationFound ? "found" : "missed  [bar missed]")}");
            Console.WriteLine($"  concentrations: {(i.Concentrations.Count == 0 ? "(none)" : string.Join("; ", i.Concentrations.Take(6)))}");
            Console.WriteLine((i.ChangeFound, i.ExpectedChange) switch
            {
                (true, null) => "  change: none planted, none linked",
                (true, _) => $"  change: {i.ChangeEvidence}",
                (false, null) => $"  change: none planted, but linked {i.LinkedChange}: {i.ChangeEvidence}  [bar missed]",
                (false, _) => $"  change expected {i.ExpectedChange}, {(i.LinkedChange is null ? "none linked" : $"linked {i.LinkedChange}")}  [bar missed]",
            });
        }

        Console.WriteLine();
        if (report.Incidents.Count > 1)
        {
            Console.WriteLine($"Incidents in separate patterns: {(report.IncidentsSeparated ? "yes" : "no  [bar missed]")}");
        }

        Console.WriteLine(string.Create(inv,
            $"False alarms: {report.FalseAlarms} ({report.FalseAlarmsPerDay:0.00} per simulated day){Bar(report.FalseAlarmsPerDay <= 1)}; emerging flags in all: {report.Flags.Count}"));
        if (showFlags)
        {
            foreach (var f in report.Flags)
            {
                Console.WriteLine(string.Create(inv,
                    $"  {f.At:yyyy-MM-dd HH:mm:ss}Z pattern {f.PatternId} ({f.Size} tickets, {f.MajorityShare:0%} {f.MajorityIncident ?? "background"}): {f.Evidence}"));
            }
        }
    }

    private static string Bar(bool met) => met ? "" : "  [bar missed]";

    private static string Format(double? seconds) =>
        seconds is { } s ? s.ToString("0", CultureInfo.InvariantCulture) : "–";
}
