using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using TicketTriage.Cli.Data;
using TicketTriage.ML.Evaluation;
using Outcome = TicketTriage.Cli.Commands.EvalClassifyCommand.Outcome;

namespace TicketTriage.Cli.Commands;

/// <summary>
/// What `triage eval classify` reports from its predictions: the closed-set metrics, the unknown-topic measures when
/// the test file has labels the training file lacks, and the table, JSON and predictions file they are written as.
/// </summary>
internal static class ClassifyReport
{
    private static readonly double[] CoverageThresholds = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

    internal sealed record Metrics(double Accuracy, double BalancedAccuracy, double MacroF1, double Top3, double LogLoss, AbstainStats Abstain, IReadOnlyList<AbstainStats> Curve, OpenSetMetrics? OpenSet);

    /// <summary>Unknown topics: test rows whose label the model never saw, and what abstaining cost on the rest.</summary>
    /// <param name="UnknownRecall">Share of the unknown rows answered "needs review".</param>
    /// <param name="InScopeAccuracy">Share of the known-label rows answered, and answered right.</param>
    /// <param name="InScopeAccuracyWithoutAbstaining">The same rows' accuracy if the model never abstained.</param>
    internal sealed record OpenSetMetrics(int UnknownRows, int InScopeRows, double UnknownRecall, double InScopeAccuracy, double InScopeAccuracyWithoutAbstaining, IReadOnlyList<OpenSetCandidate> Candidates)
    {
        public double AccuracyDrop => InScopeAccuracyWithoutAbstaining - InScopeAccuracy;
    }

    internal sealed record OpenSetCandidate(string Score, double Threshold, double UnknownRecall, double InScopeAccuracy, double AccuracyDrop);

    public static Metrics Compute(Outcome o)
    {
        // With unknown topics in the test set, the closed-set measures are over the known-label rows alone.
        var known = o.ProbabilityLabels.ToHashSet(StringComparer.Ordinal);
        var inScope = Enumerable.Range(0, o.Truth.Count).Where(i => known.Contains(o.Truth[i])).ToArray();
        var unknown = Enumerable.Range(0, o.Truth.Count).Where(i => !known.Contains(o.Truth[i])).ToArray();
        var rows = unknown.Length == 0 ? Enumerable.Range(0, o.Truth.Count).ToArray() : inScope;

        var labels = o.ProbabilityLabels.ToList();
        foreach (var label in rows.Select(i => o.Truth[i]).Concat(o.Predicted))
        {
            if (!labels.Contains(label))
            {
                labels.Add(label);
            }
        }

        var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        var truth = rows.Select(i => index[o.Truth[i]]).ToArray();
        var predicted = rows.Select(i => index[o.Predicted[i]]).ToArray();
        var confidence = rows.Select(i => o.Confidence[i]).ToArray();
        var probabilities = rows.Select(i => o.Probabilities[i]).Select(p => p.Length == labels.Count ? p : [.. p, .. new float[labels.Count - p.Length]]).ToList();
        var answered = rows.Select(i => !o.NeedsReview[i]).ToArray();
        var abstain = AbstainOf(truth, predicted, answered, o.Threshold);
        OpenSetMetrics? openSet = null;
        if (unknown.Length > 0 && inScope.Length > 0)
        {
            var plain = ClassificationMetrics.Accuracy(truth, predicted);
            (double Recall, double Accuracy) Measure(Func<int, bool> abstains) => (
                unknown.Count(abstains) / (double)unknown.Length,
                inScope.Count(i => !abstains(i) && o.Predicted[i] == o.Truth[i]) / (double)inScope.Length);

            var (recall, accuracy) = Measure(i => o.NeedsReview[i]);
            var candidates = o.AbstainCandidates.OrderBy(c => c.Key).Select(c =>
            {
                var (r, a) = Measure(i => c.Value.Scores[i] < c.Value.Threshold);
                return new OpenSetCandidate(c.Key.ToString(), c.Value.Threshold, r, a, plain - a);
            }).ToList();
            openSet = new OpenSetMetrics(unknown.Length, inScope.Length, recall, accuracy, plain, candidates);
        }

        return new Metrics(
            ClassificationMetrics.Accuracy(truth, predicted),
            ClassificationMetrics.BalancedAccuracy(truth, predicted, labels.Count),
            ClassificationMetrics.MacroF1(truth, predicted, labels.Count),
            ClassificationMetrics.TopK(truth, probabilities, 3),
            ClassificationMetrics.LogLoss(truth, probabilities),
            abstain,
            [.. CoverageThresholds.Select(t => ClassificationMetrics.Abstain(truth, predicted, confidence, t))],
            openSet);
    }

