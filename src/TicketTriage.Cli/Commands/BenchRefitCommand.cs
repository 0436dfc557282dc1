using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using TicketTriage.ML.Engine;
using TicketTriage.ML.Scenarios;

namespace TicketTriage.Cli.Commands;

/// <summary>
/// `triage bench refit [--scenario FILE] [--tickets N] [--json]`: what a featurizer refit costs — the fit on 4,000 and
/// on 20,000 texts (the default RefitMaxHistory; wall and process CPU time), and carrying an engine that has triaged
/// N tickets over to the new fit (ApplyRefit, on the worker's loop: triage waits for it). On the way, the engine's
/// creation on 4,000 texts (the app's first start) and its rate triaging those N tickets of ordinary traffic.
/// </summary>
internal static class BenchRefitCommand
{
    public static Command Create()
    {
        var file = new Option<FileInfo>("--scenario") { Description = "Scenario whose ordinary traffic supplies the texts.", DefaultValueFactory = _ => new FileInfo("data/scenarios/webmail-surge-then-db.json") };
        var count = new Option<int>("--tickets") { Description = "Tickets the engine triages before the refit.", DefaultValueFactory = _ => 10_000 };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON." };
        var command = new Command("refit", "Featurizer refit: fit time on 4k and 20k texts, the time to carry the engine's state over, and the warm engine's triage rate, tickets fed from one thread.");
        command.Options.Add(file);
        command.Options.Add(count);
        command.Options.Add(json);
        command.SetAction(result =>
        {
            Scenario scenario;
            using (var stream = result.GetRequiredValue(file).OpenRead())
            {
                scenario = ScenarioJson.Parse(stream);
            }

            var options = new EngineOptions();
            var tickets = Enough(scenario, options.RefitMaxHistory + result.GetValue(count));
            var texts = tickets.Select(t => t.Text).ToList();
            var figures = new Dictionary<string, double>();
            Timed(() => TriageEngine.FitHistory(options, texts[..4000]), "fit4k", figures);
            Timed(() => TriageEngine.FitHistory(options, texts[..options.RefitMaxHistory]), "fit20k", figures);

            var engine = Timed(() => TriageEngine.Create(options, texts[..4000], null), "create4k", figures);
            var fed = tickets.Skip(options.RefitMaxHistory).Take(result.GetValue(count)).ToList();
            // A warm engine (past its first day of stream, every burst test on), fed from one thread as the worker's
            // engine step is, featurizing as it goes.
            var triage = Timed(() =>
            {
                for (var i = 0; i < fed.Count; i++)
                {
                    engine.Triage(new EngineTicket(i, fed[i].Text, fed[i].Time, fed[i].Attributes));
                }

                return fed.Count;
            }, "triage", figures);
            figures["triagedPerSecond"] = Math.Round(triage / (figures["triageMs"] / 1000));

            var fit = TriageEngine.FitHistory(options, texts[^options.RefitMaxHistory..]);
            var translate = engine.ApplyRefit(fit);
            figures["translateMs"] = Math.Round(translate.TotalMilliseconds);
            figures["ticketsTriagedBefore"] = fed.Count;
            figures["livePatterns"] = engine.Patterns().Count;
            figures["processorCount"] = Environment.ProcessorCount;
            Console.WriteLine(result.GetValue(json)
                ? JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true })
                : string.Join(Environment.NewLine, figures.Select(f => $"{f.Key}: {f.Value:N0}")));
            return 0;
        });
        return command;
    }

    // Ordinary traffic of the scenario's company, as many days as it takes.
    private static List<ScenarioTicket> Enough(Scenario scenario, int count)
    {
        for (var days = 7.0; ; days *= 2)
        {
            var tickets = ScenarioReplay.History(scenario, days).Tickets;
            if (tickets.Count >= count)
            {
                return [.. tickets];
            }
        }
    }

    private static T Timed<T>(Func<T> work, string name, Dictionary<string, double> figures)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var value = work();
        figures[name + "Ms"] = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        process.Refresh();
        figures[name + "CpuMs"] = Math.Round((process.TotalProcessorTime - cpu).TotalMilliseconds);
        return value;
    }
}
