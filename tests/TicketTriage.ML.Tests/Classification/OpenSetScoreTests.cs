using TicketTriage.ML.Classification;

namespace TicketTriage.ML.Tests.Classification;

public sealed class OpenSetScoreTests
{
    [Fact]
    public void ThresholdForAccuracyDrop_GivesUpAtMostTheBudgetOfCorrectRows()
    {
        // Ten rows; the wrong ones (0.1, 0.3) are abstained on for free.
        float[] scores = [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 0.95f];
        bool[] correct = [false, true, false, true, true, true, true, true, true, true];

        // 20% of ten rows = two correct rows may be withheld: 0.2 and 0.4, so the threshold is the next correct score.
        Assert.Equal(0.5f, OpenSetScores.ThresholdForAccuracyDrop(scores, correct, 0.2f));
        // No budget: only below the lowest correct score.
        Assert.Equal(0.2f, OpenSetScores.ThresholdForAccuracyDrop(scores, correct, 0f));
    }

    [Fact]
    public void Compute_ReadsEachKindFromTheScores()
    {
        float[] logits = [2f, 1f, 0f];
        float[] probabilities = [0.6f, 0.3f, 0.1f];

        Assert.Equal(0.6f, OpenSetScores.Compute(OpenSetScore.MaxProbability, logits, probabilities, 1f));
        Assert.Equal(0.3f, OpenSetScores.Compute(OpenSetScore.Margin, logits, probabilities, 1f), 5);
        Assert.Equal(2f, OpenSetScores.Compute(OpenSetScore.MaxLogit, logits, probabilities, 1f));
        Assert.Equal((float)Math.Log(Math.Exp(2) + Math.Exp(1) + 1), OpenSetScores.Compute(OpenSetScore.Energy, logits, probabilities, 1f), 4);
    }

    [Fact]
    public void Train_CalibratesEveryScoreKind_AndTheFileKeepsTheModelsOwn()
    {
        var rows = Enumerable.Range(0, 40).SelectMany(i => new[]
        {
            new LabeledText($"mail inbox bounce {i % 7}", "email"),
            new LabeledText($"invoice refund payment {i % 5}", "billing"),
            new LabeledText($"domain record nameserver {i % 3}", "dns"),
        }).ToList();
        var classifier = TicketClassifier.Train(rows, new() { HashBits = 14 }, new() { Epochs = 4, AbstainScore = OpenSetScore.Margin, CalibrationFraction = 0.25f });

        Assert.Equal(Enum.GetValues<OpenSetScore>().Length, classifier.CalibratedThresholds.Count);
        Assert.Equal(classifier.CalibratedThresholds[OpenSetScore.Margin], classifier.AbstainThreshold);
        using var file = new MemoryStream();
        classifier.Save(file);
        file.Position = 0;
        var loaded = TicketClassifier.Load(file);
        Assert.Equal(OpenSetScore.Margin, loaded.AbstainScore);
        Assert.Equal(classifier.Predict("refund my invoice").NeedsReview, loaded.Predict("refund my invoice").NeedsReview);
    }
}
