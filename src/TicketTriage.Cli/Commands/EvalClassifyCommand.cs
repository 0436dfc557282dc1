using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using TicketTriage.Cli.Data;
using TicketTriage.ML.Classification;
using TicketTriage.ML.Text;

namespace TicketTriage.Cli.Commands;

/// <summary>
/// `triage eval classify`: train on one file, measure on another — or on a validation split carved from the
/// training file (`--validation 0.1`, for choosing settings), or by k-fold cross-validation (`--cv 5`).
/// </summary>
internal static class EvalClassifyCommand
{
    internal const string TicketTriageEngine = "ticket-triage";
    internal const string MlNetEngine = "mlnet";

    public static Command Create()
    {
        var train = new Option<string>("--train") { Description = "Labeled CSV to train on.", Required = true };
        var test = new Option<string?>("--test") { Description = "Labeled CSV to measure on (omit with --validation or --cv). Labels absent from --train are unknown topics." };
        var validation = new Option<float?>("--validation") { Description = "Measure on this stratified share of --train instead of --test (for tuning)." };
        var folds = new Option<int?>("--cv") { Description = "k-fold stratified cross-validation over --train." };
        var foldSeed = new Option<int>("--cv-seed") { Description = "Seed of the cross-validation folds (a second seed tells a real gain from fold noise).", DefaultValueFactory = _ => 7 };
        var json = new Option<bool>("--json") { Description = "Print the metrics as JSON." };
        var predictions = new Option<string?>("--predictions") { Description = "Write index,truth,predicted,best,confidence per test row to this CSV (predicted empty where the model abstains)." };
        var holdout = new Option<int>("--holdout-intents") { Description = "Hold this many whole labels (seeded) out of training: their --test rows become unknown topics." };
        var holdoutSeed = new Option<int>("--holdout-seed") { Description = "Seed of the labels --holdout-intents picks.", DefaultValueFactory = _ => 1 };
        var engine = new Option<string>("--engine") { Description = "ticket-triage (this project's), mlnet (ML.NET) or both, side by side on the same rows.", DefaultValueFactory = _ => TicketTriageEngine };
        var mlnetMinutes = new Option<double>("--mlnet-minutes") { Description = "ML.NET: no new candidate pipeline is validated after this many minutes.", DefaultValueFactory = _ => 15 };
        var settings = new ClassifierSettings();

        var command = new Command("classify", "Train the classifier and measure accuracy, macro-F1, top-3, log-loss, abstention (and unknown topics) and speed.");
        foreach (var option in new Option[] { train, test, validation, folds, foldSeed, json, predictions, holdout, holdoutSeed, engine, mlnetMinutes })
        {
            command.Options.Add(option);
        }

        settings.AddTo(command);
        command.SetAction(result =>
        {
            var trainRows = Load(result.GetRequiredValue(train), settings, result);
            var testPath = result.GetValue(test);
            IReadOnlyList<string> heldOut = [];
            if (result.GetValue(holdout) is > 0 and var count)
            {
                if (testPath is null)
                {
                    throw new InvalidOperationException("--holdout-intents needs --test: the held-out labels' test rows are the unknown topics.");
                }

                (trainRows, heldOut) = HoldOutLabels(trainRows, count, result.GetValue(holdoutSeed));
            }

            var engines = result.GetValue(engine) switch
            {
                "both" => new[] { TicketTriageEngine, MlNetEngine },
                MlNetEngine => [MlNetEngine],
                TicketTriageEngine or null => [TicketTriageEngine],
                var other => throw new ArgumentException($"Unknown --engine '{other}' (ticket-triage, mlnet or both)."),
            };
            var outcomes = new List<Outcome>();
            foreach (var name in engines)
            {
                Outcome outcome;
                if (name == MlNetEngine)
                {
                    if (result.GetValue(folds) is not null || result.GetValue(validation) is not null)
                    {
                        throw new InvalidOperationException("--engine mlnet measures on --test only.");
                    }

                    var testRows = Load(testPath ?? throw new InvalidOperationException("--test is required."), settings, result);
                    outcome = MlNetEvaluation.Evaluate(trainRows, testRows, MlNetEvaluation.Options(settings.Searches(result), result.GetValue(mlnetMinutes)));
                }
                else
                {
                    outcome = result.GetValue(folds) is { } k
                        ? CrossValidate(trainRows, k, Choose(settings, result, trainRows), result.GetValue(foldSeed))
                        : result.GetValue(validation) is { } fraction
                            ? Holdout(trainRows, fraction, settings, result)
                            : Evaluate(trainRows, Load(testPath ?? throw new InvalidOperationException("--test is required unless --validation or --cv is given."), settings, result), Choose(settings, result, trainRows));
                }

                outcomes.Add(outcome with { HeldOutLabels = heldOut });
            }

            if (result.GetValue(predictions) is { } path)
            {
                // One file per engine when several ran: name.csv, name.mlnet.csv.
                foreach (var o in outcomes)
                {
                    ClassifyReport.WritePredictions(o.Engine == outcomes[0].Engine ? path : Path.ChangeExtension(path, "." + o.Engine + Path.GetExtension(path)), o);
                }
            }

            if (result.GetValue(json))
            {
                Console.WriteLine(ClassifyReport.ToJson(outcomes));
            }
            else
            {
                foreach (var o in outcomes)
                {
                    AnsiConsole.MarkupLine($"[bold]engine {Markup.Escape(o.Engine)}[/]");
                    ClassifyReport.Print(o);
                }

                if (outcomes.Count > 1)
                {
                    ClassifyReport.PrintSideBySide(outcomes);
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>The settings for <paramref name="trainRows"/>: searched on them unless --fast (progress on stderr).</summary>
    private static Chosen Choose(ClassifierSettings settings, ParseResult result, IReadOnlyList<LabeledText> trainRows)
    {
        var progress = new Progress<string>(line => Console.Error.WriteLine("search " + line));
        var (f, c, search) = settings.Choose(result, trainRows, progress);
        return new Chosen(f, c, search);
    }

    /// <summary>Featurizer and trainer settings, and the search that chose them (null with --fast).</summary>
    internal sealed record Chosen(FeaturizerOptions Featurizer, ClassifierOptions Classifier, SearchResult? Search)
    {
        public string Description => ClassifierSettings.Describe(Featurizer, Classifier);
    }

    /// <summary>Removes every row of <paramref name="count"/> labels picked by a seeded shuffle of the sorted label list.</summary>
    internal static (List<LabeledText> Rows, IReadOnlyList<string> HeldOut) HoldOutLabels(IReadOnlyList<LabeledText> rows, int count, int seed)
    {
        var labels = rows.Select(r => r.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (count >= labels.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"--holdout-intents must leave labels to train on ({labels.Length} in the file).");
        }

        new Random(seed).Shuffle(labels);
        var held = labels[..count].Order(StringComparer.Ordinal).ToArray();
        var set = held.ToHashSet(StringComparer.Ordinal);
        return ([.. rows.Where(r => !set.Contains(r.Label))], held);
    }

    private static List<LabeledText> Load(string path, ClassifierSettings settings, ParseResult result) =>
        [.. LabeledCsv.Read(path, settings.TextColumn(result), settings.LabelColumn(result)).Select(r => new LabeledText(r.Text, r.Label))];

    /// <summary>Predictions for a test set, in its order, and the measured costs.</summary>
    /// <param name="Predicted">The best label of every row, abstained or not.</param>
    /// <param name="NeedsReview">Whether the model abstained on the row (its open-set score below its threshold).</param>
    /// <param name="AbstainCandidates">Per open-set score kind: the threshold the calibration split gave it and every
    /// test row's score, so the kinds can be compared on the same model.</param>
    internal sealed record Outcome(
        IReadOnlyList<string> Truth,
        IReadOnlyList<string> Predicted,
        IReadOnlyList<bool> NeedsReview,
        IReadOnlyList<float[]> Probabilities,
        IReadOnlyList<string> ProbabilityLabels,
        float[] Confidence,
        double Threshold,
        string AbstainScore,
        double Temperature,
        double TrainSeconds,
        double TrainCpuSeconds,
        double PredictionsPerSecond,
        int TrainRows,
        int Features,
        string Mode,
        string Engine,
        string Settings,
        SearchResult? Search,
        IReadOnlyDictionary<OpenSetScore, (double Threshold, float[] Scores)> AbstainCandidates)
    {
        public IReadOnlyList<string> HeldOutLabels { get; init; } = [];

        /// <summary>Wall time spent choosing the settings (the search, or ML.NET's validation of its candidates).</summary>
        public double SettingsSeconds { get; init; }
    }

    internal static Outcome Evaluate(IReadOnlyList<LabeledText> train, IReadOnlyList<LabeledText> test, Chosen settings, string mode = "test file")
    {
        var clock = Stopwatch.StartNew();
        var cpu = Environment.CpuUsage.UserTime + Environment.CpuUsage.PrivilegedTime;
        var classifier = TicketClassifier.Train(train, settings.Featurizer, settings.Classifier);
        var trainSeconds = clock.Elapsed.TotalSeconds;
        // Process CPU time as well as wall time: on a shared machine the wall clock also measures the neighbours.
        var trainCpuSeconds = (Environment.CpuUsage.UserTime + Environment.CpuUsage.PrivilegedTime - cpu).TotalSeconds;

        var scratch = classifier.CreateScratch();
        var predicted = new string[test.Count];
        var needsReview = new bool[test.Count];
        var probabilities = new float[test.Count][];
        var confidence = new float[test.Count];
        // Warm up the JIT so the rate measures steady-state scoring, not compilation.
        for (var i = 0; i < Math.Min(200, test.Count); i++)
        {
            classifier.Classify(test[i].Text, scratch);
        }

        clock.Restart();
        for (var i = 0; i < test.Count; i++)
        {
            var best = classifier.Classify(test[i].Text, scratch);
            predicted[i] = classifier.Classes[best];
            needsReview[i] = classifier.NeedsReview(scratch);
            confidence[i] = scratch.Probabilities[best];
            probabilities[i] = scratch.Probabilities.ToArray();
        }

        var perSecond = test.Count / clock.Elapsed.TotalSeconds;
        var candidates = new Dictionary<OpenSetScore, (double, float[])>();
        foreach (var (kind, threshold) in classifier.CalibratedThresholds)
        {
            var scores = new float[test.Count];
            for (var i = 0; i < test.Count; i++)
            {
                classifier.Classify(test[i].Text, scratch);
                scores[i] = classifier.OpenSetScoreOf(scratch, kind);
            }

            candidates[kind] = (threshold, scores);
        }

        return new Outcome(
            [.. test.Select(t => t.Label)], predicted, needsReview, probabilities, classifier.Classes, confidence, classifier.AbstainThreshold, classifier.AbstainScore.ToString(),
            classifier.Temperature, trainSeconds, trainCpuSeconds, perSecond, train.Count, classifier.Featurizer.VocabularySize, mode, TicketTriageEngine, settings.Description, settings.Search, candidates)
        {
            SettingsSeconds = settings.Search?.Seconds ?? 0,
        };
    }

    private static Outcome Holdout(IReadOnlyList<LabeledText> rows, float fraction, ClassifierSettings settings, ParseResult result)
    {
        var (fit, held) = Split(rows, fraction, seed: 7);
        List<LabeledText> fitRows = [.. fit.Select(i => rows[i])];
        return Evaluate(fitRows, [.. held.Select(i => rows[i])], Choose(settings, result, fitRows), $"validation split ({fraction:P0} of the training file, seed 7)");
    }

    // A seed different from the classifier's own calibration split, so the two do not coincide.
    private static (int[] Fit, int[] Held) Split(IReadOnlyList<LabeledText> rows, float fraction, int seed)
    {
        var labels = rows.Select(r => r.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        return TicketClassifier.StratifiedSplit([.. rows.Select(r => index[r.Label])], labels.Count, fraction, seed);
    }

    private static Outcome CrossValidate(IReadOnlyList<LabeledText> rows, int k, Chosen settings, int seed = 7)
    {
        if (k < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(k), "--cv needs at least 2 folds.");
        }

        // Stratified folds: within each class, a seeded shuffle deals examples round-robin to the folds.
        var fold = new int[rows.Count];
        var random = new Random(seed);
        foreach (var group in rows.Select((r, i) => (r.Label, i)).GroupBy(p => p.Label, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = group.Select(p => p.i).ToArray();
            random.Shuffle(members);
            for (var m = 0; m < members.Length; m++)
            {
                fold[members[m]] = m % k;
            }
        }

        var predicted = new string[rows.Count];
        var needsReview = new bool[rows.Count];
        var probabilities = new float[rows.Count][];
        var confidence = new float[rows.Count];
        var allLabels = rows.Select(r => r.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        double trainSeconds = 0, trainCpuSeconds = 0, predictSeconds = 0, threshold = 0, temperature = 0;
        var features = 0;
        for (var v = 0; v < k; v++)
        {
            var held = Enumerable.Range(0, rows.Count).Where(i => fold[i] == v).ToArray();
            var outcome = Evaluate([.. Enumerable.Range(0, rows.Count).Where(i => fold[i] != v).Select(i => rows[i])], [.. held.Select(i => rows[i])], settings);
            trainSeconds += outcome.TrainSeconds / k;
            trainCpuSeconds += outcome.TrainCpuSeconds / k;
            predictSeconds += held.Length / outcome.PredictionsPerSecond;
            threshold += outcome.Threshold / k;
            temperature += outcome.Temperature / k;
            features += outcome.Features / k;
            for (var h = 0; h < held.Length; h++)
            {
                predicted[held[h]] = outcome.Predicted[h];
                needsReview[held[h]] = outcome.NeedsReview[h];
                confidence[held[h]] = outcome.Confidence[h];
                // Re-key each fold's probabilities to the full label list (a fold may lack a rare class).
                var row = new float[allLabels.Count];
                for (var c2 = 0; c2 < outcome.ProbabilityLabels.Count; c2++)
                {
                    row[allLabels.IndexOf(outcome.ProbabilityLabels[c2])] = outcome.Probabilities[h][c2];
                }

                probabilities[held[h]] = row;
            }
        }

        return new Outcome([.. rows.Select(r => r.Label)], predicted, needsReview, probabilities, allLabels, confidence, threshold, settings.Classifier.AbstainScore.ToString(), temperature,
            trainSeconds, trainCpuSeconds, rows.Count / predictSeconds, rows.Count * (k - 1) / k, features, $"{k}-fold cross-validation over the training file (seed {seed})",
            TicketTriageEngine, settings.Description, settings.Search, new Dictionary<OpenSetScore, (double, float[])>());
    }
}
