using System.Diagnostics;
using System.Globalization;
using TicketTriage.Cli.Data;
using TicketTriage.ML.Clustering;

namespace TicketTriage.Cli.Commands;

/// <summary>
/// The pattern detector's part of <c>triage bench ml</c>: assignment throughput on one thread with at least 10,000
/// live patterns, and the detector's memory growth per 100,000 tickets assigned.
/// <para>
/// Workload: synthetic incidents, each a BANKING77 sentence (realistic wording and vocabulary) plus three incident-specific pseudo-words and an error code, as a surge's tickets carry a hostname or code. The
/// build phase starts incidents until 10,000 patterns are live; the timed stream is 100,000 fresh tickets, 95% from
/// existing incidents (random words dropped) and 5% new ones. Texts are featurized before timing: the figure is
/// assignment (index lookup, scoring, centroid and index update, periodic merge pass), not featurization, which is
/// timed and printed separately. References from the same run go to stderr: featurize+assign, and exhaustive
/// assignment against every live centroid (and how often the index picks the same pattern as exhaustive search).
/// </para>
/// </summary>
internal static class AssignBenchmark
{
    private const int LivePatterns = 10_000;
    private const int StreamTickets = 100_000;

    /// <summary>Online pattern assignment tickets/s with 10,000 live patterns; memory per 100,000 tickets.</summary>
    public static (double AssignPerSecond, double BytesPer100kTickets) Measure(string? banking77Dir)
    {
        var r = MeasureDetailed(banking77Dir);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"assign: {r.AssignPerSecond:F0} tickets/s wall ({r.AssignPerCpuSecond:F0} per CPU-second of the process) with {r.LivePatternsAtStart} live patterns ({r.LivePatternsAtEnd} at end); " +
            $"{r.BytesPer100kTickets / 1e6:F1} MB per 100k tickets; featurize+assign {r.FeaturizeAndAssignPerSecond:F0}/s; " +
            $"exhaustive reference {r.ExhaustivePerSecond:F0}/s; index agrees with exhaustive on {r.IndexAgreement:P1}"));
        return (r.AssignPerSecond, r.BytesPer100kTickets);
    }

    internal sealed record AssignFigures(
        double AssignPerSecond, double BytesPer100kTickets, int LivePatternsAtStart, int LivePatternsAtEnd,
        double FeaturizeAndAssignPerSecond, double ExhaustivePerSecond, double IndexAgreement, double AssignPerCpuSecond);

    internal static AssignFigures MeasureDetailed(string? banking77Dir)
    {
        var sentences = LoadSentences(banking77Dir);
        // The live configuration: TF-IDF only (the LSA block is part of the offline evaluation; see docs/benchmarks.md).
        var featurizer = PatternFeaturizer.Fit(sentences);
        var options = new PatternDetectorOptions();
        var rng = new Random(42);
        var incidents = new List<string[]>();
        string NewIncident()
        {
            var words = new string[5];
            words[0] = sentences[rng.Next(sentences.Count)];
            for (var i = 1; i < 4; i++) words[i] = PseudoWord(rng);
            words[4] = string.Create(CultureInfo.InvariantCulture, $"err_{rng.Next(0x100000, 0xFFFFFF):x6}");
            incidents.Add(words);
            return string.Join(' ', words);
        }
        string Ticket(string[] words) =>
            string.Join(' ', words.Where((_, i) => i == 0 || rng.NextDouble() > 0.25));

        // 1. Build phase: new incidents until 10,000 patterns are live.
        var detector = new PatternDetector(options, featurizer.LatentDimensions);
        var t0 = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);
        var n = 0;
        while (detector.LivePatternCount < LivePatterns)
        {
            if (n > 10 * LivePatterns) throw new InvalidOperationException("Incidents keep joining each other; the workload cannot reach 10,000 live patterns.");
            var item = featurizer.Featurize(NewIncident());
            detector.Assign($"b{n}", item.Indices, item.Values, t0.AddMilliseconds(n * 50), latent: item.Latent);
            n++;
        }
        var liveAtStart = detector.LivePatternCount;

        // 2. The fresh stream, featurized ahead so only assignment is timed.
        var texts = new string[StreamTickets];
        for (var i = 0; i < texts.Length; i++)
            texts[i] = rng.NextDouble() < 0.05 ? NewIncident() : Ticket(incidents[rng.Next(incidents.Count)]);
        var featurizeWatch = Stopwatch.StartNew();
        var items = texts.Select(t => featurizer.Featurize(t)).ToArray();
        featurizeWatch.Stop();

        using var saved = new MemoryStream();
        detector.Save(saved);

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < items.Length; i++)
        {
            var it = items[i];
            // Ids are created here so the detector's growth includes the member ids it keeps.
            detector.Assign(i.ToString(CultureInfo.InvariantCulture), it.Indices, it.Values, t0.AddMilliseconds((n + i) * 50), latent: it.Latent);
        }
        watch.Stop();
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(detector);
        var assignPerSecond = items.Length / watch.Elapsed.TotalSeconds;
        var featurizeAndAssign = items.Length / (watch.Elapsed.TotalSeconds + featurizeWatch.Elapsed.TotalSeconds);

        // 3. Reference: exhaustive search over every live centroid, from the same saved state, on a sample.
        const int Sample = 200;
        saved.Position = 0;
        var indexed = PatternDetector.Load(saved);
        saved.Position = 0;
        var exhaustive = PatternDetector.Load(saved, o => o with { ExhaustiveSearch = true, MergeEvery = 0 });
        var agree = 0;
        var exhaustiveWatch = new Stopwatch();
        for (var i = 0; i < Sample; i++)
        {
            var it = items[i];
            var at = t0.AddMilliseconds((n + i) * 50);
            var a = indexed.Assign($"s{i}", it.Indices, it.Values, at, latent: it.Latent);
            exhaustiveWatch.Start();
            var b = exhaustive.Assign($"s{i}", it.Indices, it.Values, at, latent: it.Latent);
            exhaustiveWatch.Stop();
            if (a.PatternId == b.PatternId || (a.IsNew && b.IsNew)) agree++;
        }

        return new(assignPerSecond, (after - before) * (100_000.0 / items.Length), liveAtStart, detector.LivePatternCount,
            featurizeAndAssign, Sample / exhaustiveWatch.Elapsed.TotalSeconds, (double)agree / Sample, items.Length / cpu.TotalSeconds);
    }

    private static IReadOnlyList<string> LoadSentences(string? banking77Dir)
    {
        var path = Path.Combine(banking77Dir ?? Path.Combine("..", "shared", "data", "banking77"), "train.csv");
        if (File.Exists(path)) return LabeledCsv.Read(path).Select(r => r.Text).ToArray();
        // Without BANKING77 the workload still runs, on generated sentences (figures are then not comparable).
        var rng = new Random(7);
        return Enumerable.Range(0, 5000).Select(_ => string.Join(' ', Enumerable.Range(0, 8).Select(_ => PseudoWord(rng)))).ToArray();
    }

    private static string PseudoWord(Random rng)
    {
        Span<char> chars = stackalloc char[rng.Next(5, 9)];
        for (var i = 0; i < chars.Length; i++) chars[i] = (char)('a' + rng.Next(26));
        return new string(chars);
    }
}
