using System.Numerics.Tensors;
using System.Text;
using TicketTriage.ML.Text;

namespace TicketTriage.ML.Classification;

/// <summary>A label and its calibrated probability.</summary>
public sealed record LabelScore(string Label, float Probability);

/// <summary>
/// A prediction: the most probable label, its calibrated confidence, whether it falls below the abstain threshold
/// (the ticket needs a person), and the top labels.
/// </summary>
public sealed record ClassificationResult(string Label, float Confidence, bool NeedsReview, IReadOnlyList<LabelScore> Top);

/// <summary>Per-thread scratch for allocation-free classification.</summary>
public sealed class ClassificationScratch
{
    internal ClassificationScratch(FeatureBuffer features, int classes)
    {
        Features = features;
        Scores = new float[(classes + 7) & ~7];
        ProbabilityBuffer = new float[classes];
    }

    public FeatureBuffer Features { get; }

    /// <summary>Raw scores, padded to the model's row stride.</summary>
    internal float[] Scores { get; set; }

    internal float[] ProbabilityBuffer { get; set; }

    /// <summary>The calibrated probabilities of the last <see cref="TicketClassifier.Classify"/> call, by class index.</summary>
    public ReadOnlySpan<float> Probabilities => ProbabilityBuffer;

    /// <summary>The raw scores (logits, before the temperature) of the last call, by class index.</summary>
    public ReadOnlySpan<float> Logits => Scores.AsSpan(0, ProbabilityBuffer.Length);
}

/// <summary>
/// Multinomial logistic regression (optionally blended with a squared-hinge model) over <see cref="TextFeaturizer"/>
/// features, with temperature-scaled probabilities, an abstain threshold, warm-started updates from corrected
/// examples, and a versioned binary file format.
/// </summary>
public sealed partial class TicketClassifier : ITextClassifier
{
    private const int FormatVersion = 2;
    private static ReadOnlySpan<byte> Magic => "TTCM"u8;

    private readonly List<string> _classes;
    private readonly LinearModel _model;

    [ThreadStatic]
    private static ClassificationScratch? t_scratch;

    private TicketClassifier(TextFeaturizer featurizer, List<string> classes, LinearModel model, ClassifierOptions options, float temperature, float threshold)
    {
        Featurizer = featurizer;
        _classes = classes;
        _model = model;
        Options = options;
        Temperature = temperature;
        AbstainThreshold = threshold;
    }

    public TextFeaturizer Featurizer { get; }

    public ClassifierOptions Options { get; }

    public IReadOnlyList<string> Classes => _classes;

    /// <summary>Scores are divided by this before the softmax (fit on held-out data).</summary>
    public float Temperature { get; }

    /// <summary>Predictions whose <see cref="AbstainScore"/> is lower are flagged <see cref="ClassificationResult.NeedsReview"/>.</summary>
    public float AbstainThreshold { get; set; }

    /// <summary>What <see cref="AbstainThreshold"/> is compared with (the calibrated confidence unless trained otherwise).</summary>
    public OpenSetScore AbstainScore { get; private init; } = OpenSetScore.MaxProbability;

    /// <summary>
    /// The threshold the calibration split gave each score kind under the training rule (NaN where the rule does not
    /// apply). Known only right after training: a loaded model keeps just its own.
    /// </summary>
    public IReadOnlyDictionary<OpenSetScore, float> CalibratedThresholds { get; private init; } = new Dictionary<OpenSetScore, float>();

