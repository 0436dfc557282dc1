using System.Numerics.Tensors;

namespace TicketTriage.ML.Classification;

/// <summary>
/// Stochastic gradient descent for a feature-major <see cref="LinearModel"/>: seeded shuffles, per-epoch step decay,
/// lazy L2 on the rows an example touches, feature dropout, and optional averaging of the weights at the end of each
/// epoch from the second on (Polyak averaging at epoch granularity). Per-step averaging (ASGD's "w − u / c"
/// bookkeeping) measured the same on BANKING77 cross-validation (0.9023 vs 0.9020 balanced accuracy) at almost twice
/// the training time, since it writes a second table row for every active feature of every step.
/// Single-threaded and deterministic for a given seed.
/// </summary>
internal static class SgdTrainer
{
    public static void Train(
        LinearModel model,
        FeatureMatrix x,
        ReadOnlySpan<int> labels,
        ReadOnlySpan<float> exampleWeights,
        LinearLoss loss,
        ClassifierOptions options,
        int epochs,
        bool averaged,
        Action<double>? progress = null)
    {
        var classes = model.Classes;
        var n = x.Rows;
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var random = new Random(options.Seed);
        var paddedScores = new float[model.Stride];
        var scores = paddedScores.AsSpan(0, classes);
        var paddedGradient = new float[model.Stride];
        var gradient = paddedGradient.AsSpan(0, classes);
        var snapshots = averaged && epochs > 1 ? new LinearModel(model.Features, classes) : null;
        var snapshotCount = 0;
        var dropout = options.FeatureDropout;
        var keepScale = 1f / (1f - dropout);
        var longest = 0;
        for (var i = 0; i < n; i++)
        {
            longest = Math.Max(longest, x.RowStart[i + 1] - x.RowStart[i]);
        }

        var keptIndices = dropout > 0f ? new int[longest] : [];
        var keptValues = dropout > 0f ? new float[longest] : [];
        var lambda = options.L2;

        for (var epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order);
            var eta = options.CosineSchedule
                ? options.LearningRate * 0.5f * (1f + MathF.Cos(MathF.PI * epoch / epochs))
                : options.LearningRate / (1f + (epoch * options.LearningRateDecay));
            foreach (var i in order)
            {
                var start = x.RowStart[i];
                var count = x.RowStart[i + 1] - start;
                var indices = x.Indices.AsSpan(start, count);
                var values = x.Values.AsSpan(start, count);
                if (dropout > 0f)
                {
                    // Feature dropout (Wager et al. 2013: an adaptive regularizer for linear models): each presentation
                    // keeps a feature with probability 1 − p, scaled by 1 / (1 − p) so the expected input is unchanged.
                    var kept = 0;
                    for (var k = 0; k < count; k++)
                    {
                        if (random.NextSingle() >= dropout)
                        {
                            keptIndices[kept] = indices[k];
                            keptValues[kept++] = values[k] * keepScale;
                        }
                    }

                    indices = keptIndices.AsSpan(0, kept);
                    values = keptValues.AsSpan(0, kept);
                }

                model.Score(indices, values, paddedScores);
                if (!Gradient(loss, scores, labels[i], exampleWeights.IsEmpty ? 1f : exampleWeights[i], gradient, options.LabelSmoothing))
                {
                    continue;
                }

                for (var k = 0; k < indices.Length; k++)
                {
                    var scaledGradient = -eta * values[k];
                    if (lambda > 0f)
                    {
                        var row = model.Row(indices[k]);
                        TensorPrimitives.Multiply(row, 1f - (eta * lambda), row);
                    }

                    model.AddToRow(indices[k], paddedGradient, scaledGradient);
                }

                TensorPrimitives.MultiplyAdd(gradient, -eta, model.Bias.AsSpan(0, classes), model.Bias.AsSpan(0, classes));
            }

            if (snapshots is not null && epoch >= 1)
            {
                snapshots.AddScaled(model, 1f);
                snapshotCount++;
            }

            progress?.Invoke((epoch + 1) / (double)epochs);
        }

        if (snapshots is not null && snapshotCount > 0)
        {
            TensorPrimitives.Multiply(snapshots.Weights, 1f / snapshotCount, model.Weights);
            TensorPrimitives.Multiply(snapshots.Bias, 1f / snapshotCount, model.Bias);
        }
    }

    /// <summary>Writes d loss / d scores into <paramref name="gradient"/>; false when it is zero.</summary>
    internal static bool Gradient(LinearLoss loss, Span<float> scores, int label, float weight, Span<float> gradient, float smoothing = 0f)
    {
        if (loss == LinearLoss.Logistic)
        {
            Softmax.Compute(scores, 1f, gradient);
            if (smoothing > 0f)
            {
                // Cross-entropy against the smoothed target (1 − ε) one-hot + ε / K.
                TensorPrimitives.Add(gradient, -smoothing / gradient.Length, gradient);
            }

            gradient[label] -= 1f - smoothing;
            if (weight != 1f)
            {
                TensorPrimitives.Multiply(gradient, weight, gradient);
            }

            return true;
        }

        var any = false;
        for (var c = 0; c < scores.Length; c++)
        {
            var y = c == label ? 1f : -1f;
            var slack = 1f - (y * scores[c]);
            if (slack > 0f)
            {
                gradient[c] = -2f * y * slack * weight;
                any = true;
            }
            else
            {
                gradient[c] = 0f;
            }
        }

        return any;
    }
}
