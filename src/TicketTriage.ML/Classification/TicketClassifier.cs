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
public sealed class TicketClassifier : ITextClassifier
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

    public void Save(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        using var stream = File.Create(path);
        Save(stream);
    }

    public static TicketClassifier Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    /// <summary>
    /// File layout (little-endian): "TTCM", version, classes, temperature, threshold, abstain score kind (from
    /// version 2), the training settings Update
    /// needs, the featurizer section, then the weight table (features × classes, float32) and the bias.
    /// </summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(_classes.Count);
        foreach (var c in _classes)
        {
            writer.Write(c);
        }

        writer.Write(Temperature);
        writer.Write(AbstainThreshold);
        writer.Write((int)AbstainScore);
        writer.Write(Options.LearningRate);
        writer.Write(Options.L2);
        writer.Write(Options.Seed);
        Featurizer.Write(writer);
        _model.Write(writer);
    }

    public static TicketClassifier Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        Span<byte> magic = stackalloc byte[4];
        reader.BaseStream.ReadExactly(magic);
        if (!magic.SequenceEqual(Magic))
        {
            throw new InvalidDataException("Not a TicketTriage classifier file (bad magic).");
        }

        var version = reader.ReadInt32();
        if (version is < 1 or > FormatVersion)
        {
            throw new InvalidDataException($"Classifier format version {version} is not supported (expected 1..{FormatVersion}).");
        }

        var classCount = reader.ReadInt32();
        var classes = new List<string>(classCount);
        for (var i = 0; i < classCount; i++)
        {
            classes.Add(reader.ReadString());
        }

        var temperature = reader.ReadSingle();
        var threshold = reader.ReadSingle();
        // Version 1 files predate the open-set scores: their threshold is on the calibrated confidence.
        var abstainScore = version >= 2 ? (OpenSetScore)reader.ReadInt32() : OpenSetScore.MaxProbability;
        if (!Enum.IsDefined(abstainScore))
        {
            throw new InvalidDataException($"Classifier file names an unknown abstain score ({(int)abstainScore}).");
        }

        var options = new ClassifierOptions { LearningRate = reader.ReadSingle(), L2 = reader.ReadSingle(), Seed = reader.ReadInt32() };
        var featurizer = TextFeaturizer.Read(reader);
        var model = LinearModel.Read(reader);
        if (model.Classes != classCount || model.Features != featurizer.VocabularySize)
        {
            throw new InvalidDataException("Classifier file is inconsistent: weight table does not match classes or vocabulary.");
        }

        return new TicketClassifier(featurizer, classes, model, options with { AbstainScore = abstainScore }, temperature, threshold) { AbstainScore = abstainScore };
    }
}
