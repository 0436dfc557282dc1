using System.Numerics.Tensors;

namespace TicketTriage.ML.Classification;

/// <summary>
/// How "like a known category" a ticket looks, from one prediction's scores: higher is more familiar. A ticket on a
/// topic no category covers (a new bug) tends to score low on all of them, which is what the abstain threshold
/// catches. Each reads only the logits and probabilities the classifier computes anyway.
/// </summary>
public enum OpenSetScore
{
    /// <summary>The calibrated probability of the best class.</summary>
    MaxProbability = 0,

    /// <summary>The best probability minus the second best: low when two categories compete.</summary>
    Margin = 1,

    /// <summary>The best raw logit: low when no category's evidence is present, however the rest compare.</summary>
    MaxLogit = 2,

    /// <summary>T × logsumexp(logits / T), the negative free energy: all classes' evidence together.</summary>
    Energy = 3,
}

public static class OpenSetScores
{
    public static float Compute(OpenSetScore kind, ReadOnlySpan<float> logits, ReadOnlySpan<float> probabilities, float temperature)
    {
        switch (kind)
        {
            case OpenSetScore.MaxProbability:
                return TensorPrimitives.Max(probabilities);
            case OpenSetScore.Margin:
                var (first, second) = (float.MinValue, float.MinValue);
                foreach (var p in probabilities)
                {
                    if (p > first)
                    {
                        (first, second) = (p, first);
                    }
                    else if (p > second)
                    {
                        second = p;
                    }
                }

                return probabilities.Length < 2 ? first : first - second;
            case OpenSetScore.MaxLogit:
                return TensorPrimitives.Max(logits);
            case OpenSetScore.Energy:
                var max = TensorPrimitives.Max(logits);
                var sum = 0.0;
                foreach (var l in logits)
                {
                    sum += Math.Exp((l - max) / temperature);
                }

                return max + (temperature * (float)Math.Log(sum));
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    /// <summary>
    /// The highest threshold τ at which abstaining below τ gives up at most <paramref name="maxAccuracyDrop"/> of the
    /// held-out rows that were answered correctly (as a share of all held-out rows): the accuracy the abstention may
    /// cost on known topics is the budget, and every wrong answer abstained on is free. Rows of unknown topics are not
    /// needed to choose it.
    /// </summary>
    public static float ThresholdForAccuracyDrop(ReadOnlySpan<float> scores, ReadOnlySpan<bool> correct, float maxAccuracyDrop)
    {
        var right = new List<float>();
        for (var i = 0; i < scores.Length; i++)
        {
            if (correct[i])
            {
                right.Add(scores[i]);
            }
        }

        if (right.Count == 0)
        {
            return float.NegativeInfinity;
        }

        right.Sort();
        // Abstaining below right[k] gives up the k correct rows under it.
        var allowed = (int)Math.Floor(maxAccuracyDrop * scores.Length);
        return allowed <= 0 ? right[0] : allowed >= right.Count ? right[^1] : right[allowed];
    }
}
