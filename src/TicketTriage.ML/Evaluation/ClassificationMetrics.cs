namespace TicketTriage.ML.Evaluation;

/// <summary>What abstaining below a confidence threshold does to a set of predictions.</summary>
public sealed record AbstainStats(double Threshold, double AbstainRate, double Coverage, double AccuracyWhenAnswered, int Answered);

/// <summary>
/// Classification metrics as pure functions over class indices and probability rows. Labels are 0..classCount−1.
/// </summary>
public static class ClassificationMetrics
{
    public static double Accuracy(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        CheckLengths(truth.Length, predicted.Length);
        if (truth.Length == 0)
        {
            return 0;
        }

        var right = 0;
        for (var i = 0; i < truth.Length; i++)
        {
            if (truth[i] == predicted[i])
            {
                right++;
            }
        }

        return right / (double)truth.Length;
    }

    /// <summary>
    /// Mean per-class recall over the classes present in the truth: the accuracy expected on a test set with every
    /// class equally frequent (such as BANKING77's test file), estimated from an unbalanced one.
    /// </summary>
    public static double BalancedAccuracy(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted, int classCount)
    {
        CheckLengths(truth.Length, predicted.Length);
        var total = new int[classCount];
        var right = new int[classCount];
        for (var i = 0; i < truth.Length; i++)
        {
            total[truth[i]]++;
            if (truth[i] == predicted[i])
            {
                right[truth[i]]++;
            }
        }

        var sum = 0.0;
        var present = 0;
        for (var c = 0; c < classCount; c++)
        {
            if (total[c] > 0)
            {
                present++;
                sum += right[c] / (double)total[c];
            }
        }

        return present == 0 ? 0 : sum / present;
    }

    /// <summary>
    /// Unweighted mean of per-class F1 over the classes that occur in the truth or the predictions (a class never
    /// seen in either has no defined F1; a class predicted but never true scores 0).
    /// </summary>
    public static double MacroF1(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted, int classCount)
    {
        CheckLengths(truth.Length, predicted.Length);
        var tp = new int[classCount];
        var fp = new int[classCount];
        var fn = new int[classCount];
        for (var i = 0; i < truth.Length; i++)
        {
            if (truth[i] == predicted[i])
            {
                tp[truth[i]]++;
            }
            else
            {
                fp[predicted[i]]++;
                fn[truth[i]]++;
            }
        }

        var sum = 0.0;
        var present = 0;
        for (var c = 0; c < classCount; c++)
        {
            if (tp[c] + fp[c] + fn[c] == 0)
            {
                continue;
            }

            present++;
            sum += 2.0 * tp[c] / ((2.0 * tp[c]) + fp[c] + fn[c]);
        }

        return present == 0 ? 0 : sum / present;
    }

    /// <summary>Share of rows whose true class is among the k most probable (ties broken towards the lower index).</summary>
    public static double TopK(ReadOnlySpan<int> truth, IReadOnlyList<float[]> probabilities, int k)
    {
        CheckLengths(truth.Length, probabilities.Count);
        if (truth.Length == 0)
        {
            return 0;
        }

        var hits = 0;
        for (var i = 0; i < truth.Length; i++)
        {
            var row = probabilities[i];
            var p = row[truth[i]];
            var better = 0;
            for (var c = 0; c < row.Length; c++)
            {
                if (row[c] > p || (row[c] == p && c < truth[i]))
                {
                    better++;
                }
            }

            if (better < k)
            {
                hits++;
            }
        }

        return hits / (double)truth.Length;
    }

    /// <summary>Mean −ln p(true class), with p clipped to [1e-15, 1] as is customary.</summary>
    public static double LogLoss(ReadOnlySpan<int> truth, IReadOnlyList<float[]> probabilities)
    {
        CheckLengths(truth.Length, probabilities.Count);
        if (truth.Length == 0)
        {
            return 0;
        }

        var sum = 0.0;
        for (var i = 0; i < truth.Length; i++)
        {
            sum -= Math.Log(Math.Clamp(probabilities[i][truth[i]], 1e-15, 1.0));
        }

        return sum / truth.Length;
    }

    /// <summary>Abstain when confidence &lt; threshold: the abstain rate and the accuracy of the answers given.</summary>
    public static AbstainStats Abstain(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted, ReadOnlySpan<float> confidence, double threshold)
    {
        CheckLengths(truth.Length, predicted.Length);
        CheckLengths(truth.Length, confidence.Length);
        var answered = 0;
        var right = 0;
        for (var i = 0; i < truth.Length; i++)
        {
            if (confidence[i] >= threshold)
            {
                answered++;
                if (truth[i] == predicted[i])
                {
                    right++;
                }
            }
        }

        var n = Math.Max(1, truth.Length);
        return new AbstainStats(
            threshold,
            (truth.Length - answered) / (double)n,
            answered / (double)n,
            answered == 0 ? 0 : right / (double)answered,
            answered);
    }

    private static void CheckLengths(int a, int b)
    {
        if (a != b)
        {
            throw new ArgumentException($"Length mismatch: {a} truths vs {b} predictions.");
        }
    }
}
