using System.Numerics.Tensors;

namespace TicketTriage.ML.Classification;

/// <summary>
/// Weights stored feature-major: row j holds feature j's weight for every class, contiguous, so each active
/// feature costs one vectorized multiply-add over the class vector when scoring.
/// </summary>
internal sealed class LinearModel
{
    public LinearModel(int features, int classes)
    {
        Features = features;
        Classes = classes;
        Weights = new float[(long)features * classes];
        Bias = new float[classes];
    }

    public int Features { get; private set; }

    public int Classes { get; private set; }

    public float[] Weights { get; private set; }

    public float[] Bias { get; private set; }

    public Span<float> Row(int feature) => Weights.AsSpan(feature * Classes, Classes);

    /// <summary>scores = bias + Σ value × row(index), skipping indices the model has no row for.</summary>
    public void Score(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, Span<float> scores)
    {
        var classes = Classes;
        var weights = Weights;
        var features = Features;
        Bias.AsSpan().CopyTo(scores);
        for (var k = 0; k < indices.Length; k++)
        {
            var j = indices[k];
            if ((uint)j < (uint)features)
            {
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(weights, j * classes, classes), values[k], scores, scores);
            }
        }
    }

    /// <summary>Adds classes (zero weights) at the end, keeping every existing weight.</summary>
    public void AddClasses(int newClassCount)
    {
        if (newClassCount <= Classes)
        {
            return;
        }

        var weights = new float[(long)Features * newClassCount];
        for (var j = 0; j < Features; j++)
        {
            Row(j).CopyTo(weights.AsSpan(j * newClassCount, Classes));
        }

        var bias = new float[newClassCount];
        Bias.CopyTo(bias, 0);
        Weights = weights;
        Bias = bias;
        Classes = newClassCount;
    }

    public LinearModel Clone()
    {
        var copy = new LinearModel(Features, Classes);
        Weights.CopyTo(copy.Weights, 0);
        Bias.CopyTo(copy.Bias, 0);
        return copy;
    }

    /// <summary>this += scale × other (same shape).</summary>
    public void AddScaled(LinearModel other, float scale)
    {
        TensorPrimitives.MultiplyAdd(other.Weights, scale, Weights, Weights);
        TensorPrimitives.MultiplyAdd(other.Bias, scale, Bias, Bias);
    }
}