    /// <summary>Coverage and accuracy when answering, from the model's own abstain decisions (whatever its score kind).</summary>
    private static AbstainStats AbstainOf(int[] truth, int[] predicted, bool[] answered, double threshold)
    {
        var count = answered.Count(a => a);
        var right = Enumerable.Range(0, truth.Length).Count(i => answered[i] && truth[i] == predicted[i]);
        var coverage = truth.Length == 0 ? 0 : count / (double)truth.Length;
        return new AbstainStats(threshold, 1 - coverage, coverage, count == 0 ? 0 : right / (double)count, count);
    }

    public static string ToJson(IReadOnlyList<Outcome> outcomes) => JsonSerializer.Serialize(
        outcomes.Count == 1 ? Payload(outcomes[0]) : new Dictionary<string, object?> { ["engines"] = outcomes.Select(Payload).ToArray() },
        new JsonSerializerOptions { WriteIndented = true });

    private static Dictionary<string, object?> Payload(Outcome o)
    {
        var m = Compute(o);
        var payload = new Dictionary<string, object?>
        {
            ["engine"] = o.Engine,
            ["accuracy"] = Math.Round(m.Accuracy, 4),
            ["macroF1"] = Math.Round(m.MacroF1, 4),
            ["balancedAccuracy"] = Math.Round(m.BalancedAccuracy, 4),
            ["top3"] = Math.Round(m.Top3, 4),
            ["logLoss"] = Math.Round(m.LogLoss, 4),
            ["abstainRate"] = Math.Round(m.Abstain.AbstainRate, 4),
            ["accuracyWhenAnswered"] = Math.Round(m.Abstain.AccuracyWhenAnswered, 4),
            ["abstainThreshold"] = Math.Round(o.Threshold, 4),
            ["abstainScore"] = o.AbstainScore,
            ["temperature"] = Math.Round(o.Temperature, 4),
            ["trainSeconds"] = Math.Round(o.TrainSeconds, 3),
            ["trainCpuSeconds"] = Math.Round(o.TrainCpuSeconds, 3),
            ["settingsSeconds"] = Math.Round(o.SettingsSeconds, 1),
            ["predictionsPerSecond"] = Math.Round(o.PredictionsPerSecond),
            ["trainRows"] = o.TrainRows,
            ["testRows"] = o.Truth.Count,
            ["features"] = o.Features,
            ["mode"] = o.Mode,
            ["settings"] = o.Settings,
            ["coverage"] = m.Curve.Select(a => new { threshold = a.Threshold, coverage = Math.Round(a.Coverage, 4), accuracy = Math.Round(a.AccuracyWhenAnswered, 4) }).ToArray(),
        };
        if (o.Search is { } search)
        {
            payload["search"] = new
            {
                cvBalancedAccuracy = Math.Round(search.BalancedAccuracy, 4),
                cvAccuracy = Math.Round(search.Accuracy, 4),
                seconds = Math.Round(search.Seconds, 1),
                stoppedByBudget = search.StoppedByBudget,
                cpuSeconds = Math.Round(search.Trials.Sum(t => t.CpuSeconds), 1),
                trials = search.Trials.Select(t => new { dimension = t.Dimension, value = t.Value, balancedAccuracy = Math.Round(t.BalancedAccuracy, 4), standardError = Math.Round(t.StandardError, 4), kept = t.Kept, cpuSeconds = Math.Round(t.CpuSeconds, 1) }).ToArray(),
            };
        }

        if (m.OpenSet is { } open)
        {
            payload["heldOutLabels"] = o.HeldOutLabels;
            payload["unknownRows"] = open.UnknownRows;
            payload["inScopeRows"] = open.InScopeRows;
            payload["unknownRecall"] = Math.Round(open.UnknownRecall, 4);
            payload["inScopeAccuracy"] = Math.Round(open.InScopeAccuracy, 4);
            payload["inScopeAccuracyWithoutAbstaining"] = Math.Round(open.InScopeAccuracyWithoutAbstaining, 4);
            payload["inScopeAccuracyDrop"] = Math.Round(open.AccuracyDrop, 4);
            payload["abstainScores"] = open.Candidates.Select(c => new
            {
                score = c.Score,
                threshold = Math.Round(c.Threshold, 4),
                unknownRecall = Math.Round(c.UnknownRecall, 4),
                inScopeAccuracy = Math.Round(c.InScopeAccuracy, 4),
                inScopeAccuracyDrop = Math.Round(c.AccuracyDrop, 4),
            }).ToArray();
        }

        return payload;
    }

