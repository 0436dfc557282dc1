using TicketTriage.ML.Classification;
using TicketTriage.ML.Text;

namespace TicketTriage.ML.Tests.Classification;

public sealed class EnsembleTests
{
    private static readonly FeaturizerOptions Features = new() { HashBits = 16 };
    private static readonly ClassifierOptions Fast = new() { Epochs = 10, CalibrationFraction = 0f };

    private static readonly LabeledText[] Tickets =
    [
        new("my email bounces", "email"), new("cannot send mail from outlook", "email"), new("mailbox full, messages rejected", "email"),
        new("smtp error 550 when sending", "email"), new("domain does not resolve", "dns"), new("dns records not propagating", "dns"),
        new("nameserver change not working", "dns"), new("a record points to old ip", "dns"), new("certificate expired on my site", "ssl"),
        new("ssl warning in chrome", "ssl"), new("https shows not secure", "ssl"), new("lets encrypt renewal failed", "ssl"),
    ];

    [Fact]
    public void Train_EnsembleWithViewPairsLearnsTheDatasetInOneWeightTable()
    {
        var single = TicketClassifier.Train(Tickets, Features, Fast);
        var ensemble = TicketClassifier.Train(Tickets, Features, Fast with { EnsembleSize = 2, ViewPairs = 1 });

        Assert.All(Tickets, t => Assert.Equal(t.Label, ensemble.Predict(t.Text).Label));
        // Members are averaged into the same table: prediction cost does not grow with the member count.
        Assert.Equal(single.WeightCount, ensemble.WeightCount);
        Assert.NotEqual(single.PredictProbabilities("dns not resolving"), ensemble.PredictProbabilities("dns not resolving"));
    }

    [Fact]
    public void FeatureMatrix_SelectSplitsEachRowIntoItsWordAndCharBlocks()
    {
        var featurizer = TextFeaturizer.Fit(["my email bounces", "dns records"], Features);
        var texts = new[] { "my email bounces", "dns records" };
        var all = FeatureMatrix.Build(featurizer, texts);
        var words = all.Select(FeatureMatrix.Blocks.WordsOnly);
        var chars = all.Select(FeatureMatrix.Blocks.CharsOnly);

        var buffer = featurizer.CreateBuffer();
        for (var r = 0; r < texts.Length; r++)
        {
            featurizer.Transform(texts[r], buffer);
            Assert.Equal(buffer.Indices[..buffer.WordFeatureCount].ToArray(), words.Indices[words.RowStart[r]..words.RowStart[r + 1]]);
            Assert.Equal(buffer.Indices[buffer.WordFeatureCount..].ToArray(), chars.Indices[chars.RowStart[r]..chars.RowStart[r + 1]]);
        }
    }

    [Fact]
    public void NaiveBayes_WeightsFavourTheClassAFeatureOccursIn()
    {
        var featurizer = TextFeaturizer.Fit(["alpha beta", "gamma delta"], new FeaturizerOptions { HashBits = 12, CharNgramMin = 0, CharNgramMax = 0, WordNgramMax = 1 });
        var matrix = FeatureMatrix.Build(featurizer, ["alpha beta", "gamma delta"]);
        var model = new LinearModel(featurizer.VocabularySize, 2);

        TicketClassifier.AddNaiveBayes(model, matrix, [0, 1], blend: 1f, alpha: 0.1f);

        var alpha = featurizer.Transform("alpha").Indices[0];
        var row = model.Row(alpha);
        Assert.True(row[0] > row[1]);
        // Centred: a shift common to both classes would not change the softmax, so none is stored.
        Assert.Equal(0f, row[0] + row[1], 4);
    }

    [Fact]
    public void Train_LabelSmoothingAndCosineStepStillLearnTheDataset()
    {
        var classifier = TicketClassifier.Train(Tickets, Features, Fast with { LabelSmoothing = 0.1f, CosineSchedule = true, Epochs = 20 });

        Assert.All(Tickets, t => Assert.Equal(t.Label, classifier.Predict(t.Text).Label));
    }
}
