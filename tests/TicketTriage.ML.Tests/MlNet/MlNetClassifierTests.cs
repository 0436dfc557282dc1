using Microsoft.ML;
using TicketTriage.ML.Classification;
using TicketTriage.MlNet;

namespace TicketTriage.ML.Tests.MlNet;

public sealed class MlNetClassifierTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("tt-mlnet-unit-");

    private static List<LabeledText> Rows() => [.. Enumerable.Range(0, 30).SelectMany(i => new[]
    {
        new LabeledText($"my mail inbox bounces message {i}", "email"),
        new LabeledText($"refund the invoice payment twice {i}", "billing"),
        new LabeledText($"domain nameserver record not resolving {i}", "dns"),
    })];

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void A_trained_model_saved_and_loaded_answers_the_same_and_keeps_its_threshold()
    {
        var trained = MlNetTextTrainer.Train(Rows(), new MlNetTrainingOptions([MlNetPipeline.Candidates[0]], ValidationFraction: 0.2f));
        var path = Path.Combine(_dir.FullName, "m.zip");
        MlNetTextTrainer.Save(trained.Classifier, path);
        var loaded = MlNetClassifier.Load(path, defaultThreshold: 0.99f);

        Assert.Equal(["billing", "dns", "email"], loaded.Classes.Order(StringComparer.Ordinal));
        Assert.Equal(trained.Classifier.AbstainThreshold, loaded.AbstainThreshold);
        var before = trained.Classifier.Predict("the invoice refund");
        var after = loaded.Predict("the invoice refund");
        Assert.Equal(("billing", before.Confidence), (after.Label, after.Confidence));
        Assert.Equal(after.Confidence < loaded.AbstainThreshold, after.NeedsReview);
    }

    [Fact]
    public void Predict_from_many_threads_matches_one_thread()
    {
        var trained = MlNetTextTrainer.Train(Rows(), new MlNetTrainingOptions([MlNetPipeline.Candidates[0]], ValidationFraction: 0.2f));
        var texts = Enumerable.Range(0, 400).Select(i => (i % 3) switch { 0 => $"inbox {i}", 1 => $"invoice {i}", _ => $"nameserver {i}" }).ToArray();
        var sequential = texts.Select(t => trained.Classifier.Predict(t)).Select(r => (r.Label, r.Confidence)).ToArray();
        var parallel = new (string, float)[texts.Length];
        Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var r = trained.Classifier.Predict(texts[i]);
            parallel[i] = (r.Label, r.Confidence);
        });

        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public void Load_explains_a_model_without_a_text_column()
    {
        var path = SaveModel("Body", regression: false);
        var error = Assert.Throws<MlNetModelSchemaException>(() => MlNetClassifier.Load(path));
        Assert.Contains("no input column 'text'", error.Message, StringComparison.Ordinal);
        Assert.Contains(MlNetSchema.Expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_explains_a_model_that_is_not_a_multiclass_classifier()
    {
        var path = SaveModel("text", regression: true);
        var error = Assert.Throws<MlNetModelSchemaException>(() => MlNetClassifier.Load(path));
        Assert.Contains("PredictedLabel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_explains_a_file_that_is_not_an_MlNet_model()
    {
        var path = Path.Combine(_dir.FullName, "not-a-model.zip");
        File.WriteAllText(path, "hello");
        var error = Assert.Throws<MlNetModelSchemaException>(() => MlNetClassifier.Load(path));
        Assert.Contains("could not be read as an ML.NET model", error.Message, StringComparison.Ordinal);
    }

    private sealed class Row
    {
        public string Text { get; set; } = "";
        public string Label { get; set; } = "";
        public float Value { get; set; }
    }

    private string SaveModel(string textColumn, bool regression)
    {
        var context = new MLContext(seed: 1);
        var rows = Rows().Select((r, i) => new Row { Text = r.Text, Label = r.Label, Value = i % 3 }).ToList();
        var view = context.Data.LoadFromEnumerable(rows);
        view = context.Transforms.CopyColumns(textColumn, nameof(Row.Text)).Fit(view).Transform(view);
        view = context.Transforms.DropColumns(nameof(Row.Text)).Fit(view).Transform(view);
        var featurize = context.Transforms.Text.FeaturizeText("Features", textColumn);
        ITransformer model = regression
            ? featurize.Append(context.Regression.Trainers.Sdca(labelColumnName: nameof(Row.Value))).Fit(view)
            : featurize.Append(context.Transforms.Conversion.MapValueToKey("Label"))
                .Append(context.MulticlassClassification.Trainers.SdcaMaximumEntropy())
                .Append(context.Transforms.Conversion.MapKeyToValue("PredictedLabel")).Fit(view);
        var path = Path.Combine(_dir.FullName, textColumn + (regression ? "-regression" : "") + ".zip");
        context.Model.Save(model, view.Schema, path);
        return path;
    }
}
