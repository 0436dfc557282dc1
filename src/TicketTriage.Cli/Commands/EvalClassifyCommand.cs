using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using TicketTriage.Cli.Data;
using TicketTriage.ML.Classification;
using TicketTriage.ML.Evaluation;
using TicketTriage.ML.Text;

namespace TicketTriage.Cli.Commands;

/// <summary>
/// `triage eval classify`: train on one file, measure on another — or on a validation split carved from the
/// training file (`--validation 0.1`, for choosing settings), or by k-fold cross-validation (`--cv 5`).
/// </summary>
internal static class EvalClassifyCommand
{
    private static readonly double[] CoverageThresholds = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

    public static Command Create()
    {
        var train = new Option<string>("--train") { Description = "Labeled CSV to train on.", Required = true };
        var test = new Option<string?>("--test") { Description = "Labeled CSV to measure on (omit with --validation or --cv)." };
        var validation = new Option<float?>("--validation") { Description = "Measure on this stratified share of --train instead of --test (for tuning)." };
        var folds = new Option<int?>("--cv") { Description = "k-fold stratified cross-validation over --train." };
        var foldSeed = new Option<int>("--cv-seed") { Description = "Seed of the cross-validation folds (a second seed tells a real gain from fold noise).", DefaultValueFactory = _ => 7 };
        var json = new Option<bool>("--json") { Description = "Print the metrics as JSON." };
        var predictions = new Option<string?>("--predictions") { Description = "Write index,truth,predicted per test row to this CSV." };
        var settings = new ClassifierSettings();

        var command = new Command("classify", "Train the classifier and measure accuracy, macro-F1, top-3, log-loss, abstention and speed.");
        foreach (var option in new Option[] { train, test, validation, folds, foldSeed, json, predictions })
        {
            command.Options.Add(option);
        }

        settings.AddTo(command);
        command.SetAction(result =>
        {
            var (featurizerOptions, classifierOptions) = settings.Resolve(result);
            var trainRows = Load(result.GetRequiredValue(train), settings, result);
            var outcome = result.GetValue(folds) is { } k
                ? CrossValidate(trainRows, k, featurizerOptions, classifierOptions, result.GetValue(foldSeed))
                : result.GetValue(validation) is { } fraction
                    ? Holdout(trainRows, fraction, featurizerOptions, classifierOptions)
                    : Evaluate(trainRows, Load(result.GetValue(test) ?? throw new InvalidOperationException("--test is required unless --validation or --cv is given."), settings, result), featurizerOptions, classifierOptions);

            if (result.GetValue(predictions) is { } path)
            {
                WritePredictions(path, outcome);
            }

            var description = ClassifierSettings.Describe(featurizerOptions, classifierOptions);
            if (result.GetValue(json))
            {
                Console.WriteLine(ToJson(outcome, description));
            }
            else
            {
                Print(outcome, description);
            }

            return 0;
        });
        return command;
    }

    private static List<LabeledText> Load(string path, ClassifierSettings settings, ParseResult result) =>
        [.. LabeledCsv.Read(path, settings.TextColumn(result), settings.LabelColumn(result)).Select(r => new LabeledText(r.Text, r.Label))];

    /// <summary>Predictions for a test set, in its order, and the measured costs.</summary>
    internal sealed record Outcome(
        IReadOnlyList<string> Truth,
        IReadOnlyList<string> Predicted,
        IReadOnlyList<float[]> Probabilities,
        IReadOnlyList<string> ProbabilityLabels,
        float[] Confidence,
        double Threshold,
        double Temperature,
        double TrainSeconds,
        double TrainCpuSeconds,
        double PredictionsPerSecond,
        int TrainRows,
        int Features,
        string Mode);

