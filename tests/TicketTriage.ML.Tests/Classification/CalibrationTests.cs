using TicketTriage.ML.Classification;

namespace TicketTriage.ML.Tests.Classification;

public sealed class CalibrationTests
{
    [Fact]
    public void FitTemperature_RecoversTheTemperatureThatGeneratedTheLabels()
    {
        // Scores whose softmax at T = 2 gives p(class 0) = 0.8 exactly: s0 − s1 = 2 ln 4.
        // With labels drawn at that rate (8 of 10 rows class 0), the NLL minimum is at T = 2.
        var gap = 2f * MathF.Log(4f);
        var scores = Enumerable.Range(0, 10).Select(_ => new[] { gap, 0f }).ToArray();
        int[] labels = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1];

        var temperature = Calibration.FitTemperature(scores, labels);

        Assert.Equal(2f, temperature, 2);
    }

    [Fact]
    public void ChooseThreshold_KeepsTheLargestPrefixMeetingTheTarget()
    {
        float[] confidence = [0.95f, 0.9f, 0.8f, 0.7f, 0.6f, 0.5f];
        bool[] correct = [true, true, true, false, true, false];

        // Prefixes: 1/1, 2/2, 3/3, 3/4, 4/5, 4/6. At target 0.8 the longest qualifying prefix is 5 rows (0.8).
        Assert.Equal(0.6f, Calibration.ChooseThreshold(confidence, correct, 0.8f));
        Assert.Equal(0.8f, Calibration.ChooseThreshold(confidence, correct, 0.9f));
    }
}
