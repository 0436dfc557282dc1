using System.Diagnostics;
using System.Numerics.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Text;
using TicketTriage.ML.Classification;
using TicketTriage.ML.Evaluation;

namespace TicketTriage.MlNet;

/// <summary>An ML.NET text pipeline to try: its text features and its multiclass trainer.</summary>
/// <param name="WordNgrams">Word n-grams 1..this (0: none).</param>
/// <param name="CharNgrams">Char n-grams of this length (0: none); with <paramref name="CharAllLengths"/>, 3..this.</param>
/// <param name="L2">L2 penalty of L-BFGS maximum entropy (ignored by SDCA).</param>
public sealed record MlNetPipeline(string Name, bool DefaultFeaturizer, int WordNgrams, int CharNgrams, bool CharAllLengths, bool Sdca, float L2)
{
    /// <summary>
    /// The candidates, in the order tried: ML.NET's defaults (FeaturizeText + SDCA), then word and char TF-IDF
    /// variants with L-BFGS maximum entropy at two penalties.
    /// </summary>
    public static IReadOnlyList<MlNetPipeline> Candidates { get; } =
    [
        new("word 1-2 + char 5 tf-idf, lbfgs l2 0.01", false, 2, 5, false, false, 0.01f),
        new("word 1-2 + char 3-5 tf-idf, lbfgs l2 0.01", false, 2, 5, true, false, 0.01f),
        new("word 1-2 + char 5 tf-idf, lbfgs l2 0.002", false, 2, 5, false, false, 0.002f),
        new("default FeaturizeText, sdca", true, 0, 0, false, true, 0f),
    ];
}

/// <summary>How <see cref="MlNetTextTrainer.Train"/> may spend its time and how it abstains.</summary>
/// <param name="Candidates">Pipelines to choose from by validation; one means no choice is made.</param>
/// <param name="ValidationFraction">Stratified share of the data the choice and the abstain threshold are made on.</param>
/// <param name="MaxAccuracyDrop">The abstain rule of the own engine: held-out accuracy the abstention may cost.</param>
/// <param name="TimeLimit">No new candidate is tried after this (the best so far is kept).</param>
public sealed record MlNetTrainingOptions(
    IReadOnlyList<MlNetPipeline> Candidates,
    float ValidationFraction = 0.1f,
    float MaxAccuracyDrop = 0.015f,
    TimeSpan? TimeLimit = null,
    int Seed = 42);

/// <summary>The trained classifier, the pipeline chosen, and each candidate's validation score.</summary>
/// <param name="FinalFitSeconds">Wall time of the last fit, on all the data (the model that is kept).</param>
/// <param name="Features">Length of the feature vector the pipeline makes.</param>
public sealed record MlNetTrainingResult(
    MlNetClassifier Classifier,
    MlNetPipeline Pipeline,
    IReadOnlyList<(MlNetPipeline Pipeline, double BalancedAccuracy, double Seconds)> Validation,
    double Seconds,
    double FinalFitSeconds,
    int Features);

/// <summary>
/// Trains an ML.NET text classifier on labeled texts: (1) a stratified validation split; (2) each candidate
/// pipeline trained on the rest and scored on it by balanced accuracy, as the own engine's settings search scores;
/// (3) the abstain threshold from the best one's validation answers, by the own engine's rule; (4) that pipeline
/// retrained on all the data. Seeded, so a rerun gives the same model.
/// </summary>
public static class MlNetTextTrainer
{
    public static MlNetTrainingResult Train(IReadOnlyList<LabeledText> examples, MlNetTrainingOptions options, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Candidates.Count == 0)
        {
            throw new ArgumentException("At least one pipeline.", nameof(options));
        }

