using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Tests.Signals;

public sealed class ProbabilityTests
{
    [Fact]
    public void LogGamma_of_integers_is_log_factorial()
    {
        Assert.Equal(Math.Log(24), Probability.LogGamma(5), 10);
        Assert.Equal(Math.Log(3628800), Probability.LogGamma(11), 9);
        Assert.Equal(0.5 * Math.Log(Math.PI), Probability.LogGamma(0.5), 10);
    }

    [Fact]
    public void PoissonUpperTail_matches_hand_computed_values()
    {
        // P(X ≥ 2 | 1) = 1 − e^−1 (1 + 1)
        Assert.Equal(1 - 2 * Math.Exp(-1), Probability.PoissonUpperTail(2, 1.0), 12);
        // P(X ≥ 5 | 0.5) = 1 − e^−0.5 Σ_{i<5} 0.5^i / i!
        var lower = Math.Exp(-0.5) * (1 + 0.5 + 0.25 / 2 + 0.125 / 6 + 0.0625 / 24);
        Assert.Equal(1 - lower, Probability.PoissonUpperTail(5, 0.5), 12);
        Assert.Equal(1, Probability.PoissonUpperTail(0, 3));
    }

    [Fact]
    public void BinomialUpperTail_matches_hand_computed_values()
    {
        Assert.Equal(0.5, Probability.BinomialUpperTail(2, 3, 0.5), 12);
        Assert.Equal(0.1 * 0.1 * 0.1, Probability.BinomialUpperTail(3, 3, 0.1), 12);
        // P(X ≥ 1 | 10, 0.2) = 1 − 0.8^10
        Assert.Equal(1 - Math.Pow(0.8, 10), Probability.BinomialUpperTail(1, 10, 0.2), 12);
        Assert.Equal(0, Probability.BinomialUpperTail(4, 3, 0.9));
    }

    [Fact]
    public void HypergeometricUpperTail_matches_hand_computed_values()
    {
        // Population 10 with 4 marked, draw 3: P(X ≥ 2) = (C(4,2)·C(6,1) + C(4,3)) / C(10,3) = 40 / 120
        Assert.Equal(40.0 / 120, Probability.HypergeometricUpperTail(2, 10, 4, 3), 12);
        // Every draw marked: C(4,3) / C(10,3)
        Assert.Equal(4.0 / 120, Probability.HypergeometricUpperTail(3, 10, 4, 3), 12);
        Assert.Equal(1, Probability.HypergeometricUpperTail(0, 10, 4, 3));
    }

    [Fact]
    public void Tiny_p_values_do_not_underflow_to_zero()
    {
        var p = Probability.BinomialUpperTail(60, 60, 0.05);
        Assert.True(p > 0 && p < 1e-70);
        Assert.Equal(60 * -Math.Log10(0.05), Probability.Score(p), 6);
    }
}
