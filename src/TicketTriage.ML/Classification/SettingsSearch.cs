using System.Diagnostics;
using System.Numerics.Tensors;
using TicketTriage.ML.Evaluation;
using TicketTriage.ML.Text;

namespace TicketTriage.ML.Classification;

/// <summary>How much the settings search may spend.</summary>
/// <param name="Folds">Stratified folds of the cross-validation each candidate is scored by.</param>
/// <param name="MaxTrials">Candidates scored at most (the starting settings count as one).</param>
/// <param name="TimeLimit">Wall time after which no new candidate is started; the best so far is kept. A backstop:
/// on a shared machine wall time measures the neighbours as much as the search.</param>
/// <param name="Rounds">Passes over the dimensions; a pass that changes nothing ends the search early.</param>
/// <param name="CpuTimeLimit">Process CPU time (all threads) after which no new candidate is started: the work
/// budget, the same on a quiet machine and a loaded one, so the candidates reached do not depend on the neighbours.</param>
public sealed record SearchBudget(int Folds = 3, int MaxTrials = 40, TimeSpan? TimeLimit = null, int Rounds = 2, TimeSpan? CpuTimeLimit = null)
{
    /// <summary>
    /// 40 candidates, 20 CPU-minutes (BANKING77's 10,000 rows took under 3 for a whole search of 32), and a
    /// 45-minute wall backstop that only a machine shared many times over reaches.
    /// </summary>
    public static SearchBudget Default { get; } = new(TimeLimit: TimeSpan.FromMinutes(45), CpuTimeLimit: TimeSpan.FromMinutes(20));

    /// <summary>The process CPU time so far (user + kernel, every thread).</summary>
    internal static TimeSpan ProcessCpuTime() => Environment.CpuUsage.UserTime + Environment.CpuUsage.PrivilegedTime;
}

/// <summary>
/// One scored candidate: what differs from the settings it was tried against, its cross-validated score, the standard
/// error of its paired difference from the settings it was tried against, and its cost (wall and process CPU seconds).
/// </summary>
public sealed record SearchTrial(string Dimension, string Value, double BalancedAccuracy, double Accuracy, bool Kept, double Seconds,
    double StandardError = 0, double CpuSeconds = 0);

/// <summary>The chosen settings, their cross-validated score, and every candidate tried on the way.</summary>
public sealed record SearchResult(
    FeaturizerOptions Featurizer,
    ClassifierOptions Classifier,
    double BalancedAccuracy,
    double Accuracy,
    IReadOnlyList<SearchTrial> Trials,
    double Seconds,
    bool StoppedByBudget);

/// <summary>
/// Chooses featurizer and trainer settings by k-fold cross-validation on the training data alone: coordinate descent
/// from the library defaults, one dimension at a time (its alternatives scored, the best kept when it beats the
/// current settings by more than <see cref="MinGain"/> and by more than one standard error of the paired difference,
/// see <see cref="PairedStandardError"/>), for a bounded number of candidates.
/// The score is balanced accuracy (mean per-class recall): every category counts the same whatever its share of the
/// training file, which is what a triage queue needs and what a class-balanced test set measures. Folds of one
/// featurization are cached, so trainer-only candidates cost training alone. Deterministic for a given budget
/// unless a time limit (CPU, or the wall-clock backstop) cuts it short; the CPU budget is meant to be far above what the candidate cap needs.
/// </summary>
public static class SettingsSearch
{
    /// <summary>A candidate must beat the current settings by this much to replace them (fold noise is larger than 0).</summary>
    public const double MinGain = 0.0005;

    /// <summary>
    /// ... and by this many standard errors of the paired difference: a change whose gain is within what a different
    /// split of the same rows would undo is noise, and keeping it fits the search to its folds (a one-standard-error
    /// rule). Measured on BANKING77: a kept char-range step of +0.07 CV points cost 0.16 test points.
    /// </summary>
    public const double MinStandardErrors = 1.0;

    /// <summary>One searchable setting: its name (as the CLI flag without dashes) and the values tried.</summary>
    public sealed record Dimension(string Name, IReadOnlyList<(string Value, Func<FeaturizerOptions, ClassifierOptions, (FeaturizerOptions, ClassifierOptions)> Apply)> Values);

