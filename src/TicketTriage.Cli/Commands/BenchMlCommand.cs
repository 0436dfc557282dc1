using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace TicketTriage.Cli.Commands;

/// <summary>`triage bench ml`: single-thread featurize+classify rates, and the pattern detector's assignment rate.</summary>
internal static class BenchMlCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON." };
        var banking77 = new Option<string?>("--banking77") { Description = "Folder with BANKING77 train.csv and test.csv (default ../shared/data/banking77)." };
        var command = new Command("ml", "Featurize+classify texts/s on one core (BANKING77 texts, 1 KB bodies); pattern assignment tickets/s; memory per 100k tickets.");
        command.Options.Add(json);
        command.Options.Add(banking77);
        command.SetAction(result =>
        {
            var dir = result.GetValue(banking77);
            var classify = ClassifyBenchmark.MeasureAll(dir);
            var (assign, bytes) = AssignBenchmark.Measure(dir);
            var figures = new Dictionary<string, double>
            {
                ["classifyPerSecond"] = Math.Round(classify.ClassifyPerSecond),
                ["classifyLongPerSecond"] = Math.Round(classify.ClassifyLongPerSecond),
                ["assignPerSecond"] = Math.Round(assign),
                ["bytesPer100kTickets"] = Math.Round(bytes),
                ["classifyDefaultSettingsPerSecond"] = Math.Round(classify.ClassifyDefaultPerSecond),
                ["classifyLongBanking77SettingsPerSecond"] = Math.Round(classify.ClassifyLongBanking77PerSecond),
                ["naiveClassifyPerSecond"] = Math.Round(classify.NaivePerSecond),
                ["longBodyCharacters"] = Math.Round(classify.MeanLongLength),
                ["processorCount"] = Environment.ProcessorCount,
            };
            if (result.GetValue(json))
            {
                // NaN (a part not measured) is not valid JSON: write null.
                Console.WriteLine(JsonSerializer.Serialize(figures.ToDictionary(p => p.Key, p => double.IsNaN(p.Value) ? (double?)null : p.Value), new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                var table = new Table().AddColumns("figure", "value");
                foreach (var (key, value) in figures)
                {
                    table.AddRow(key, double.IsNaN(value) ? "n/a" : value.ToString("N0", CultureInfo.InvariantCulture));
                }

                AnsiConsole.Write(table);
            }

            return 0;
        });
        return command;
    }
}
