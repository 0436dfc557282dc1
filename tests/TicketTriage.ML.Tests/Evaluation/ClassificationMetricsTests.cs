using TicketTriage.ML.Evaluation;

namespace TicketTriage.ML.Tests.Evaluation;

public sealed class ClassificationMetricsTests
{
    // Three classes; truth vs predicted worked out by hand below.
    private static readonly int[] Truth = [0, 0, 0, 1, 1, 2];
    private static readonly int[] Predicted = [0, 0, 1, 1, 2, 2];

    [Fact]
    public void Accuracy_CountsExactMatches() => Assert.Equal(4.0 / 6.0, ClassificationMetrics.Accuracy(Truth, Predicted), 12);

    [Fact]
    public void MacroF1_MatchesHandComputedValue()
    {
        // class 0: tp 2, fp 0, fn 1 → F1 = 4/5; class 1: tp 1, fp 1, fn 1 → 1/2; class 2: tp 1, fp 1, fn 0 → 2/3.
        var expected = (0.8 + 0.5 + (2.0 / 3.0)) / 3.0;

        Assert.Equal(expected, ClassificationMetrics.MacroF1(Truth, Predicted, 3), 12);
    }

    [Fact]
    public void MacroF1_IgnoresClassesAbsentFromTruthAndPredictions()
    {
        Assert.Equal(ClassificationMetrics.MacroF1(Truth, Predicted, 3), ClassificationMetrics.MacroF1(Truth, Predicted, 5), 12);
    }

    [Fact]
    public void BalancedAccuracy_IsMeanPerClassRecall()
    {
        // recalls: 2/3, 1/2, 1/1.
        Assert.Equal(((2.0 / 3.0) + 0.5 + 1.0) / 3.0, ClassificationMetrics.BalancedAccuracy(Truth, Predicted, 3), 12);
    }

    [Fact]
    public void TopK_CountsTruthAmongTheKMostProbable()
    {
        float[][] probabilities =
        [
            [0.5f, 0.3f, 0.2f], // truth 0 rank 1
            [0.5f, 0.3f, 0.2f], // truth 1 rank 2
            [0.5f, 0.3f, 0.2f], // truth 2 rank 3
            [0.4f, 0.4f, 0.2f], // truth 1 tied with class 0, which wins the tie: rank 2
        ];
        int[] truth = [0, 1, 2, 1];

        Assert.Equal(0.25, ClassificationMetrics.TopK(truth, probabilities, 1), 12);
        Assert.Equal(0.75, ClassificationMetrics.TopK(truth, probabilities, 2), 12);
        Assert.Equal(1.0, ClassificationMetrics.TopK(truth, probabilities, 3), 12);
    }

    [Fact]
    public void LogLoss_IsMeanNegativeLogOfTrueClassProbability()
    {
        float[][] probabilities = [[0.5f, 0.5f], [0.25f, 0.75f], [1f, 0f]];
        int[] truth = [0, 1, 1];

        // The zero probability is clipped to 1e-15.
        var expected = (-Math.Log(0.5) - Math.Log(0.75) - Math.Log(1e-15)) / 3.0;

        Assert.Equal(expected, ClassificationMetrics.LogLoss(truth, probabilities), 6);
    }

    [Fact]
    public void Abstain_SplitsAnsweredFromAbstainedAtTheThreshold()
    {
        float[] confidence = [0.9f, 0.8f, 0.4f, 0.95f, 0.3f, 0.6f];

        var stats = ClassificationMetrics.Abstain(Truth, Predicted, confidence, 0.5);

        // Answered: rows 0, 1, 3, 5 (all right); abstained: rows 2 and 4 (both wrong).
        Assert.Equal(4, stats.Answered);
        Assert.Equal(2.0 / 6.0, stats.AbstainRate, 12);
        Assert.Equal(4.0 / 6.0, stats.Coverage, 12);
        Assert.Equal(1.0, stats.AccuracyWhenAnswered, 12);
    }

    [Fact]
    public void Metrics_RejectMismatchedLengths()
    {
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Accuracy([0, 1], [0]));
    }
}
