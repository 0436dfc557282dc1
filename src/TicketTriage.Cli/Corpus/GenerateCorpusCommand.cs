using System.CommandLine;
using System.Globalization;
using System.Text;

namespace TicketTriage.Cli.Corpus;

/// <summary>
/// <c>triage generate corpus --out data/training/tickets.csv [--count 4000] [--seed 20261121] [--check]</c>:
/// writes the labeled ticket corpus and prints its category counts (and, with --check, its bag-of-words difficulty).
/// </summary>
internal static class GenerateCorpusCommand
{
    public static Command Create()
    {
        var output = new Option<FileInfo>("--out") { Description = "CSV file to write (id,text,category,channel).", Required = true };
        var count = new Option<int>("--count") { Description = "Number of tickets.", DefaultValueFactory = _ => CorpusOptions.DefaultCount };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed and count give byte-identical output.", DefaultValueFactory = _ => CorpusOptions.DefaultSeed };
        var check = new Option<bool>("--check") { Description = "Also measure a word-unigram baseline (naive Bayes, TF-IDF centroid) on an 80/20 split." };

        var command = new Command("corpus", "Generate the labeled hosting-support ticket corpus used to train the classifier.")
        {
            output, count, seed, check,
        };
        command.SetAction(parse =>
        {
            var options = new CorpusOptions { Count = parse.GetValue(count), Seed = parse.GetValue(seed) };
            if (options.Count < 1)
            {
                Console.Error.WriteLine("--count must be at least 1.");
                return 2;
            }
            var tickets = new CorpusGenerator(options).Generate();
            var file = parse.GetValue(output)!;
            file.Directory?.Create();
            using (var writer = new StreamWriter(file.FullName, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
            {
                CorpusCsv.Write(writer, tickets);
            }

            Console.WriteLine($"Wrote {tickets.Count} tickets to {file.FullName} (seed {options.Seed}).");
            foreach (var group in tickets.GroupBy(t => t.Category).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {group.Key,-22} {group.Count(),5}  {group.Count() * 100.0 / tickets.Count,5:0.0}%"));
            }
            foreach (var group in tickets.GroupBy(t => t.Channel).OrderByDescending(g => g.Count()))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  channel {group.Key,-14} {group.Count(),5}"));
            }
            if (parse.GetValue(check))
            {
                var result = CorpusDifficulty.Measure([.. tickets.Select(t => (t.Text, t.Category))]);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Word-unigram baseline, train {result.Train} / test {result.Test} (every 5th row): naive Bayes accuracy {result.NaiveBayesAccuracy:0.000}, TF-IDF nearest-centroid accuracy {result.CentroidAccuracy:0.000}"));
            }
            return 0;
        });
        return command;
    }
}
