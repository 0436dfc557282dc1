using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TicketTriage.Cli.Corpus;
using TicketTriage.ML.Similarity;

namespace TicketTriage.Cli.Commands;

/// <summary>
/// <c>triage bench similar</c>: builds a <see cref="SimilarTicketIndex"/> from N synthetic tickets (the corpus
/// generator, 10,000 per seed; default 1,000,000) as the app does at start-up, then times queries against it.
/// Generation is not timed; Add is. Memory is the managed heap after a full collection, before and after the build,
/// beside the index's own count of its arrays. Query latency is per call on one thread: MostSimilar of stored
/// tickets and Query of unseen ones (subject + body), 10 answers each.
/// </summary>
internal static class BenchSimilarCommand
{
    private const int PerSeed = 10_000;

    public static Command Create()
    {
        var tickets = new Option<int>("--tickets") { Description = "Tickets to index.", DefaultValueFactory = _ => 1_000_000 };
        var queries = new Option<int>("--queries") { Description = "Queries of each kind to time.", DefaultValueFactory = _ => 1_000 };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON." };
        var wordSubjects = new Option<bool>("--word-subjects") { Description = "Reference: compare subjects by their words, not their character n-grams (the design before them)." };
        var command = new Command("similar", "Similar-ticket index: Add tickets/s and memory at N synthetic tickets, query latency p50/p95.")
        {
            tickets, queries, json, wordSubjects,
        };
        command.SetAction(parse => Run(parse.GetValue(tickets), parse.GetValue(queries), parse.GetValue(json),
            parse.GetValue(wordSubjects) ? new SimilarityOptions { SubjectCharGramWeight = 0f, SubjectSimilarityWeight = 0.5f } : new SimilarityOptions()));
        return command;
    }

    private static int Run(int count, int queryCount, bool json, SimilarityOptions options)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var index = new SimilarTicketIndex(options);
        var addTime = TimeSpan.Zero;
        var added = 0;
        for (var seed = 1; added < count; seed++)
        {
            var batch = new CorpusGenerator(new CorpusOptions { Count = Math.Min(PerSeed, count - added), Seed = seed }).Generate();
            var watch = Stopwatch.StartNew();
            foreach (var t in batch)
            {
                index.Add(added++ + 1, t.Subject, t.Body);
            }

            addTime += watch.Elapsed;
            if (!json && seed % 10 == 0)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {added:N0} added, {added / addTime.TotalSeconds:F0}/s"));
            }
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        var random = new Random(20261202);
        var stored = Enumerable.Range(0, queryCount).Select(_ => (long)random.Next(1, count + 1)).ToArray();
        var fresh = new CorpusGenerator(new CorpusOptions { Count = queryCount, Seed = 1_000_003 }).Generate();
        var mostSimilar = Time(stored, id => index.MostSimilar(id, 10));
        var query = Time(fresh, t => index.Query(t.Subject, t.Body, 10));

        var figures = new Dictionary<string, double>
        {
            ["tickets"] = count,
            ["addPerSecond"] = Math.Round(count / addTime.TotalSeconds),
            ["buildSeconds"] = Math.Round(addTime.TotalSeconds, 1),
            ["managedBytesPerTicket"] = Math.Round((after - before) / (double)count),
            ["indexBytesPerTicket"] = Math.Round(index.ApproximateBytes / (double)count),
            ["terms"] = index.TermCount,
            ["mostSimilarP50Ms"] = mostSimilar.P50,
            ["mostSimilarP95Ms"] = mostSimilar.P95,
            ["queryP50Ms"] = query.P50,
            ["queryP95Ms"] = query.P95,
            ["processorCount"] = Environment.ProcessorCount,
        };
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            foreach (var (key, value) in figures)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key,-26} {value:#,0.###}"));
            }
        }

        return 0;
    }

    private static (double P50, double P95) Time<T>(IReadOnlyList<T> inputs, Action<T> call)
    {
        var ms = new double[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            var watch = Stopwatch.StartNew();
            call(inputs[i]);
            ms[i] = watch.Elapsed.TotalMilliseconds;
        }

        Array.Sort(ms);
        return ms.Length == 0 ? (0, 0) : (Math.Round(ms[ms.Length / 2], 3), Math.Round(ms[(int)(0.95 * (ms.Length - 1))], 3));
    }
}
