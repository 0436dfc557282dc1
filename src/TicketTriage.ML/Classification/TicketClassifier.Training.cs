using System.Numerics.Tensors;
using System.Text;
using TicketTriage.ML.Text;

namespace TicketTriage.ML.Classification;

// Training: the linear model, its naive Bayes blend, prior correction and class balancing.
public sealed partial class TicketClassifier : ITextClassifier
{
    public static TicketClassifier Train(
        IReadOnlyList<LabeledText> examples,
        FeaturizerOptions? featurizerOptions = null,
        ClassifierOptions? options = null,
        IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        featurizerOptions ??= new FeaturizerOptions();
        options ??= new ClassifierOptions();
        options.Validate();
        if (examples.Count == 0)
        {
            throw new ArgumentException("No examples to train on.", nameof(examples));
        }

        var classes = examples.Select(e => e.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var classIndex = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var labels = examples.Select(e => classIndex[e.Label]).ToArray();
        var texts = examples.Select(e => e.Text).ToArray();

        var (fitRows, calibrationRows) = options.CalibrationFraction > 0f
            ? StratifiedSplit(labels, classes.Count, options.CalibrationFraction, options.Seed)
            : (Enumerable.Range(0, labels.Length).ToArray(), Array.Empty<int>());

        if (calibrationRows.Length == 0)
        {
            var (f, m) = TrainCore(texts, labels, classes.Count, featurizerOptions, options, progress, "train");
            return new TicketClassifier(f, classes, m, options, 1f, 0.5f);
        }

        var (featurizer, model) = TrainCore(
            [.. fitRows.Select(i => texts[i])], [.. fitRows.Select(i => labels[i])], classes.Count, featurizerOptions, options, progress, "train (calibration split)");
        var held = new TicketClassifier(featurizer, classes, model, options, 1f, 0f);
        var scratch = held.CreateScratch();
        var scores = new float[calibrationRows.Length][];
        var truth = new int[calibrationRows.Length];
        for (var k = 0; k < calibrationRows.Length; k++)
        {
            held.Classify(texts[calibrationRows[k]], scratch);
            scores[k] = scratch.Scores[..classes.Count];
            truth[k] = labels[calibrationRows[k]];
        }

        var temperature = Calibration.FitTemperature(scores, truth);
        var confidence = new float[scores.Length];
        var correct = new bool[scores.Length];
        var probabilities = new float[classes.Count];
        var openSet = Enum.GetValues<OpenSetScore>().ToDictionary(k => k, _ => new float[scores.Length]);
        for (var k = 0; k < scores.Length; k++)
        {
            Softmax.Compute(scores[k], 1f / temperature, probabilities);
            var best = TensorPrimitives.IndexOfMax(probabilities);
            confidence[k] = probabilities[best];
            correct[k] = best == truth[k];
            foreach (var (kind, values) in openSet)
            {
                values[k] = OpenSetScores.Compute(kind, scores[k], probabilities, temperature);
            }
        }

        // The threshold for every score kind, so an evaluation can compare them; the model uses its own kind's.
        var thresholds = openSet.ToDictionary(
            p => p.Key,
            p => options.MaxAccuracyDrop is { } drop
                ? OpenSetScores.ThresholdForAccuracyDrop(p.Value, correct, drop)
                : p.Key == OpenSetScore.MaxProbability ? Calibration.ChooseThreshold(confidence, correct, options.TargetAccuracy) : float.NaN);
        if (options.RefitOnAllData)
        {
            (featurizer, model) = TrainCore(texts, labels, classes.Count, featurizerOptions, options, progress, "train (all data)");
        }

        return new TicketClassifier(featurizer, classes, model, options, temperature, thresholds[options.AbstainScore])
        {
            AbstainScore = options.AbstainScore,
            CalibratedThresholds = thresholds,
        };
    }

    private static (TextFeaturizer Featurizer, LinearModel Model) TrainCore(
        string[] texts, int[] labels, int classCount, FeaturizerOptions featurizerOptions, ClassifierOptions options, IProgress<TrainingProgress>? progress, string stage)
    {
        progress?.Report(new TrainingProgress(stage + ": features", 0));
        var featurizer = TextFeaturizer.Fit(texts, featurizerOptions);
        var matrix = FeatureMatrix.Build(featurizer, texts);
        return (featurizer, TrainOnMatrix(matrix, featurizer.VocabularySize, labels, classCount, options, progress, stage));
    }

    /// <summary>The weight table for featurized rows (the settings search reuses one featurization for many of these).</summary>
    internal static LinearModel TrainOnMatrix(
        FeatureMatrix matrix, int featureCount, int[] labels, int classCount, ClassifierOptions options, IProgress<TrainingProgress>? progress, string stage)
    {
        var weights = options.BalanceClasses ? BalancedWeights(labels, classCount) : [];
        var model = new LinearModel(featureCount, classCount);
        // Members: EnsembleSize seeds over all features, then ViewPairs words-only and chars-only ones.
        var members = new List<(FeatureMatrix.Blocks Blocks, int Seed)>();
        for (var m = 0; m < options.EnsembleSize; m++)
        {
            members.Add((FeatureMatrix.Blocks.All, options.Seed + (7919 * m)));
        }

        for (var v = 0; v < options.ViewPairs; v++)
        {
            members.Add((FeatureMatrix.Blocks.WordsOnly, options.Seed + 104729 + (7919 * v)));
            members.Add((FeatureMatrix.Blocks.CharsOnly, options.Seed + 1299709 + (7919 * v)));
        }

        var parts = members.Count * (options.HingeBlend > 0f ? 2.0 : 1.0);
        var totalWeight = members.Sum(m => MemberWeight(m.Blocks, options));
        var done = 0;
        var member = members.Count == 1 ? model : new LinearModel(featureCount, classCount);
        foreach (var (blocks, seed) in members)
        {
            var view = matrix.Select(blocks);
            var memberOptions = options with { Seed = seed };
            if (!ReferenceEquals(member, model))
            {
                Array.Clear(member.Weights);
                Array.Clear(member.Bias);
            }

            var offset = done;
            SgdTrainer.Train(member, view, labels, weights, LinearLoss.Logistic, memberOptions, options.Epochs, options.Averaged,
                f => progress?.Report(new TrainingProgress(stage, (offset + f) / parts)));
            done++;
            if (options.HingeBlend > 0f)
            {
                var hinge = new LinearModel(featureCount, classCount);
                var hingeOffset = done;
                SgdTrainer.Train(hinge, view, labels, weights, LinearLoss.SquaredHinge, memberOptions with { LearningRate = options.HingeLearningRate }, options.Epochs, options.Averaged,
                    f => progress?.Report(new TrainingProgress(stage, (hingeOffset + f) / parts)));
                member.AddScaled(hinge, options.HingeBlend);
                done++;
            }

            if (!ReferenceEquals(member, model))
            {
                // The mean of the members' logits is the logit of the mean weights: one table at prediction time.
                model.AddScaled(member, MemberWeight(blocks, options) / totalWeight);
            }
        }

        if (options.NaiveBayesBlend > 0f)
        {
            AddNaiveBayes(model, matrix, labels, options.NaiveBayesBlend, options.NaiveBayesAlpha);
        }

        ApplyPriorCorrection(model, labels, classCount, options.PriorCorrection);
        return model;
    }

    /// <summary>
    /// Adds blend × ln θ(feature | class) of a multinomial naive Bayes over the (TF-IDF) feature values, each feature's
    /// row centred across classes — a shift common to every class leaves the softmax unchanged and keeps the table's
    /// magnitudes comparable with the logistic weights. Class priors are left to the logistic bias.
    /// </summary>
    internal static void AddNaiveBayes(LinearModel model, FeatureMatrix x, int[] labels, float blend, float alpha)
    {
        var classes = model.Classes;
        var features = model.Features;
        var counts = new float[(long)features * classes];
        var totals = new double[classes];
        for (var r = 0; r < x.Rows; r++)
        {
            var y = labels[r];
            for (var k = x.RowStart[r]; k < x.RowStart[r + 1]; k++)
            {
                counts[((long)x.Indices[k] * classes) + y] += x.Values[k];
                totals[y] += x.Values[k];
            }
        }

        var logTotals = new float[classes];
        for (var c = 0; c < classes; c++)
        {
            logTotals[c] = (float)Math.Log(totals[c] + (alpha * features));
        }

        var row = new float[classes];
        for (var j = 0; j < features; j++)
        {
            var mean = 0f;
            for (var c = 0; c < classes; c++)
            {
                row[c] = MathF.Log(counts[((long)j * classes) + c] + alpha) - logTotals[c];
                mean += row[c];
            }

            mean /= classes;
            var weights = model.Row(j);
            for (var c = 0; c < classes; c++)
            {
                weights[c] += blend * (row[c] - mean);
            }
        }
    }

    private static float MemberWeight(FeatureMatrix.Blocks blocks, ClassifierOptions options) =>
        blocks == FeatureMatrix.Blocks.WordsOnly ? options.WordViewWeight : 1f;

    private static void ApplyPriorCorrection(LinearModel model, int[] labels, int classCount, float strength)
    {
        if (strength == 0f)
        {
            return;
        }

        var counts = new int[classCount];
        foreach (var y in labels)
        {
            counts[y]++;
        }

        for (var c = 0; c < classCount; c++)
        {
            model.Bias[c] -= strength * MathF.Log(Math.Max(1, counts[c]) / (float)labels.Length);
        }
    }

    private static float[] BalancedWeights(int[] labels, int classCount)
    {
        var counts = new int[classCount];
        foreach (var y in labels)
        {
            counts[y]++;
        }

        return [.. labels.Select(y => labels.Length / (float)(classCount * counts[y]))];
    }

    /// <summary>Per class, a seeded shuffle puts round(fraction × count) examples aside (none from singleton classes).</summary>
    public static (int[] Fit, int[] Held) StratifiedSplit(int[] labels, int classCount, float fraction, int seed)
    {
        var random = new Random(seed);
        var fit = new List<int>();
        var held = new List<int>();
        for (var c = 0; c < classCount; c++)
        {
            var members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).ToArray();
            random.Shuffle(members);
            var take = members.Length < 2 ? 0 : Math.Max(1, (int)Math.Round(fraction * members.Length));
            held.AddRange(members[..take]);
            fit.AddRange(members[take..]);
        }

        fit.Sort();
        held.Sort();
        return ([.. fit], [.. held]);
    }
}
