using Microsoft.ML;
using Microsoft.ML.Data;

namespace TicketTriage.MlNet;

/// <summary>
/// The input row a model is asked about. A dropped-in model must read a String column <c>text</c>; a String column
/// <c>label</c> is offered too (empty at prediction time), because pipelines such as Model Builder's keep their
/// <c>MapValueToKey(label)</c> step in the saved model and fail without the column.
/// </summary>
public sealed class TicketText
{
    [ColumnName(MlNetSchema.TextColumn)]
    public string Text { get; set; } = "";

    [ColumnName(MlNetSchema.LabelColumn)]
    public string Label { get; set; } = "";
}

/// <summary>What a model must produce: the predicted label as a String, and one probability per class in <c>Score</c>.</summary>
public sealed class TicketPrediction
{
    [ColumnName(MlNetSchema.PredictedLabelColumn)]
    public string PredictedLabel { get; set; } = "";

    [ColumnName(MlNetSchema.ScoreColumn)]
    public float[] Score { get; set; } = [];
}

/// <summary>A model file that does not have the shape this app can use; the message says what was expected and found.</summary>
public sealed class MlNetModelSchemaException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The contract of an ML.NET classifier file (.zip) this app loads:
/// input <c>text</c> (String; optionally <c>label</c>, String) → output <c>PredictedLabel</c> (String, i.e. after
/// <c>MapKeyToValue</c>) and <c>Score</c> (a known-size vector of Single, one probability per class, carrying the
/// class names as its slot names — what <c>MapValueToKey</c> on the label column gives a multiclass trainer).
/// </summary>
public static class MlNetSchema
{
    public const string TextColumn = "text";
    public const string LabelColumn = "label";
    public const string PredictedLabelColumn = "PredictedLabel";
    public const string ScoreColumn = "Score";

    public const string Expected =
        "expected input column 'text' (String) and optionally 'label' (String); output columns 'PredictedLabel' (String) and 'Score' (vector of Single with the class names as slot names)";

    /// <summary>Checks a loaded model against the contract and returns its class names in <c>Score</c> order.</summary>
    public static IReadOnlyList<string> Check(ITransformer model, DataViewSchema? inputSchema, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        MlNetModelSchemaException Mismatch(string what) => new($"The ML.NET model at {path} does not match: {what}; {Expected}.");
        if (inputSchema is null)
        {
            throw Mismatch("it carries no input schema");
        }

        if (inputSchema.GetColumnOrNull(TextColumn) is not { } text)
        {
            throw Mismatch($"no input column '{TextColumn}' (its inputs: {Describe(inputSchema)})");
        }

        if (text.Type is not TextDataViewType)
        {
            throw Mismatch($"input column '{TextColumn}' is {text.Type}, not String");
        }

        if (inputSchema.GetColumnOrNull(LabelColumn) is { } label && label.Type is not TextDataViewType)
        {
            throw Mismatch($"input column '{LabelColumn}' is {label.Type}, not String");
        }

        // What the app feeds the model is a ticket's text (and an empty label): the pipeline must run on just that.
        // Other columns of the training file in the saved schema are fine as long as the pipeline does not read them.
        DataViewSchema output;
        try
        {
            output = model.GetOutputSchema(TicketSchema.Value);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            throw new MlNetModelSchemaException(
                $"The ML.NET model at {path} does not run on a ticket's columns (text, label): {e.Message} (its inputs: {Describe(inputSchema)}); {Expected}.", e);
        }

        if (output.GetColumnOrNull(PredictedLabelColumn) is not { } predicted || predicted.Type is not TextDataViewType)
        {
            throw Mismatch($"no String output column '{PredictedLabelColumn}' (outputs: {Describe(output)}) — a key-typed one needs MapKeyToValue at the end of the pipeline");
        }

        if (output.GetColumnOrNull(ScoreColumn) is not { } score
            || score.Type is not VectorDataViewType { ItemType: NumberDataViewType, IsKnownSize: true } vector
            || vector.ItemType != NumberDataViewType.Single)
        {
            throw Mismatch($"no output column '{ScoreColumn}' of a known-size Single vector (outputs: {Describe(output)}) — is it a multiclass model?");
        }

        if (!score.HasSlotNames())
        {
            throw Mismatch($"output column '{ScoreColumn}' has no class names (slot names)");
        }

        VBuffer<ReadOnlyMemory<char>> names = default;
        score.GetSlotNames(ref names);
        var classes = names.DenseValues().Select(n => n.ToString()).ToList();
        if (classes.Count != vector.Size || classes.Any(string.IsNullOrEmpty))
        {
            throw Mismatch($"output column '{ScoreColumn}' has {vector.Size} slots but {classes.Count(c => c.Length > 0)} class names");
        }

        return classes;
    }

    private static readonly Lazy<DataViewSchema> TicketSchema = new(() => new MLContext().Data.LoadFromEnumerable(Array.Empty<TicketText>()).Schema);

    private static string Describe(DataViewSchema schema) =>
        string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"{c.Name}: {c.Type}"));
}
