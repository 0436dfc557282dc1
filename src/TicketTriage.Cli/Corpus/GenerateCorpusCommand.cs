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
                PrintComposition(tickets);
                var result = CorpusDifficulty.Measure([.. tickets.Select(t => (t.Text, t.Category))]);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Word-unigram baseline, train {result.Train} / test {result.Test} (every 5th row): naive Bayes accuracy {result.NaiveBayesAccuracy:0.000}, TF-IDF nearest-centroid accuracy {result.CentroidAccuracy:0.000}"));
            }
            return 0;
        });
        return command;
    }

    private static void PrintComposition(IReadOnlyList<GeneratedTicket> tickets)
    {
        static string Pct(int part, int whole) => (part * 100.0 / Math.Max(1, whole)).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        var emails = tickets.Where(t => t.Channel == CorpusTicketWriter.ChannelEmail).ToList();
        var lengths = tickets.Select(t => t.Text.Length).Order().ToList();
        Console.WriteLine($"  quoted thread {Pct(emails.Count(t => t.HasQuotedThread), emails.Count)} of e-mails, signature {Pct(emails.Count(t => t.HasSignature), emails.Count)} of e-mails");
        Console.WriteLine($"  pasted error {Pct(tickets.Count(t => t.HasErrorBlock), tickets.Count)}, typos in {Pct(tickets.Count(t => t.TypoCount > 0), tickets.Count)}, mixed {Pct(tickets.Count(t => t.SecondaryCategory is not null), tickets.Count)}, vague {Pct(tickets.Count(t => t.IsVague), tickets.Count)}");
        Console.WriteLine($"  tones: {string.Join(", ", tickets.GroupBy(t => t.Tone).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {Pct(g.Count(), tickets.Count)}"))}");
        Console.WriteLine($"  length in characters: min {lengths[0]}, median {lengths[lengths.Count / 2]}, 90th percentile {lengths[lengths.Count * 9 / 10]}, max {lengths[^1]}");
    }
}