    /// <summary>
    /// The search space, most influential first: a small portfolio of whole starting points, the model mix, the
    /// class-prior correction, dropout, then the text features, then the step schedule.
    /// </summary>
    public static IReadOnlyList<Dimension> Space { get; } =
    [
        // Whole starting points first: capacity and regularization interact (skip-bigrams and stems add features
        // that only pay with dropout and split views), so one-at-a-time steps from the defaults cannot reach them.
        new("portfolio", [
            ("plain", (f, c) => (f, c)),
            ("wide features, dropout, split views", (f, c) => (f with { WordSkipWindow = 20, StemWords = true }, c with { FeatureDropout = 0.3f, EnsembleSize = 0, ViewPairs = 1 })),
            ("wide features, dropout, one model + views", (f, c) => (f with { WordSkipWindow = 20, StemWords = true }, c with { FeatureDropout = 0.3f, EnsembleSize = 1, ViewPairs = 1 })),
            ("stems, light dropout", (f, c) => (f with { StemWords = true }, c with { FeatureDropout = 0.15f })),
        ]),
        new("members", [
            ("1 model", (f, c) => (f, c with { EnsembleSize = 1, ViewPairs = 0 })),
            ("words+chars views", (f, c) => (f, c with { EnsembleSize = 0, ViewPairs = 1 })),
            ("1 model + views", (f, c) => (f, c with { EnsembleSize = 1, ViewPairs = 1 })),
        ]),
        new("prior-correction", Values<float>([0f, 0.5f, 1f], (f, c, v) => (f, c with { PriorCorrection = v }))),
        new("dropout", Values<float>([0f, 0.15f, 0.3f], (f, c, v) => (f, c with { FeatureDropout = v }))),
        new("char-ngrams", [
            ("3-5", (f, c) => (f with { CharNgramMin = 3, CharNgramMax = 5 }, c)),
            ("2-5", (f, c) => (f with { CharNgramMin = 2, CharNgramMax = 5 }, c)),
            ("3-6", (f, c) => (f with { CharNgramMin = 3, CharNgramMax = 6 }, c)),
            ("2-4", (f, c) => (f with { CharNgramMin = 2, CharNgramMax = 4 }, c)),
        ]),
        new("skip-window", Values<int>([0, 5, 20], (f, c, v) => (f with { WordSkipWindow = v }, c))),
        new("stem", Values<bool>([false, true], (f, c, v) => (f with { StemWords = v }, c))),
        new("word-ngrams", [
            ("1-2", (f, c) => (f with { WordNgramMin = 1, WordNgramMax = 2 }, c)),
            ("1-1", (f, c) => (f with { WordNgramMin = 1, WordNgramMax = 1 }, c)),
            ("1-3", (f, c) => (f with { WordNgramMin = 1, WordNgramMax = 3 }, c)),
        ]),
        new("char-scope", Values<CharNgramScope>([CharNgramScope.WithinWords, CharNgramScope.Both], (f, c, v) => (f with { CharScope = v }, c))),
        new("sublinear-tf", Values<bool>([true, false], (f, c, v) => (f with { SublinearTf = v }, c))),
        new("char-weight", Values<float>([1f, 0.7f, 1.4f], (f, c, v) => (f with { CharWeight = v }, c))),
        new("min-df", Values<int>([1, 2, 3], (f, c, v) => (f with { MinDocumentFrequency = v }, c))),
        new("epochs", Values<int>([12, 8, 20], (f, c, v) => (f, c with { Epochs = v }))),
        new("lr", Values<float>([2f, 1f, 4f], (f, c, v) => (f, c with { LearningRate = v }))),
        new("l2", Values<float>([0f, 1e-6f, 1e-5f], (f, c, v) => (f, c with { L2 = v }))),
        new("label-smoothing", Values<float>([0f, 0.1f], (f, c, v) => (f, c with { LabelSmoothing = v }))),
    ];

    public static SearchResult Run(
        IReadOnlyList<LabeledText> examples,
        FeaturizerOptions start,
        ClassifierOptions startClassifier,
        SearchBudget budget,
        IReadOnlySet<string>? pinned = null,
        IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(budget);
        if (budget.Folds < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(budget), "The search needs at least 2 folds.");
        }

