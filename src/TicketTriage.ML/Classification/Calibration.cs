using System.Numerics.Tensors;

namespace TicketTriage.ML.Classification;

/// <summary>Temperature scaling and the abstain threshold, both fit on held-out scores.</summary>
internal static class Calibration
{
    /// <summary>
    /// The temperature T minimizing the mean negative log-likelihood of softmax(scores / T): a golden-section
    /// search over ln T in [ln 0.02, ln 50] (the NLL is unimodal in T).
    /// </summary>
    public static float FitTemperature(float[][] scores, int[] labels)
    {
        if (scores.Length == 0)
        {
            return 1f;
        }

        double lo = Math.Log(0.02), hi = Math.Log(50);
        var phi = (Math.Sqrt(5) - 1) / 2;
        var a = hi - (phi * (hi - lo));
        var b = lo + (phi * (hi - lo));
        var fa = NegativeLogLikelihood(scores, labels, (float)Math.Exp(a));
        var fb = NegativeLogLikelihood(scores, labels, (float)Math.Exp(b));
        for (var iteration = 0; iteration < 60; iteration++)
        {
            if (fa < fb)
            {
                hi = b;
                b = a;
                fb = fa;
                a = hi - (phi * (hi - lo));
                fa = NegativeLogLikelihood(scores, labels, (float)Math.Exp(a));
            }
            else
            {
                lo = a;
                a = b;
                fa = fb;
                b = lo + (phi * (hi - lo));
                fb = NegativeLogLikelihood(scores, labels, (float)Math.Exp(b));
            }
        }

        return (float)Math.Exp((lo + hi) / 2);
    }

    public static double NegativeLogLikelihood(float[][] scores, int[] labels, float temperature)
    {
        var scaled = new float[scores.Length == 0 ? 0 : scores[0].Length];
        var total = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            TensorPrimitives.Divide(scores[i], temperature, scaled);
            // log softmax_y = s_y − logsumexp(s), computed stably.
            var max = TensorPrimitives.Max(scaled);
            var sumExp = 0.0;
            foreach (var s in scaled)
            {
                sumExp += Math.Exp(s - max);
            }

            total -= scaled[labels[i]] - max - Math.Log(sumExp);
        }

        return total / scores.Length;
    }

    /// <summary>
    /// The lowest confidence τ such that predictions with confidence ≥ τ are at least <paramref name="target"/>
    /// accurate on the held-out set, keeping as many as possible. When no prefix reaches the target, the
    /// threshold of the single most confident answer.
    /// </summary>
    public static float ChooseThreshold(float[] confidence, bool[] correct, float target)
    {
        if (confidence.Length == 0)
        {
            return 0.5f;
        }

        var order = Enumerable.Range(0, confidence.Length).OrderByDescending(i => confidence[i]).ThenBy(i => i).ToArray();
        var right = 0;
        var best = confidence[order[0]];
        for (var k = 0; k < order.Length; k++)
        {
            if (correct[order[k]])
            {
                right++;
            }

            // Only cut between distinct confidences, so the threshold admits exactly this prefix.
            var last = k == order.Length - 1 || confidence[order[k + 1]] < confidence[order[k]];
            if (last && right >= target * (k + 1))
            {
                best = confidence[order[k]];
            }
        }

        return best;
    }
}
