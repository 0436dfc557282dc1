namespace TicketTriage.ML.Signals;

/// <summary>
/// Exact tail probabilities for the significance tests of the signals. Computed in log space because the
/// interesting p-values are tiny (1e-20 is common for a real concentration) and the populations reach millions.
/// </summary>
public static class Probability
{
    // Lanczos approximation, g = 7, n = 9: about 15 significant digits for x > 0, enough for p-values.
    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    /// <summary>ln Γ(x) for x &gt; 0.</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5)
        {
            // Reflection keeps the approximation accurate near zero.
            return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        }

        x -= 1;
        var a = Lanczos[0];
        var t = x + 7.5;
        for (var i = 1; i < 9; i++)
        {
            a += Lanczos[i] / (x + i);
        }

        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(a);
    }

    /// <summary>ln C(n, k).</summary>
    public static double LogChoose(long n, long k) =>
        k < 0 || k > n ? double.NegativeInfinity : LogGamma(n + 1) - LogGamma(k + 1) - LogGamma(n - k + 1);

    /// <summary>P(X ≥ k) for X ~ Poisson(mean).</summary>
    public static double PoissonUpperTail(long k, double mean)
    {
        if (k <= 0)
        {
            return 1;
        }

        if (mean <= 0)
        {
            return 0;
        }

        double LogPmf(long i) => i * Math.Log(mean) - mean - LogGamma(i + 1);
        if (k > mean)
        {
            // Terms fall from k on: sum upward until they no longer matter.
            var sum = 0.0;
            for (var i = k; ; i++)
            {
                var term = Math.Exp(LogPmf(i));
                sum += term;
                if (term < sum * 1e-16 || i - k > 100_000)
                {
                    break;
                }
            }

            return Math.Clamp(sum, 0, 1);
        }

        var lower = 0.0;
        for (var i = 0L; i < k; i++)
        {
            lower += Math.Exp(LogPmf(i));
        }

        return Math.Clamp(1 - lower, 0, 1);
    }

    /// <summary>P(X ≥ k) for X ~ Binomial(n, p).</summary>
    public static double BinomialUpperTail(long k, long n, double p)
    {
        if (k <= 0)
        {
            return 1;
        }

        if (k > n || p <= 0)
        {
            return 0;
        }

        if (p >= 1)
        {
            return 1;
        }

        double LogPmf(long i) => LogChoose(n, i) + i * Math.Log(p) + (n - i) * Math.Log(1 - p);
        if (k > n * p)
        {
            var sum = 0.0;
            for (var i = k; i <= n; i++)
            {
                var term = Math.Exp(LogPmf(i));
                sum += term;
                if (term < sum * 1e-16)
                {
                    break;
                }
            }

            return Math.Clamp(sum, 0, 1);
        }

        var lower = 0.0;
        for (var i = 0L; i < k; i++)
        {
            lower += Math.Exp(LogPmf(i));
        }

        return Math.Clamp(1 - lower, 0, 1);
    }

    /// <summary>
    /// P(X ≥ k) for X ~ Hypergeometric: <paramref name="draws"/> items taken without replacement from a population
    /// of <paramref name="population"/> of which <paramref name="successes"/> carry the property (Fisher's exact test,
    /// one-sided, over-representation).
    /// </summary>
    public static double HypergeometricUpperTail(long k, long population, long successes, long draws)
    {
        var low = Math.Max(0, draws - (population - successes));
        var high = Math.Min(draws, successes);
        if (k <= low)
        {
            return 1;
        }

        if (k > high)
        {
            return 0;
        }

        var logTotal = LogChoose(population, draws);
        double LogPmf(long i) => LogChoose(successes, i) + LogChoose(population - successes, draws - i) - logTotal;
        var sum = 0.0;
        for (var i = k; i <= high; i++)
        {
            var term = Math.Exp(LogPmf(i));
            sum += term;
            if (i > k && term < sum * 1e-16)
            {
                break;
            }
        }

        return Math.Clamp(sum, 0, 1);
    }

    /// <summary>−log10 p, capped so that p = 0 (underflow) still gives a finite, comparable score.</summary>
    public static double Score(double p) => -Math.Log10(Math.Max(p, 1e-300));
}