        var clock = Stopwatch.StartNew();
        var classes = examples.Select(e => e.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var classIndex = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var labels = examples.Select(e => classIndex[e.Label]).ToArray();
        var texts = examples.Select(e => e.Text).ToArray();
        var folds = StratifiedFolds(labels, classes.Count, budget.Folds, startClassifier.Seed);
        var cache = new FoldCache(texts, folds);

        // Candidates score without the calibration split and refit: the ranking of settings is what matters here.
        var searchClassifier = startClassifier with { CalibrationFraction = 0f };
        var trials = new List<SearchTrial>();
        var (bestF, bestC) = (start, searchClassifier);
        var cpuAtStart = SearchBudget.ProcessCpuTime();
        var timer = Stopwatch.StartNew();
        var (bestScore, bestAccuracy, bestPredicted) = Score(cache, labels, classes.Count, bestF, bestC);
        trials.Add(new SearchTrial("start", "defaults and given flags", bestScore, bestAccuracy, true, timer.Elapsed.TotalSeconds,
            CpuSeconds: (SearchBudget.ProcessCpuTime() - cpuAtStart).TotalSeconds));
        progress?.Report($"start: {bestScore:0.0000}");
        var stopped = false;
        var tried = new HashSet<(FeaturizerOptions, ClassifierOptions)> { (bestF, bestC) };
        for (var round = 0; round < budget.Rounds && !stopped; round++)
        {
            var changed = false;
            foreach (var dimension in Space.Where(d => !IsPinned(d.Name, pinned)))
            {
                (string Value, FeaturizerOptions F, ClassifierOptions C, double Score, double Accuracy, int[] Predicted)? winner = null;
                foreach (var (value, apply) in dimension.Values)
                {
                    var (f, c) = apply(bestF, bestC);
                    if (!tried.Add((f, c)))
                    {
                        continue;
                    }

                    if (OverBudget(budget, trials.Count, clock.Elapsed, SearchBudget.ProcessCpuTime() - cpuAtStart))
                    {
                        stopped = true;
                        break;
                    }

                    timer.Restart();
                    var cpuBefore = SearchBudget.ProcessCpuTime();
                    var (score, accuracy, predicted) = Score(cache, labels, classes.Count, f, c);
                    var standardError = PairedStandardError(labels, classes.Count, predicted, bestPredicted);
                    trials.Add(new SearchTrial(dimension.Name, value, score, accuracy, false, timer.Elapsed.TotalSeconds, standardError,
                        (SearchBudget.ProcessCpuTime() - cpuBefore).TotalSeconds));
                    progress?.Report($"{dimension.Name} {value}: {score:0.0000} ± {standardError:0.0000} (best {bestScore:0.0000})");
                    if (score > bestScore + Math.Max(MinGain, MinStandardErrors * standardError) && (winner is null || score > winner.Value.Score))
                    {
                        winner = (value, f, c, score, accuracy, predicted);
                        trials[^1] = trials[^1] with { Kept = true };
                    }
                }

                if (winner is { } w)
                {
                    // Earlier alternatives of this dimension marked kept lose that mark to the final winner.
                    for (var t = 0; t < trials.Count; t++)
                    {
                        if (trials[t].Dimension == dimension.Name && trials[t].Kept && trials[t].Value != w.Value)
                        {
                            trials[t] = trials[t] with { Kept = false };
                        }
                    }

                    (bestF, bestC, bestScore, bestAccuracy, bestPredicted) = (w.F, w.C, w.Score, w.Accuracy, w.Predicted);
                    changed = true;
                }

                cache.Retain(bestF);

                if (stopped)
                {
                    break;
                }
            }

            if (!changed)
            {
                break;
            }
        }

        return new SearchResult(bestF, bestC with { CalibrationFraction = startClassifier.CalibrationFraction }, bestScore, bestAccuracy, trials, clock.Elapsed.TotalSeconds, stopped);
    }

    private static bool OverBudget(SearchBudget budget, int trials, TimeSpan wall, TimeSpan cpu) =>
        trials >= budget.MaxTrials
        || (budget.TimeLimit is { } limit && wall >= limit)
        || (budget.CpuTimeLimit is { } cpuLimit && cpu >= cpuLimit);

    /// <summary>
    /// The standard error of the difference in balanced accuracy between two sets of out-of-fold predictions of the
    /// same rows. Balanced accuracy is Σ w_i · correct_i with w_i = 1 / (classes × rows of i's class), so the paired
    /// difference is Σ w_i · d_i with d_i ∈ {−1, 0, 1}; rows taken as independent, its variance under "no
    /// difference" is Σ w_i² d_i² (McNemar's reasoning: only the rows the two disagree on carry information).
    /// </summary>
    internal static double PairedStandardError(int[] labels, int classCount, int[] a, int[] b)
    {
        var counts = new int[classCount];
        foreach (var y in labels)
        {
            counts[y]++;
        }

        var present = counts.Count(n => n > 0);
        var variance = 0.0;
        for (var i = 0; i < labels.Length; i++)
        {
            var d = (a[i] == labels[i] ? 1 : 0) - (b[i] == labels[i] ? 1 : 0);
            if (d != 0)
            {
                var w = 1.0 / (present * (double)counts[labels[i]]);
                variance += w * w;
            }
        }

        return Math.Sqrt(variance);
    }

