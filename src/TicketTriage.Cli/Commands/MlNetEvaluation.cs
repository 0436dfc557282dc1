using System.Diagnostics;
using System.Numerics.Tensors;
using TicketTriage.ML.Classification;
using TicketTriage.MlNet;
using Outcome = TicketTriage.Cli.Commands.EvalClassifyCommand.Outcome;

namespace TicketTriage.Cli.Commands;

/// <summary>`triage eval classify --engine mlnet`: an ML.NET pipeline trained and measured on the same rows as the own engine.</summary>
internal static class MlNetEvaluation
{
    /// <summary>All candidate pipelines validated (or with --fast only the first), within a time limit.</summary>
    public static MlNetTrainingOptions Options(bool search, double minutes) =>
        new(search ? MlNetPipeline.Candidates : [MlNetPipeline.Candidates[0]], TimeLimit: TimeSpan.FromMinutes(minutes));

    public static Outcome Evaluate(IReadOnlyList<LabeledText> train, IReadOnlyList<LabeledText> test, MlNetTrainingOptions options)
    {
        var cpu = Environment.CpuUsage.UserTime + Environment.CpuUsage.PrivilegedTime;
        var trained = MlNetTextTrainer.Train(train, options, new Progress<string>(line => Console.Error.WriteLine("mlnet " + line)));
        var trainCpuSeconds = (Environment.CpuUsage.UserTime + Environment.CpuUsage.PrivilegedTime - cpu).TotalSeconds;
        var classifier = trained.Classifier;

        var predicted = new string[test.Count];
        var needsReview = new bool[test.Count];
        var probabilities = new float[test.Count][];
        var confidence = new float[test.Count];
        for (var i = 0; i < Math.Min(200, test.Count); i++)
        {
            classifier.Probabilities(test[i].Text);
        }

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < test.Count; i++)
        {
            var p = classifier.Probabilities(test[i].Text);
            var best = TensorPrimitives.IndexOfMax(p);
            predicted[i] = classifier.Classes[best];
            confidence[i] = p[best];
            needsReview[i] = classifier.NeedsReview(p);
            probabilities[i] = p;
        }

        var perSecond = test.Count / clock.Elapsed.TotalSeconds;
        var validation = string.Join("; ", trained.Validation.Select(v => $"{v.Pipeline.Name} {v.BalancedAccuracy:0.0000}"));
        return new Outcome(
            [.. test.Select(t => t.Label)], predicted, needsReview, probabilities, classifier.Classes, confidence, classifier.AbstainThreshold, classifier.AbstainScore.ToString(),
            1, trained.FinalFitSeconds, trainCpuSeconds, perSecond, train.Count, trained.Features, "test file", EvalClassifyCommand.MlNetEngine,
            $"{trained.Pipeline.Name} (validation balanced accuracy: {validation})", null, new Dictionary<OpenSetScore, (double, float[])>())
        {
            SettingsSeconds = trained.Seconds - trained.FinalFitSeconds,
        };
    }
}