        var clock = Stopwatch.StartNew();
        var context = new MLContext(seed: options.Seed);
        var classes = examples.Select(e => e.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var classIndex = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var labels = examples.Select(e => classIndex[e.Label]).ToArray();
        var (fit, held) = TicketClassifier.StratifiedSplit(labels, classes.Count, options.ValidationFraction, options.Seed);
        var fitRows = fit.Select(i => examples[i]).ToList();

        var scored = new List<(MlNetPipeline Pipeline, double BalancedAccuracy, double Seconds)>();
        (MlNetPipeline Pipeline, double Score, float Threshold)? best = null;
        foreach (var pipeline in options.Candidates)
        {
            if (best is not null && options.TimeLimit is { } limit && clock.Elapsed >= limit)
            {
                progress?.Report($"time limit reached: {options.Candidates.Count - scored.Count} candidates not tried");
                break;
            }

            var started = clock.Elapsed;
            var model = Fit(context, pipeline, fitRows);
            var classifier = MlNetClassifier.Create(model, ModelClasses(context, model), new AbstainSettings(0f, OpenSetScore.MaxProbability), context);
            var truth = new int[held.Length];
            var predicted = new int[held.Length];
            var confidence = new float[held.Length];
            var correct = new bool[held.Length];
            for (var k = 0; k < held.Length; k++)
            {
                var probabilities = classifier.Probabilities(examples[held[k]].Text);
                var top = TensorPrimitives.IndexOfMax(probabilities);
                truth[k] = labels[held[k]];
                predicted[k] = classIndex[classifier.Classes[top]];
                confidence[k] = probabilities[top];
                correct[k] = predicted[k] == truth[k];
            }

            var score = ClassificationMetrics.BalancedAccuracy(truth, predicted, classes.Count);
            var seconds = (clock.Elapsed - started).TotalSeconds;
            scored.Add((pipeline, score, seconds));
            progress?.Report($"{pipeline.Name}: validation balanced accuracy {score:0.0000} ({seconds:0} s)");
            if (best is null || score > best.Value.Score)
            {
                best = (pipeline, score, OpenSetScores.ThresholdForAccuracyDrop(confidence, correct, options.MaxAccuracyDrop));
            }
        }

        var chosen = best!.Value;
        var finalStart = clock.Elapsed;
        var final = Fit(context, chosen.Pipeline, examples);
        var finalSeconds = (clock.Elapsed - finalStart).TotalSeconds;
        var result = MlNetClassifier.Create(final, ModelClasses(context, final), new AbstainSettings(chosen.Threshold, OpenSetScore.MaxProbability), context);
        var features = final.GetOutputSchema(context.Data.LoadFromEnumerable(Array.Empty<TicketText>()).Schema)["Features"].Type is VectorDataViewType vector ? vector.Size : 0;
        return new MlNetTrainingResult(result, chosen.Pipeline, scored, clock.Elapsed.TotalSeconds, finalSeconds, features);
    }

    /// <summary>Writes the model file and its abstain settings beside it.</summary>
    public static void Save(MlNetClassifier classifier, string path)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var context = new MLContext();
        var schema = context.Data.LoadFromEnumerable(Array.Empty<TicketText>()).Schema;
        context.Model.Save(classifier.Model, schema, path);
        MlNetClassifier.WriteSidecar(path, new AbstainSettings(classifier.AbstainThreshold, classifier.AbstainScore));
    }

    private static ITransformer Fit(MLContext context, MlNetPipeline pipeline, IReadOnlyList<LabeledText> rows)
    {
        var data = context.Data.LoadFromEnumerable(rows.Select(r => new TicketText { Text = r.Text, Label = r.Label }));
        var featurize = pipeline.DefaultFeaturizer
            ? context.Transforms.Text.FeaturizeText("Features", MlNetSchema.TextColumn)
            : context.Transforms.Text.FeaturizeText("Features", new TextFeaturizingEstimator.Options
            {
                CaseMode = TextNormalizingEstimator.CaseMode.Lower,
                KeepDiacritics = false,
                KeepPunctuations = false,
                KeepNumbers = true,
                WordFeatureExtractor = pipeline.WordNgrams == 0 ? null : new WordBagEstimator.Options
                {
                    NgramLength = pipeline.WordNgrams,
                    UseAllLengths = true,
                    Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf,
                },
                CharFeatureExtractor = pipeline.CharNgrams == 0 ? null : new WordBagEstimator.Options
                {
                    NgramLength = pipeline.CharNgrams,
                    UseAllLengths = pipeline.CharAllLengths,
                    Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf,
                },
                Norm = TextFeaturizingEstimator.NormFunction.L2,
            }, MlNetSchema.TextColumn);
        var estimator = context.Transforms.Conversion.MapValueToKey("Label", MlNetSchema.LabelColumn).Append(featurize);
        var model = pipeline.Sdca
            ? estimator.Append(context.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", "Features"))
                .Append(context.Transforms.Conversion.MapKeyToValue(MlNetSchema.PredictedLabelColumn)).Fit(data)
            : estimator.Append(context.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
                {
                    LabelColumnName = "Label",
                    FeatureColumnName = "Features",
                    L2Regularization = pipeline.L2,
                    L1Regularization = 0f,
                }))
                .Append(context.Transforms.Conversion.MapKeyToValue(MlNetSchema.PredictedLabelColumn)).Fit(data);
        return model;
    }

    private static IReadOnlyList<string> ModelClasses(MLContext context, ITransformer model) =>
        MlNetSchema.Check(model, context.Data.LoadFromEnumerable(Array.Empty<TicketText>()).Schema, "(training)");
}