    /// <summary>The portfolio sets members, dropout, skip window and stems at once: a flag fixing any of them skips it.</summary>
    private static bool IsPinned(string dimension, IReadOnlySet<string>? pinned) =>
        pinned is not null && (pinned.Contains(dimension)
            || (dimension == "portfolio" && pinned.Overlaps(["members", "dropout", "skip-window", "stem"])));

    private static List<(string, Func<FeaturizerOptions, ClassifierOptions, (FeaturizerOptions, ClassifierOptions)>)> Values<T>(
        T[] values, Func<FeaturizerOptions, ClassifierOptions, T, (FeaturizerOptions, ClassifierOptions)> apply) =>
        [.. values.Select(v => (Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)!,
            (Func<FeaturizerOptions, ClassifierOptions, (FeaturizerOptions, ClassifierOptions)>)((f, c) => apply(f, c, v))))];

    /// <summary>Out-of-fold balanced accuracy, accuracy and predictions of one candidate; the folds train in parallel.</summary>
    private static (double Balanced, double Accuracy, int[] Predicted) Score(FoldCache cache, int[] labels, int classCount, FeaturizerOptions f, ClassifierOptions c)
    {
        var folds = cache.Get(f);
        var predicted = new int[labels.Length];
        Parallel.For(0, folds.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, v =>
        {
            var fold = folds[v];
            var model = TicketClassifier.TrainOnMatrix(fold.Train, fold.FeatureCount, [.. fold.TrainRows.Select(i => labels[i])], classCount, c, null, "search");
            var scores = new float[model.Stride];
            for (var r = 0; r < fold.HeldRows.Length; r++)
            {
                var (from, to) = (fold.Held.RowStart[r], fold.Held.RowStart[r + 1]);
                model.Score(fold.Held.Indices.AsSpan(from, to - from), fold.Held.Values.AsSpan(from, to - from), scores);
                predicted[fold.HeldRows[r]] = TensorPrimitives.IndexOfMax(scores.AsSpan(0, classCount));
            }
        });

        return (ClassificationMetrics.BalancedAccuracy(labels, predicted, classCount), ClassificationMetrics.Accuracy(labels, predicted), predicted);
    }

    /// <summary>Per class, a seeded shuffle deals the examples round-robin to the folds.</summary>
    internal static int[] StratifiedFolds(int[] labels, int classCount, int k, int seed)
    {
        var fold = new int[labels.Length];
        var random = new Random(seed);
        for (var c = 0; c < classCount; c++)
        {
            var members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).ToArray();
            random.Shuffle(members);
            for (var m = 0; m < members.Length; m++)
            {
                fold[members[m]] = m % k;
            }
        }

        return fold;
    }

    private sealed record Fold(int[] TrainRows, int[] HeldRows, FeatureMatrix Train, FeatureMatrix Held, int FeatureCount);

    /// <summary>The folds featurized under one featurizer's settings, kept for the current best and the last candidate.</summary>
    private sealed class FoldCache(string[] texts, int[] foldOf)
    {
        private readonly Dictionary<FeaturizerOptions, Fold[]> _folds = [];

        public Fold[] Get(FeaturizerOptions options)
        {
            if (_folds.TryGetValue(options, out var cached))
            {
                return cached;
            }

            var k = foldOf.Max() + 1;
            var folds = new Fold[k];
            Parallel.For(0, k, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, v =>
            {
                var trainRows = Enumerable.Range(0, texts.Length).Where(i => foldOf[i] != v).ToArray();
                var heldRows = Enumerable.Range(0, texts.Length).Where(i => foldOf[i] == v).ToArray();
                // The featurizer is fit on the training part only, as TicketClassifier.Train does.
                var featurizer = TextFeaturizer.Fit(trainRows.Select(i => texts[i]), options);
                folds[v] = new Fold(trainRows, heldRows,
                    FeatureMatrix.Build(featurizer, [.. trainRows.Select(i => texts[i])]),
                    FeatureMatrix.Build(featurizer, [.. heldRows.Select(i => texts[i])]),
                    featurizer.VocabularySize);
            });

            _folds[options] = folds;
            return folds;
        }

        /// <summary>Drops every featurization but the kept settings' (memory stays at two at most).</summary>
        public void Retain(FeaturizerOptions keep)
        {
            foreach (var key in _folds.Keys.Where(k => k != keep).ToList())
            {
                _folds.Remove(key);
            }
        }
    }
}
