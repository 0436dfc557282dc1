using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TicketTriage.ML.Similarity;

namespace TicketTriage.Cli.Commands;

/// <summary>
/// <c>triage eval similar --tickets FILE --duplicates FILE</c>: for each known ordered duplicate pair (id →
/// duplicate_id), is the duplicate among the 5 reports most similar to id (id excluded)? Recall@1/5/10 and MRR for
/// <see cref="SimilarTicketIndex"/> and, in the same run, for a plain TF-IDF cosine reference; a seeded bootstrap
/// over the pairs and the two halves of the pair list show how much of a difference is noise.
/// </summary>
internal static class EvalSimilarCommand
{
    public static Command Create()
    {
        var tickets = new Option<string>("--tickets") { Description = "CSV with id, subject, body.", Required = true };
        var duplicates = new Option<string>("--duplicates") { Description = "CSV with id, duplicate_id (ordered pairs).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON." };
        var command = new Command("similar", "Recall@5 of known duplicates for the similar-ticket index and a plain TF-IDF cosine reference.")
        {
            tickets, duplicates, json,
        };
        command.SetAction(parse => Run(parse.GetValue(tickets)!, parse.GetValue(duplicates)!, parse.GetValue(json)));
        return command;
    }

    private static int Run(string ticketsPath, string duplicatesPath, bool json)
    {
        var reports = SimilarityEvaluation.ReadReports(ticketsPath);
        var pairs = SimilarityEvaluation.ReadPairs(duplicatesPath, reports);
        if (Environment.GetEnvironmentVariable("TRIAGE_SWEEP") is { } grid)
        {
            Sweep(reports, pairs, grid);
            return 0;
        }

        var watch = Stopwatch.StartNew();
        var index = SimilarityEvaluation.Index(reports, pairs, new SimilarityOptions());
        var seconds = watch.Elapsed.TotalSeconds;
        var reference = SimilarityEvaluation.TfidfCosine(reports, pairs);
        var bootstrap = SimilarityEvaluation.Resample(index, reference, 5);
        if (Environment.GetEnvironmentVariable("TRIAGE_RANKS") is not null)
        {
            // Validation tooling: each pair's rank under both, to read the misses.
            for (var i = 0; i < pairs.Count; i++)
            {
                Console.Error.WriteLine($"{pairs[i].Id} -> {pairs[i].Duplicate}: index {index.Ranks[i]}, reference {reference.Ranks[i]}");
            }
        }

        var half = pairs.Count / 2;
        var firstHalf = (Index: new DuplicateRanks(index.Ranks[..half]), Reference: new DuplicateRanks(reference.Ranks[..half]));
        var secondHalf = (Index: new DuplicateRanks(index.Ranks[half..]), Reference: new DuplicateRanks(reference.Ranks[half..]));

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                tickets = reports.Count,
                pairs = pairs.Count,
                recallAt1 = R(index.RecallAt(1)),
                recallAt5 = R(index.RecallAt(5)),
                recallAt10 = R(index.RecallAt(10)),
                mrr = R(index.MeanReciprocalRank),
                referenceRecallAt1 = R(reference.RecallAt(1)),
                referenceRecallAt5 = R(reference.RecallAt(5)),
                referenceRecallAt10 = R(reference.RecallAt(10)),
                referenceMrr = R(reference.MeanReciprocalRank),
                recallAt5Bootstrap95 = new[] { R(bootstrap.A.Low), R(bootstrap.A.High) },
                referenceRecallAt5Bootstrap95 = new[] { R(bootstrap.B.Low), R(bootstrap.B.High) },
                recallAt5GainBootstrap95 = new[] { R(bootstrap.Difference.Low), R(bootstrap.Difference.High) },
                recallAt5FirstHalf = R(firstHalf.Index.RecallAt(5)),
                recallAt5SecondHalf = R(secondHalf.Index.RecallAt(5)),
                referenceRecallAt5FirstHalf = R(firstHalf.Reference.RecallAt(5)),
                referenceRecallAt5SecondHalf = R(secondHalf.Reference.RecallAt(5)),
                indexSeconds = Math.Round(seconds, 3),
            }, new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{reports.Count} reports, {pairs.Count} ordered duplicate pairs; index built and queried in {seconds:F2} s ({new SimilarityOptions()})"));
        Console.WriteLine($"{"",-34}{"recall@1",10}{"recall@5",10}{"recall@10",11}{"MRR",8}");
        Line("index: BM25 → cosine re-rank", index);
        Line("reference: plain TF-IDF cosine", reference);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bootstrap (2,000 resamples of the pairs), recall@5 95% interval: index {bootstrap.A.Low:F3}–{bootstrap.A.High:F3}, reference {bootstrap.B.Low:F3}–{bootstrap.B.High:F3}, gain {bootstrap.Difference.Low:+0.000;-0.000}–{bootstrap.Difference.High:+0.000;-0.000} (no gain in {bootstrap.ShareNotBetter:P1})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"halves of the pair list, recall@5: index {firstHalf.Index.RecallAt(5):F3} / {secondHalf.Index.RecallAt(5):F3}, reference {firstHalf.Reference.RecallAt(5):F3} / {secondHalf.Reference.RecallAt(5):F3}"));
        return 0;
    }

    private static double R(double value) => Math.Round(value, 4);

    private static void Line(string name, DuplicateRanks ranks) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-34}{ranks.RecallAt(1),10:F3}{ranks.RecallAt(5),10:F3}{ranks.RecallAt(10),11:F3}{ranks.MeanReciprocalRank,8:F3}"));

    // Validation tooling: TRIAGE_SWEEP="k1=0.9,1.2;b=0.5,0.75;subject=1,3;pairs=0,1;split=0,1;qterms=32,64;maxterms=512"
    private static void Sweep(IReadOnlyList<Report> reports, IReadOnlyList<(long, long)> pairs, string grid)
    {
        IEnumerable<float> Values(string name, float fallback)
        {
            var part = grid.Split(';').FirstOrDefault(p => p.StartsWith(name + "=", StringComparison.Ordinal));
            return part is null ? [fallback] : part[(name.Length + 1)..].Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture));
        }

        var d = new SimilarityOptions();
        foreach (var k1 in Values("k1", d.K1))
        foreach (var b in Values("b", d.B))
        foreach (var subject in Values("subject", d.SubjectWeight))
        foreach (var wordPairs in Values("pairs", d.WordPairs ? 1 : 0))
        foreach (var split in Values("split", d.SplitJoinedTokens ? 1 : 0))
        foreach (var qterms in Values("qterms", d.MaxQueryTerms))
        foreach (var maxTerms in Values("maxterms", d.MaxTermsPerTicket))
        foreach (var rerank in Values("rerank", d.RerankCandidates))
        foreach (var subjectSim in Values("subjectsim", d.SubjectSimilarityWeight))
        foreach (var sublinear in Values("sublinear", d.SublinearTf ? 1 : 0))
        foreach (var fusion in Values("fusion", d.Bm25Fusion))
        foreach (var grams in Values("grams", d.SubjectCharGramWeight))
        {
            var options = new SimilarityOptions
            {
                K1 = k1, B = b, SubjectWeight = (int)subject, WordPairs = wordPairs > 0, SplitJoinedTokens = split > 0,
                MaxQueryTerms = (int)qterms, MaxTermsPerTicket = (int)maxTerms, RerankCandidates = (int)rerank, SubjectSimilarityWeight = subjectSim,
                SublinearTf = sublinear > 0, Bm25Fusion = fusion, SubjectCharGramWeight = grams,
            };
            var r = SimilarityEvaluation.Index(reports, pairs, options);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"k1 {k1} b {b} subject {subject} pairs {wordPairs} split {split} qterms {qterms} maxterms {maxTerms} rerank {rerank} subjectsim {subjectSim} sublinear {sublinear} fusion {fusion} grams {grams}: R@1 {r.RecallAt(1):F3} R@5 {r.RecallAt(5):F3} R@10 {r.RecallAt(10):F3} MRR {r.MeanReciprocalRank:F3}"));
        }
    }
}
