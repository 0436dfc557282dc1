using System.Numerics.Tensors;

namespace TicketTriage.ML.Classification;

internal static class Softmax
{
    /// <summary>
    /// softmax(scores × scale) into destination, shifted by the maximum so large scores (a sharp temperature, a
    /// confident model) cannot overflow exp into infinities and NaN.
    /// </summary>
    public static void Compute(ReadOnlySpan<float> scores, float scale, Span<float> destination)
    {
        TensorPrimitives.Multiply(scores, scale, destination);
        TensorPrimitives.Subtract(destination, TensorPrimitives.Max(destination), destination);
        TensorPrimitives.Exp(destination, destination);
        TensorPrimitives.Divide(destination, TensorPrimitives.Sum(destination), destination);
    }
}
