using TicketTriage.Cli.Data;
using TicketTriage.ML.Similarity;
using System.Text.RegularExpressions;

namespace TicketTriage.Cli.Commands;

/// <summary>A report: its id, subject and body.</summary>
internal sealed record Report(long Id, string Subject, string Body);

/// <summary>Ranks of the known duplicate, one per ordered pair; 0 when it was not ranked at all.</summary>
internal sealed record DuplicateRanks(int[] Ranks)
{
    public double RecallAt(int k) => Ranks.Length == 0 ? 0 : Ranks.Count(r => r > 0 && r <= k) / (double)Ranks.Length;

    public double MeanReciprocalRank => Ranks.Length == 0 ? 0 : Ranks.Sum(r => r > 0 ? 1.0 / r : 0) / Ranks.Length;
}

/// <summary>
/// Scores "has this been seen before?" on reports with known duplicates: for each ordered pair (id, duplicate) the
/// rank of the duplicate among the reports most similar to id, id itself excluded — for the index and for a plain
/// TF-IDF cosine reference over the same reports.
/// </summary>
internal static partial class SimilarityEvaluation
{
    public static IReadOnlyList<Report> ReadReports(string path) =>
        LabeledCsv.Read(path, "subject", "body")
            .Select(r => new Report(long.Parse(r.Columns["id"], System.Globalization.CultureInfo.InvariantCulture), r.Text, r.Columns["body"]))
            .ToArray();

    public static IReadOnlyList<(long Id, long Duplicate)> ReadPairs(string path, IReadOnlyList<Report> reports)
    {
        var known = reports.Select(r => r.Id).ToHashSet();
        var pairs = LabeledCsv.Read(path, "id", "duplicate_id")
            .Select(r => (long.Parse(r.Text, System.Globalization.CultureInfo.InvariantCulture), long.Parse(r.Label, System.Globalization.CultureInfo.InvariantCulture)))
            .ToArray();
        var missing = pairs.Where(p => !known.Contains(p.Item1) || !known.Contains(p.Item2)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidDataException($"{missing.Length} duplicate pairs name reports not in the tickets file, e.g. {missing[0].Item1},{missing[0].Item2}.");
        }

        return pairs;
    }

    /// <summary>Builds the index from every report in file order and ranks each pair's duplicate with MostSimilar.</summary>
    public static DuplicateRanks Index(IReadOnlyList<Report> reports, IReadOnlyList<(long Id, long Duplicate)> pairs, SimilarityOptions options)
    {
        var index = new SimilarTicketIndex(options);
        foreach (var r in reports)
        {
            index.Add(r.Id, r.Subject, r.Body);
        }

        return new(pairs.Select(p => RankOf(index.MostSimilar(p.Id, reports.Count).Select(s => s.Id), p.Duplicate)).ToArray());
    }

    /// <summary>
    /// The reference, TF-IDF as textbooks and scikit-learn's defaults have it: subject and body as one lower-cased
    /// text, words of two or more letters/digits, raw term frequency × smoothed IDF (ln((1+N)/(1+df)) + 1) fitted on
    /// the same reports, L2-normalised, cosine against every other report. Independent of the project's text code.
    /// </summary>
    public static DuplicateRanks TfidfCosine(IReadOnlyList<Report> reports, IReadOnlyList<(long Id, long Duplicate)> pairs)
    {
        var counts = reports.Select(r => PlainWords().Matches((r.Subject + "\n" + r.Body).ToLowerInvariant())
            .GroupBy(m => m.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal)).ToArray();
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var term in counts.SelectMany(c => c.Keys))
        {
            df[term] = df.GetValueOrDefault(term) + 1;
        }

        var vectors = counts.Select(c =>
        {
            var v = c.ToDictionary(p => p.Key, p => p.Value * (Math.Log((1.0 + reports.Count) / (1.0 + df[p.Key])) + 1), StringComparer.Ordinal);
            var norm = Math.Sqrt(v.Values.Sum(x => x * x));
            return v.ToDictionary(p => p.Key, p => norm > 0 ? p.Value / norm : 0, StringComparer.Ordinal);
        }).ToArray();
        var position = reports.Select((r, i) => (r.Id, i)).ToDictionary(x => x.Id, x => x.i);
        return new(pairs.Select(p =>
        {
            var q = vectors[position[p.Id]];
            var ranked = Enumerable.Range(0, reports.Count)
                .Where(i => reports[i].Id != p.Id)
                .Select(i => (reports[i].Id, Score: q.Sum(t => t.Value * vectors[i].GetValueOrDefault(t.Key))))
                .OrderByDescending(x => x.Score).ThenBy(x => x.Id)
                .Select(x => x.Id);
            return RankOf(ranked, p.Duplicate);
        }).ToArray());
    }

    [GeneratedRegex(@"\b\w\w+\b", RegexOptions.CultureInvariant)]
    private static partial Regex PlainWords();

    private static int RankOf(IEnumerable<long> ranked, long wanted)
    {
        var rank = 0;
        foreach (var id in ranked)
        {
            rank++;
            if (id == wanted)
            {
                return rank;
            }
        }

        return 0;
    }

    /// <summary>
    /// Seeded bootstrap over the pairs: the 2.5 / 50 / 97.5 percentiles of recall@k for a and b and of a − b, and
    /// how often a − b ≤ 0.
    /// </summary>
    public static Bootstrap Resample(DuplicateRanks a, DuplicateRanks b, int k, int rounds = 2000, int seed = 20261202)
    {
        var random = new Random(seed);
        var n = a.Ranks.Length;
        var ra = new double[rounds];
        var rb = new double[rounds];
        var diff = new double[rounds];
        for (var round = 0; round < rounds; round++)
        {
            int hitsA = 0, hitsB = 0;
            for (var i = 0; i < n; i++)
            {
                var j = random.Next(n);
                hitsA += a.Ranks[j] is > 0 and var x && x <= k ? 1 : 0;
                hitsB += b.Ranks[j] is > 0 and var y && y <= k ? 1 : 0;
            }

            ra[round] = hitsA / (double)n;
            rb[round] = hitsB / (double)n;
            diff[round] = ra[round] - rb[round];
        }

        return new(Percentiles(ra), Percentiles(rb), Percentiles(diff), diff.Count(d => d <= 0) / (double)rounds);
    }

    private static (double Low, double Median, double High) Percentiles(double[] values)
    {
        var sorted = values.Order().ToArray();
        return (sorted[(int)(0.025 * (sorted.Length - 1))], sorted[sorted.Length / 2], sorted[(int)(0.975 * (sorted.Length - 1))]);
    }
}

internal sealed record Bootstrap(
    (double Low, double Median, double High) A, (double Low, double Median, double High) B,
    (double Low, double Median, double High) Difference, double ShareNotBetter);
