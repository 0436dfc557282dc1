using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TicketTriage.ML.Classification;

/// <summary>
/// Weights stored feature-major: row j holds feature j's weight for every class, contiguous, so each active
/// feature costs one vectorized multiply-add over the class vector when scoring. Rows are padded to a multiple of
/// 8 floats (zeros) so the scoring loop runs whole 256-bit vectors with no remainder.
/// </summary>
internal sealed class LinearModel
{
    public LinearModel(int features, int classes)
    {
        Features = features;
        Classes = classes;
        Stride = PaddedStride(classes);
        Weights = new float[(long)features * Stride];
        Bias = new float[Stride];
    }

    public int Features { get; private set; }

    public int Classes { get; private set; }

    /// <summary>Floats per row: Classes rounded up to a multiple of 8.</summary>
    public int Stride { get; private set; }

    public float[] Weights { get; private set; }

    /// <summary>Stride long; the padding stays zero.</summary>
    public float[] Bias { get; private set; }

    public Span<float> Row(int feature) => Weights.AsSpan(feature * Stride, Classes);

    private static int PaddedStride(int classes) => (classes + 7) & ~7;

    /// <summary>
    /// scores = bias + Σ value × row(index), skipping indices the model has no row for. <paramref name="scores"/>
    /// must be at least <see cref="Stride"/> long; entries past <see cref="Classes"/> are left zero.
    /// </summary>
    public void Score(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, Span<float> scores)
    {
        if (scores.Length < Stride)
        {
            throw new ArgumentException("Scores must be at least Stride long.", nameof(scores));
        }

        var stride = Stride;
        var features = Features;
        Bias.AsSpan().CopyTo(scores);
        if (!Vector256.IsHardwareAccelerated)
        {
            for (var k = 0; k < indices.Length; k++)
            {
                var j = indices[k];
                if ((uint)j < (uint)features)
                {
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(Weights, j * stride, stride), values[k], scores[..stride], scores[..stride]);
                }
            }

            return;
        }

        ref var weights = ref MemoryMarshal.GetArrayDataReference(Weights);
        ref var sum = ref MemoryMarshal.GetReference(scores);
        const int Ahead = 6;
        for (var k = 0; k < Math.Min(Ahead, indices.Length); k++)
        {
            Prefetch(ref weights, indices[k], stride, features);
        }

        for (var k = 0; k < indices.Length; k++)
        {
            // Rows are scattered over megabytes: ask for the row needed a few features from now while this one is
            // summed, so the cache misses overlap instead of queueing.
            if (k + Ahead < indices.Length)
            {
                Prefetch(ref weights, indices[k + Ahead], stride, features);
            }

            var j = indices[k];
            if ((uint)j >= (uint)features)
            {
                continue;
            }

            ref var row = ref Unsafe.Add(ref weights, (nint)j * stride);
            var x = Vector256.Create(values[k]);
            for (nuint c = 0; c < (nuint)stride; c += 8)
            {
                var acc = Vector256.LoadUnsafe(ref sum, c);
                Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row, c), x, acc), ref sum, c);
            }
        }
    }

    /// <summary>row(j) += a × g, one pass of 256-bit fused multiply-adds; <paramref name="g"/> is Stride long, zero-padded.</summary>
    public void AddToRow(int j, ReadOnlySpan<float> g, float a)
    {
        var stride = Stride;
        if (!Vector256.IsHardwareAccelerated || g.Length < stride)
        {
            TensorPrimitives.MultiplyAdd(g[..Classes], a, Row(j), Row(j));
            return;
        }

        ref var gradient = ref MemoryMarshal.GetReference(g);
        ref var row = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Weights), (nint)j * stride);
        var va = Vector256.Create(a);
        for (nuint c = 0; c < (nuint)stride; c += 8)
        {
            var gv = Vector256.LoadUnsafe(ref gradient, c);
            Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(gv, va, Vector256.LoadUnsafe(ref row, c)), ref row, c);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch(ref float weights, int j, int stride, int features)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported || (uint)j >= (uint)features)
        {
            return;
        }

        // An unpinned address is fine for a prefetch: it never faults, and the weight table lives on the large
        // object heap, which the GC does not compact by default.
        var row = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref weights, (nint)j * stride));
        for (var offset = 0; offset < stride * sizeof(float); offset += 64)
        {
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(row + offset);
        }
    }

    /// <summary>Adds classes (zero weights) at the end, keeping every existing weight.</summary>
    public void AddClasses(int newClassCount)
    {
        if (newClassCount <= Classes)
        {
            return;
        }

        var stride = PaddedStride(newClassCount);
        var weights = new float[(long)Features * stride];
        for (var j = 0; j < Features; j++)
        {
            Row(j).CopyTo(weights.AsSpan(j * stride, Classes));
        }

        var bias = new float[stride];
        Bias.AsSpan(0, Classes).CopyTo(bias);
        Weights = weights;
        Bias = bias;
        Classes = newClassCount;
        Stride = stride;
    }

    /// <summary>this += scale × other (same shape).</summary>
    public void AddScaled(LinearModel other, float scale)
    {
        TensorPrimitives.MultiplyAdd(other.Weights, scale, Weights, Weights);
        TensorPrimitives.MultiplyAdd(other.Bias, scale, Bias, Bias);
    }

    /// <summary>Rows without their padding, then the bias: the file layout is independent of the padding.</summary>
    public void Write(BinaryWriter writer)
    {
        writer.Write(Features);
        writer.Write(Classes);
        for (var j = 0; j < Features; j++)
        {
            writer.Write(MemoryMarshal.AsBytes(Row(j)));
        }

        writer.Write(MemoryMarshal.AsBytes(Bias.AsSpan(0, Classes)));
    }

    public static LinearModel Read(BinaryReader reader)
    {
        var features = reader.ReadInt32();
        var classes = reader.ReadInt32();
        var model = new LinearModel(features, classes);
        for (var j = 0; j < features; j++)
        {
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(model.Row(j)));
        }

        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(model.Bias.AsSpan(0, classes)));
        return model;
    }
}