    /// <summary>The open-set score of the last <see cref="Classify"/> call on <paramref name="scratch"/>.</summary>
    public float OpenSetScoreOf(ClassificationScratch scratch, OpenSetScore kind)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        return OpenSetScores.Compute(kind, scratch.Logits, scratch.Probabilities, Temperature);
    }

    /// <summary>Whether the last <see cref="Classify"/> call on <paramref name="scratch"/> should go to a person.</summary>
    public bool NeedsReview(ClassificationScratch scratch) => OpenSetScoreOf(scratch, AbstainScore) < AbstainThreshold;

    public int WeightCount => _model.Weights.Length;

    public ClassificationScratch CreateScratch() => new(Featurizer.CreateBuffer(), _classes.Count);

    /// <summary>
    /// Featurizes and scores <paramref name="text"/> without allocating; the calibrated probabilities are left in
    /// <see cref="ClassificationScratch.Probabilities"/>. Returns the index of the most probable class.
    /// </summary>
    public int Classify(ReadOnlySpan<char> text, ClassificationScratch scratch)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        if (scratch.ProbabilityBuffer.Length != _classes.Count)
        {
            scratch.Scores = new float[_model.Stride];
            scratch.ProbabilityBuffer = new float[_classes.Count];
        }

        Featurizer.Transform(text, scratch.Features);
        _model.Score(scratch.Features.Indices, scratch.Features.Values, scratch.Scores);
        Softmax.Compute(scratch.Scores.AsSpan(0, _classes.Count), 1f / Temperature, scratch.ProbabilityBuffer);
        return TensorPrimitives.IndexOfMax(scratch.ProbabilityBuffer);
    }

    /// <summary>Calibrated probabilities by class index (thread-safe; allocates the result).</summary>
    public float[] PredictProbabilities(string text)
    {
        var scratch = t_scratch ??= CreateScratch();
        Classify(text, scratch);
        return scratch.Probabilities.ToArray();
    }

    public ClassificationResult Predict(string text, int top = 3)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scratch = t_scratch ??= CreateScratch();
        Classify(text, scratch);
        var needsReview = NeedsReview(scratch);
        var probabilities = scratch.Probabilities.ToArray();
        var ranked = TopIndices(probabilities, Math.Max(1, top));
        var best = ranked[0];
        return new ClassificationResult(
            _classes[best],
            probabilities[best],
            needsReview,
            [.. ranked.Select(i => new LabelScore(_classes[i], probabilities[i]))]);
    }

    /// <summary>Class indices of the k largest probabilities, best first (ties: lower index first).</summary>
    public static int[] TopIndices(ReadOnlySpan<float> probabilities, int k)
    {
        k = Math.Min(k, probabilities.Length);
        var result = new int[k];
        var count = 0;
        for (var c = 0; c < probabilities.Length; c++)
        {
            var p = probabilities[c];
            if (count == k && p <= probabilities[result[k - 1]])
            {
                continue;
            }

            var at = count < k ? count++ : k - 1;
            while (at > 0 && probabilities[result[at - 1]] < p)
            {
                result[at] = result[at - 1];
                at--;
            }

            result[at] = c;
        }

        return result;
    }

    /// <summary>A deep copy (through the file format), e.g. to <see cref="Update"/> off to the side and swap in.</summary>
    public TicketClassifier Copy()
    {
        using var stream = new MemoryStream();
        Save(stream);
        stream.Position = 0;
        var copy = Load(stream);
        copy.AbstainThreshold = AbstainThreshold;
        return copy;
    }

    /// <summary>
    /// Learns from corrected examples (an agent's recategorizations), warm-started from the current weights: plain
    /// SGD passes over the corrections until each is predicted as corrected, or the epoch budget runs out. New
    /// labels become new classes. The featurizer (vocabulary, IDF) stays fixed.
    /// Hazard: this mutates the weights in place and is not safe while other threads classify with the same
    /// instance; update a <see cref="Copy"/> and swap the reference.
    /// </summary>
    public void Update(IReadOnlyList<LabeledText> corrections, int maxEpochs = 20)
    {
        ArgumentNullException.ThrowIfNull(corrections);
        if (corrections.Count == 0)
        {
            return;
        }

        foreach (var label in corrections.Select(c => c.Label).Distinct(StringComparer.Ordinal))
        {
            if (!_classes.Contains(label, StringComparer.Ordinal))
            {
                _classes.Add(label);
            }
        }

        _model.AddClasses(_classes.Count);
        var texts = corrections.Select(c => c.Text).ToArray();
        var labels = corrections.Select(c => _classes.IndexOf(c.Label)).ToArray();
        var matrix = FeatureMatrix.Build(Featurizer, texts);
        var scratch = CreateScratch();
        // A constant step, so late epochs still move a weight that the full training pinned.
        var stepOptions = Options with { LearningRateDecay = 0f };
        for (var epoch = 0; epoch < maxEpochs; epoch++)
        {
            SgdTrainer.Train(_model, matrix, labels, [], LinearLoss.Logistic, stepOptions with { Seed = Options.Seed + epoch }, 1, averaged: false);
            var allRight = true;
            for (var i = 0; i < texts.Length && allRight; i++)
            {
                allRight = Classify(texts[i], scratch) == labels[i];
            }

            if (allRight)
            {
                break;
            }
        }
    }

}
