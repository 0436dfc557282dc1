namespace TicketTriage.ML.Text;

/// <summary>
/// A sparse feature vector: strictly increasing indices with one value each. Immutable once built.
/// </summary>
public sealed class SparseVector
{
    private readonly int[] _indices;
    private readonly float[] _values;

    /// <summary>Wraps sorted, duplicate-free indices and their values (the arrays are taken, not copied).</summary>
    public SparseVector(int[] indices, float[] values, int dimension)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(values);
        if (indices.Length != values.Length)
        {
            throw new ArgumentException("Indices and values must have the same length.", nameof(values));
        }

        for (var i = 0; i < indices.Length; i++)
        {
            if (indices[i] < 0 || indices[i] >= dimension || (i > 0 && indices[i] <= indices[i - 1]))
            {
                throw new ArgumentException("Indices must be strictly increasing and inside the dimension.", nameof(indices));
            }
        }

        _indices = indices;
        _values = values;
        Dimension = dimension;
    }

    public static SparseVector Empty(int dimension) => new([], [], dimension);

    /// <summary>Builds a vector from unsorted (index, value) pairs, summing duplicates.</summary>
    public static SparseVector FromUnsorted(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, int dimension)
    {
        var idx = indices.ToArray();
        var val = values.ToArray();
        Array.Sort(idx, val);
        var n = 0;
        for (var i = 0; i < idx.Length; i++)
        {
            if (n > 0 && idx[n - 1] == idx[i])
            {
                val[n - 1] += val[i];
            }
            else
            {
                idx[n] = idx[i];
                val[n] = val[i];
                n++;
            }
        }

        return n == idx.Length ? new SparseVector(idx, val, dimension) : new SparseVector(idx[..n], val[..n], dimension);
    }

    public int Dimension { get; }

    public int Count => _indices.Length;

    public ReadOnlySpan<int> Indices => _indices;

    public ReadOnlySpan<float> Values => _values;

    public float this[int index]
    {
        get
        {
            var at = Array.BinarySearch(_indices, index);
            return at >= 0 ? _values[at] : 0f;
        }
    }

    public float Norm() => System.Numerics.Tensors.TensorPrimitives.Norm(_values);

    /// <summary>Dot product by merging the two sorted index lists.</summary>
    public static float Dot(SparseVector a, SparseVector b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var ai = a._indices;
        var bi = b._indices;
        int i = 0, j = 0;
        var sum = 0f;
        while (i < ai.Length && j < bi.Length)
        {
            var d = ai[i] - bi[j];
            if (d == 0)
            {
                sum += a._values[i++] * b._values[j++];
            }
            else if (d < 0)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return sum;
    }

    /// <summary>Dot product with a dense vector (indices beyond its length count as zero).</summary>
    public float Dot(ReadOnlySpan<float> dense)
    {
        var sum = 0f;
        for (var i = 0; i < _indices.Length; i++)
        {
            var k = _indices[i];
            if (k < dense.Length)
            {
                sum += _values[i] * dense[k];
            }
        }

        return sum;
    }
}