    /// <summary>Two or more engines on the same rows: the headline figures side by side.</summary>
    public static void PrintSideBySide(IReadOnlyList<Outcome> outcomes)
    {
        string F(double v, string format = "0.0000") => v.ToString(format, CultureInfo.InvariantCulture);
        var metrics = outcomes.Select(Compute).ToList();
        var table = new Table().AddColumn("metric");
        foreach (var o in outcomes)
        {
            table.AddColumn(o.Engine);
        }

        void Row(string name, Func<Outcome, Metrics, string> value) =>
            table.AddRow([name, .. outcomes.Select((o, i) => value(o, metrics[i]))]);

        Row("accuracy", (_, m) => F(m.Accuracy));
        Row("macro-F1", (_, m) => F(m.MacroF1));
        Row("log-loss", (_, m) => F(m.LogLoss));
        Row("abstain rate", (_, m) => F(m.Abstain.AbstainRate));
        Row("accuracy when answering", (_, m) => F(m.Abstain.AccuracyWhenAnswered));
        if (metrics.All(m => m.OpenSet is not null))
        {
            Row("unknown recall", (_, m) => F(m.OpenSet!.UnknownRecall));
            Row("in-scope accuracy", (_, m) => F(m.OpenSet!.InScopeAccuracy));
        }

        Row("train seconds (wall)", (o, _) => F(o.TrainSeconds, "0.0"));
        Row("settings chosen in (s, wall)", (o, _) => F(o.SettingsSeconds, "0"));
        Row("predictions/s (one thread)", (o, _) => F(o.PredictionsPerSecond, "N0"));
        AnsiConsole.Write(table);
        foreach (var o in outcomes)
        {
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(o.Engine)}: {Markup.Escape(o.Settings)}[/]");
        }
    }

    public static void Print(Outcome o)
    {
        var m = Compute(o);
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(o.Mode)}[/]: {o.TrainRows} training rows, {o.Truth.Count} test rows, {o.Features:N0} features");
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(o.Settings)}[/]");
        string F(double v, string format = "0.0000") => v.ToString(format, CultureInfo.InvariantCulture);
        if (o.Search is { } search)
        {
            AnsiConsole.MarkupLine($"settings chosen by {search.Trials.Count} candidates of {F(search.Seconds, "0")} s cross-validation: balanced accuracy {F(search.BalancedAccuracy)}" +
                (search.StoppedByBudget ? " (stopped by the budget)" : ""));
        }

        var table = new Table().AddColumns("metric", "value");
        var scope = m.OpenSet is null ? "" : " (known labels)";
        table.AddRow("accuracy" + scope, F(m.Accuracy));
        table.AddRow("balanced accuracy (mean recall)" + scope, F(m.BalancedAccuracy));
        table.AddRow("macro-F1" + scope, F(m.MacroF1));
        table.AddRow("top-3" + scope, F(m.Top3));
        table.AddRow("log-loss" + scope, F(m.LogLoss));
        table.AddRow($"abstain rate ({Markup.Escape(o.AbstainScore)} < {F(o.Threshold, "0.000")})", F(m.Abstain.AbstainRate));
        table.AddRow("accuracy when answering", F(m.Abstain.AccuracyWhenAnswered));
        if (m.OpenSet is { } open)
        {
            table.AddRow($"unknown recall ({open.UnknownRows} rows of {Math.Max(o.HeldOutLabels.Count, 1)}+ unseen labels)", F(open.UnknownRecall));
            table.AddRow("in-scope accuracy (abstaining counts as wrong)", F(open.InScopeAccuracy));
            table.AddRow("in-scope accuracy drop from abstaining", F(open.AccuracyDrop));
        }

        table.AddRow("temperature", F(o.Temperature, "0.000"));
        table.AddRow("train seconds (wall)", F(o.TrainSeconds, "0.00"));
        table.AddRow("train seconds (process CPU)", F(o.TrainCpuSeconds, "0.00"));
        table.AddRow("predictions/s (one thread)", F(o.PredictionsPerSecond, "N0"));
        AnsiConsole.Write(table);
        if (m.OpenSet is { Candidates.Count: > 0 } candidates)
        {
            var kinds = new Table().AddColumns("abstain score", "threshold (calibration split)", "unknown recall", "in-scope accuracy", "drop");
            foreach (var c in candidates.Candidates)
            {
                kinds.AddRow(c.Score, F(c.Threshold, "0.000"), F(c.UnknownRecall), F(c.InScopeAccuracy), F(c.AccuracyDrop));
            }

            AnsiConsole.Write(kinds);
        }

        var curve = new Table().AddColumns("abstain below confidence", "coverage", "accuracy when answering");
        foreach (var a in m.Curve)
        {
            curve.AddRow(F(a.Threshold, "0.0"), F(a.Coverage), F(a.AccuracyWhenAnswered));
        }

        AnsiConsole.Write(curve);
    }

    /// <summary>One line per test row; <c>predicted</c> is empty where the model abstained ("needs review").</summary>
    public static void WritePredictions(string path, Outcome o)
    {
        var text = new StringBuilder("index,truth,predicted,best,confidence\n");
        for (var i = 0; i < o.Truth.Count; i++)
        {
            text.Append(i.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(LabeledCsv.Escape(o.Truth[i])).Append(',')
                .Append(o.NeedsReview[i] ? "" : LabeledCsv.Escape(o.Predicted[i])).Append(',')
                .Append(LabeledCsv.Escape(o.Predicted[i])).Append(',')
                .Append(o.Confidence[i].ToString("0.0000", CultureInfo.InvariantCulture)).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }
}