    internal static Outcome Evaluate(IReadOnlyList<LabeledText> train, IReadOnlyList<LabeledText> test, FeaturizerOptions featurizerOptions, ClassifierOptions classifierOptions, string mode = "test file")
    {
        var clock = Stopwatch.StartNew();
        var cpu = Environment.CpuUsage.UserTime + Environment.CpuUsage.PrivilegedTime;
        var classifier = TicketClassifier.Train(train, featurizerOptions, classifierOptions);
        var trainSeconds = clock.Elapsed.TotalSeconds;
        // Process CPU time as well as wall time: on a shared machine the wall clock also measures the neighbours.
        var trainCpuSeconds = (Environment.CpuUsage.UserTime + Environment.CpuUsage.PrivilegedTime - cpu).TotalSeconds;

        var scratch = classifier.CreateScratch();
        var predicted = new string[test.Count];
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
            confidence[i] = scratch.Probabilities[best];
            probabilities[i] = scratch.Probabilities.ToArray();
        }

        var perSecond = test.Count / clock.Elapsed.TotalSeconds;
        return new Outcome(
            [.. test.Select(t => t.Label)], predicted, probabilities, classifier.Classes, confidence, classifier.AbstainThreshold, classifier.Temperature,
            trainSeconds, trainCpuSeconds, perSecond, train.Count, classifier.Featurizer.VocabularySize, mode);
    }

    private static Outcome Holdout(IReadOnlyList<LabeledText> rows, float fraction, FeaturizerOptions f, ClassifierOptions c)
    {
        var (fit, held) = Split(rows, fraction, seed: 7);
        return Evaluate([.. fit.Select(i => rows[i])], [.. held.Select(i => rows[i])], f, c, $"validation split ({fraction:P0} of the training file, seed 7)");
    }

    // A seed different from the classifier's own calibration split, so the two do not coincide.
    private static (int[] Fit, int[] Held) Split(IReadOnlyList<LabeledText> rows, float fraction, int seed)
    {
        var labels = rows.Select(r => r.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        return TicketClassifier.StratifiedSplit([.. rows.Select(r => index[r.Label])], labels.Count, fraction, seed);
    }

    private static Outcome CrossValidate(IReadOnlyList<LabeledText> rows, int k, FeaturizerOptions f, ClassifierOptions c, int seed = 7)
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
        var probabilities = new float[rows.Count][];
        var confidence = new float[rows.Count];
        var allLabels = rows.Select(r => r.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        double trainSeconds = 0, trainCpuSeconds = 0, predictSeconds = 0, threshold = 0, temperature = 0;
        var features = 0;
        for (var v = 0; v < k; v++)
        {
            var held = Enumerable.Range(0, rows.Count).Where(i => fold[i] == v).ToArray();
            var outcome = Evaluate([.. Enumerable.Range(0, rows.Count).Where(i => fold[i] != v).Select(i => rows[i])], [.. held.Select(i => rows[i])], f, c);
            trainSeconds += outcome.TrainSeconds / k;
            trainCpuSeconds += outcome.TrainCpuSeconds / k;
            predictSeconds += held.Length / outcome.PredictionsPerSecond;
            threshold += outcome.Threshold / k;
            temperature += outcome.Temperature / k;
            features += outcome.Features / k;
            for (var h = 0; h < held.Length; h++)
            {
                predicted[held[h]] = outcome.Predicted[h];
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

        return new Outcome([.. rows.Select(r => r.Label)], predicted, probabilities, allLabels, confidence, threshold, temperature,
            trainSeconds, trainCpuSeconds, rows.Count / predictSeconds, rows.Count * (k - 1) / k, features, $"{k}-fold cross-validation over the training file (seed {seed})");
    }

    internal sealed record Metrics(double Accuracy, double BalancedAccuracy, double MacroF1, double Top3, double LogLoss, AbstainStats Abstain, IReadOnlyList<AbstainStats> Curve);

    internal static Metrics Compute(Outcome o)
    {
        // Label space: the model's classes, then any test label it never saw (always wrong, probability 0).
        var labels = o.ProbabilityLabels.ToList();
        foreach (var label in o.Truth.Concat(o.Predicted))
        {
            if (!labels.Contains(label))
            {
                labels.Add(label);
            }
        }

        var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        var truth = o.Truth.Select(t => index[t]).ToArray();
        var predicted = o.Predicted.Select(p => index[p]).ToArray();
        var probabilities = o.Probabilities.Select(p => p.Length == labels.Count ? p : [.. p, .. new float[labels.Count - p.Length]]).ToList();
        return new Metrics(
            ClassificationMetrics.Accuracy(truth, predicted),
            ClassificationMetrics.BalancedAccuracy(truth, predicted, labels.Count),
            ClassificationMetrics.MacroF1(truth, predicted, labels.Count),
            ClassificationMetrics.TopK(truth, probabilities, 3),
            ClassificationMetrics.LogLoss(truth, probabilities),
            ClassificationMetrics.Abstain(truth, predicted, o.Confidence, o.Threshold),
            [.. CoverageThresholds.Select(t => ClassificationMetrics.Abstain(truth, predicted, o.Confidence, t))]);
    }

    private static string ToJson(Outcome o, string settings)
    {
        var m = Compute(o);
        var payload = new Dictionary<string, object>
        {
            ["accuracy"] = Math.Round(m.Accuracy, 4),
            ["macroF1"] = Math.Round(m.MacroF1, 4),
            ["balancedAccuracy"] = Math.Round(m.BalancedAccuracy, 4),
            ["top3"] = Math.Round(m.Top3, 4),
            ["logLoss"] = Math.Round(m.LogLoss, 4),
            ["abstainRate"] = Math.Round(m.Abstain.AbstainRate, 4),
            ["accuracyWhenAnswered"] = Math.Round(m.Abstain.AccuracyWhenAnswered, 4),
            ["abstainThreshold"] = Math.Round(o.Threshold, 4),
            ["temperature"] = Math.Round(o.Temperature, 4),
            ["trainSeconds"] = Math.Round(o.TrainSeconds, 3),
            ["trainCpuSeconds"] = Math.Round(o.TrainCpuSeconds, 3),
            ["predictionsPerSecond"] = Math.Round(o.PredictionsPerSecond),
            ["trainRows"] = o.TrainRows,
            ["testRows"] = o.Truth.Count,
            ["features"] = o.Features,
            ["mode"] = o.Mode,
            ["settings"] = settings,
            ["coverage"] = m.Curve.Select(a => new { threshold = a.Threshold, coverage = Math.Round(a.Coverage, 4), accuracy = Math.Round(a.AccuracyWhenAnswered, 4) }).ToArray(),
        };
        return JsonSerializer.Serialize(payload, new JsonSerializerOptions { WriteIndented = true });
    }

    private static void Print(Outcome o, string settings)
    {
        var m = Compute(o);
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(o.Mode)}[/]: {o.TrainRows} training rows, {o.Truth.Count} test rows, {o.Features:N0} features");
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(settings)}[/]");
        var table = new Table().AddColumns("metric", "value");
        string F(double v, string format = "0.0000") => v.ToString(format, CultureInfo.InvariantCulture);
        table.AddRow("accuracy", F(m.Accuracy));
        table.AddRow("balanced accuracy (mean recall)", F(m.BalancedAccuracy));
        table.AddRow("macro-F1", F(m.MacroF1));
        table.AddRow("top-3", F(m.Top3));
        table.AddRow("log-loss", F(m.LogLoss));
        table.AddRow($"abstain rate (confidence < {F(o.Threshold, "0.000")})", F(m.Abstain.AbstainRate));
        table.AddRow("accuracy when answering", F(m.Abstain.AccuracyWhenAnswered));
        table.AddRow("temperature", F(o.Temperature, "0.000"));
        table.AddRow("train seconds (wall)", F(o.TrainSeconds, "0.00"));
        table.AddRow("train seconds (process CPU)", F(o.TrainCpuSeconds, "0.00"));
        table.AddRow("predictions/s (one thread)", F(o.PredictionsPerSecond, "N0"));
        AnsiConsole.Write(table);
        var curve = new Table().AddColumns("abstain below", "coverage", "accuracy when answering");
        foreach (var a in m.Curve)
        {
            curve.AddRow(F(a.Threshold, "0.0"), F(a.Coverage), F(a.AccuracyWhenAnswered));
        }

        AnsiConsole.Write(curve);
    }

    private static void WritePredictions(string path, Outcome o)
    {
        var text = new StringBuilder("index,truth,predicted\n");
        for (var i = 0; i < o.Truth.Count; i++)
        {
            text.Append(i.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(LabeledCsv.Escape(o.Truth[i])).Append(',')
                .Append(LabeledCsv.Escape(o.Predicted[i])).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }
}
