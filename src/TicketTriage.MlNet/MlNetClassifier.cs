using System.Text.Json;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using TicketTriage.ML.Classification;

namespace TicketTriage.MlNet;

/// <summary>
/// An ML.NET model file (.zip) behind <see cref="ITextClassifier"/>: the same labels, confidence, abstain threshold
/// and "needs review" as the own engine. A <c>PredictionEngine</c> is not thread-safe, so predictions borrow one from
/// a pool (one per concurrent caller, created on demand, kept for reuse).
/// </summary>
public sealed class MlNetClassifier : ITextClassifier
{
    private readonly ObjectPool<PredictionEngine<TicketText, TicketPrediction>> _engines;
    private readonly string[] _classes;

    private MlNetClassifier(ITransformer model, IReadOnlyList<string> classes, AbstainSettings abstain, MLContext context)
    {
        Model = model;
        _classes = [.. classes];
        AbstainThreshold = abstain.AbstainThreshold;
        AbstainScore = abstain.AbstainScore;
        _engines = new DefaultObjectPool<PredictionEngine<TicketText, TicketPrediction>>(new EnginePolicy(context, model), Environment.ProcessorCount * 2);
    }

    public ITransformer Model { get; }

    public IReadOnlyList<string> Classes => _classes;

    public float AbstainThreshold { get; }

    /// <summary>What the threshold is compared with: ML.NET gives probabilities only, so MaxProbability or Margin.</summary>
    public OpenSetScore AbstainScore { get; }

    /// <summary>
    /// Loads and checks a model file. Its abstain settings come from the sidecar <see cref="SidecarPath"/> that
    /// <c>triage train --engine mlnet</c> writes; a model trained elsewhere has none and gets
    /// <paramref name="defaultThreshold"/> on its top probability.
    /// </summary>
    /// <exception cref="MlNetModelSchemaException">The file is not an ML.NET model of the expected schema.</exception>
    public static MlNetClassifier Load(string path, float defaultThreshold = 0.5f)
    {
        var context = new MLContext(seed: 1);
        ITransformer model;
        DataViewSchema? inputSchema;
        try
        {
            using var stream = File.OpenRead(path);
            model = context.Model.Load(stream, out inputSchema);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException or ArgumentException or NotSupportedException or System.Reflection.TargetInvocationException)
        {
            throw new MlNetModelSchemaException($"The file at {path} could not be read as an ML.NET model: {e.Message}", e);
        }

        var classes = MlNetSchema.Check(model, inputSchema, path);
        var abstain = ReadSidecar(path) ?? new AbstainSettings(defaultThreshold, OpenSetScore.MaxProbability);
        var classifier = new MlNetClassifier(model, classes, abstain, context);
        try
        {
            // One prediction now, so a pipeline that cannot run on a ticket fails at start-up, not on the first ticket.
            classifier.Predict("start-up check");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            throw new MlNetModelSchemaException($"The ML.NET model at {path} failed on a test prediction: {e.Message}; {MlNetSchema.Expected}.", e);
        }

        return classifier;
    }

    internal static MlNetClassifier Create(ITransformer model, IReadOnlyList<string> classes, AbstainSettings abstain, MLContext context) =>
        new(model, classes, abstain, context);

    public ClassificationResult Predict(string text, int top = 3)
    {
        ArgumentNullException.ThrowIfNull(text);
        var probabilities = Probabilities(text);
        var ranked = TicketClassifier.TopIndices(probabilities, Math.Max(1, top));
        var best = ranked[0];
        return new ClassificationResult(_classes[best], probabilities[best], NeedsReview(probabilities), [.. ranked.Select(i => new LabelScore(_classes[i], probabilities[i]))]);
    }

    /// <summary>Whether a prediction with these probabilities goes to a person (the own engine's rule).</summary>
    public bool NeedsReview(float[] probabilities)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        // No logits here: log-probabilities stand in for them (they differ from logits by a constant per row).
        var logits = probabilities.Select(p => MathF.Log(Math.Max(p, 1e-30f))).ToArray();
        return OpenSetScores.Compute(AbstainScore, logits, probabilities, 1f) < AbstainThreshold;
    }

    /// <summary>The model's probabilities by class index (its <c>Score</c> column).</summary>
    public float[] Probabilities(string text)
    {
        var engine = _engines.Get();
        try
        {
            return engine.Predict(new TicketText { Text = text }).Score;
        }
        finally
        {
            _engines.Return(engine);
        }
    }

    /// <summary>The abstain settings file beside a model: <c>model.zip</c> → <c>model.abstain.json</c>.</summary>
    public static string SidecarPath(string modelPath) => Path.ChangeExtension(modelPath, ".abstain.json");

    internal static void WriteSidecar(string modelPath, AbstainSettings abstain) =>
        File.WriteAllText(SidecarPath(modelPath), JsonSerializer.Serialize(abstain, SidecarJson));

    private static AbstainSettings? ReadSidecar(string modelPath)
    {
        var path = SidecarPath(modelPath);
        if (!File.Exists(path))
        {
            return null;
        }

        var settings = JsonSerializer.Deserialize<AbstainSettings>(File.ReadAllText(path), SidecarJson)
            ?? throw new MlNetModelSchemaException($"{path} is empty.");
        if (settings.AbstainScore is not (OpenSetScore.MaxProbability or OpenSetScore.Margin))
        {
            throw new MlNetModelSchemaException($"{path}: an ML.NET model abstains on MaxProbability or Margin, not {settings.AbstainScore}.");
        }

        return settings;
    }

    private static readonly JsonSerializerOptions SidecarJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    private sealed class EnginePolicy(MLContext context, ITransformer model) : PooledObjectPolicy<PredictionEngine<TicketText, TicketPrediction>>
    {
        private readonly Lock _create = new();

        public override PredictionEngine<TicketText, TicketPrediction> Create()
        {
            // Engines are built one at a time: the MLContext is shared and not documented as safe for concurrent use.
            lock (_create)
            {
                return context.Model.CreatePredictionEngine<TicketText, TicketPrediction>(model);
            }
        }

        public override bool Return(PredictionEngine<TicketText, TicketPrediction> obj) => true;
    }
}

/// <summary>The abstain threshold a model was calibrated with, and the score it applies to.</summary>
public sealed record AbstainSettings(float AbstainThreshold, OpenSetScore AbstainScore);
