using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace TicketTriage.ML.Clustering;

/// <summary>
/// Latent semantic analysis: a rank-k truncated SVD of the (documents × features) TF-IDF matrix, learned without
/// labels, that maps a sparse vector to k dense dimensions where co-occurring terms ("card", "arrive", "delivery")
/// land close together. Fitted by randomized SVD (Halko, Martinsson &amp; Tropp 2011: Gaussian sketch, power
/// iterations with re-orthonormalization, then an exact eigen-decomposition of the small l×l Gram matrix).
/// Features at or above <see cref="Features"/> (unseen at fit time) carry no latent meaning and are ignored.
/// </summary>
public sealed class LatentProjection
{
    private const int FormatVersion = 1;
    private static readonly byte[] Magic = "TTLP"u8.ToArray();

    // Row-major features × Dimensions: projecting a sparse vector reads one contiguous row per feature.
    private readonly float[] _components;

    private LatentProjection(int features, int dimensions, float[] components, float[] singularValues)
    {
        Features = features;
        Dimensions = dimensions;
        _components = components;
        SingularValues = singularValues;
    }

    /// <summary>Feature indices [0, Features) have a latent row.</summary>
    public int Features { get; }

    public int Dimensions { get; }

    /// <summary>Singular values, largest first.</summary>
    public IReadOnlyList<float> SingularValues { get; }

    /// <summary>
    /// Fits the projection. Each document is (indices, values) over features [0, <paramref name="features"/>); other
    /// indices are skipped. Deterministic for a given <paramref name="seed"/>.
    /// </summary>
    public static LatentProjection Fit(
        IReadOnlyList<(int[] Indices, float[] Values)> documents, int features, int dimensions,
        int oversampling = 10, int powerIterations = 3, int seed = 17)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        var n = documents.Count;
        var l = Math.Min(dimensions + oversampling, Math.Min(n, features));
        if (l < dimensions) throw new ArgumentException($"Need at least {dimensions} documents and features.");

        // Ω: features × l Gaussian; Y = A Ω (n × l).
        var rng = new Random(seed);
        var omega = Gaussians(rng, features * l);
        var y = MultiplyA(documents, features, omega, l);
        Orthonormalize(y, n, l);
        for (var q = 0; q < powerIterations; q++)
        {
            var z = MultiplyAt(documents, features, y, l);   // features × l
            Orthonormalize(z, features, l);
            y = MultiplyA(documents, features, z, l);
            Orthonormalize(y, n, l);
        }

        // B = Qᵀ A, stored transposed as Bt (features × l) = Aᵀ Q.
        var bt = MultiplyAt(documents, features, y, l);
        // G = B Bᵀ = Btᵀ Bt (l × l), eigen-decomposed: G = U diag(σ²) Uᵀ.
        var g = new double[l, l];
        var columns = new float[l][];
        Parallel.For(0, l, j =>
        {
            columns[j] = new float[features];
            for (var f = 0; f < features; f++) columns[j][f] = bt[(f * l) + j];
        });
        Parallel.For(0, l, i =>
        {
            for (var j = i; j < l; j++)
                g[i, j] = g[j, i] = TensorPrimitives.Dot(columns[i], columns[j]);
        });
        var (eigenvalues, eigenvectors) = JacobiEigen(g);

        // V = Bᵀ U Σ⁻¹ (features × k): the right singular vectors, i.e. the latent axes over features.
        var order = Enumerable.Range(0, l).OrderByDescending(i => eigenvalues[i]).Take(dimensions).ToArray();
        var sigma = order.Select(i => (float)Math.Sqrt(Math.Max(eigenvalues[i], 0))).ToArray();
        // Each feature's row is its own: on every core, its k sums vectorized side by side (each still adds its terms
        // in the order j = 0, 1, …, so the result is the plain loop's to the bit).
        var axesByJ = Enumerable.Range(0, l).Select(j => order.Select(e => eigenvectors[j, e]).ToArray()).ToArray();
        var components = new float[features * dimensions];
        Parallel.For(0, features, () => new double[dimensions], (f, _, sums) =>
        {
            Array.Clear(sums);
            var row = bt.AsSpan(f * l, l);
            for (var j = 0; j < l; j++) TensorPrimitives.MultiplyAdd(axesByJ[j], (double)row[j], sums, sums);
            for (var d = 0; d < dimensions; d++) components[(f * dimensions) + d] = sigma[d] > 0 ? (float)(sums[d] / sigma[d]) : 0f;
            return sums;
        }, _ => { });
        return new LatentProjection(features, dimensions, components, sigma);
    }

    /// <summary>
    /// Writes Vᵀx into <paramref name="destination"/> (length <see cref="Dimensions"/>): the document's coordinates
    /// on the latent axes (for a fitted document, its row of UΣ).
    /// </summary>
    public void Project(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, Span<float> destination)
    {
        if (destination.Length != Dimensions) throw new ArgumentException($"destination must have {Dimensions} values.", nameof(destination));
        destination.Clear();
        var components = _components.AsSpan();
        for (var i = 0; i < indices.Length; i++)
        {
            var f = indices[i];
            if ((uint)f >= (uint)Features) continue;
            var row = components.Slice(f * Dimensions, Dimensions);
            TensorPrimitives.MultiplyAdd(row, values[i], destination, destination);
        }
    }

    public void Save(Stream stream)
    {
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(FormatVersion);
        w.Write(Features);
        w.Write(Dimensions);
        foreach (var s in SingularValues) w.Write(s);
        w.Write(MemoryMarshal.AsBytes(_components.AsSpan())); // features × dimensions floats: whole, not one call each
    }

    public static LatentProjection Load(Stream stream)
    {
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (!r.ReadBytes(4).AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("Not a latent projection (bad magic).");
        var version = r.ReadInt32();
        if (version != FormatVersion) throw new InvalidDataException($"Latent projection version {version} is not supported.");
        var features = r.ReadInt32();
        var dimensions = r.ReadInt32();
        var sigma = new float[dimensions];
        for (var i = 0; i < dimensions; i++) sigma[i] = r.ReadSingle();
        var components = new float[features * dimensions];
        stream.ReadExactly(MemoryMarshal.AsBytes(components.AsSpan()));
        return new LatentProjection(features, dimensions, components, sigma);
    }

    // Y (n × l, row-major) = A X, with X features × l row-major.
    private static float[] MultiplyA(IReadOnlyList<(int[] Indices, float[] Values)> docs, int features, float[] x, int l)
    {
        var y = new float[docs.Count * l];
        Parallel.For(0, docs.Count, d => // each document's row is its own
        {
            var row = y.AsSpan(d * l, l);
            var (idx, val) = docs[d];
            for (var i = 0; i < idx.Length; i++)
                if ((uint)idx[i] < (uint)features) TensorPrimitives.MultiplyAdd(x.AsSpan(idx[i] * l, l), val[i], row, row);
        });
        return y;
    }

    // Z (features × l, row-major) = Aᵀ Y, with Y n × l row-major.
    private static float[] MultiplyAt(IReadOnlyList<(int[] Indices, float[] Values)> docs, int features, float[] y, int l)
    {
        var z = new float[features * l];
        for (var d = 0; d < docs.Count; d++)
        {
            var row = y.AsSpan(d * l, l);
            var (idx, val) = docs[d];
            for (var i = 0; i < idx.Length; i++)
            {
                if ((uint)idx[i] >= (uint)features) continue;
                var target = z.AsSpan(idx[i] * l, l);
                TensorPrimitives.MultiplyAdd(row, val[i], target, target);
            }
        }
        return z;
    }

    // Modified Gram–Schmidt on the l columns of a rows × l row-major matrix (twice, for numerical safety).
    // In blocks of columns, on every core: the columns of a block are first projected off every column before the
    // block (final by then, and each block column independent of the others), then off each other in turn. Each
    // column still meets its predecessors one by one in the same order, so the result is that of the plain loop to
    // the bit (the engine's replays and figures stay the same); with 100,000 features it is the costly step of a fit.
    internal static void Orthonormalize(float[] m, int rows, int l)
    {
        var cols = new double[l][];
        Parallel.For(0, l, j =>
        {
            cols[j] = new double[rows];
            for (var r = 0; r < rows; r++) cols[j][r] = m[(r * l) + j];
        });
        for (var pass = 0; pass < 2; pass++)
        {
            for (var block = 0; block < l; block += OrthonormalizeBlock)
            {
                var (first, end) = (block, Math.Min(l, block + OrthonormalizeBlock));
                Parallel.For(first, end, j =>
                {
                    for (var k = 0; k < first; k++) ProjectOff(cols[j], cols[k]);
                });
                for (var j = first; j < end; j++)
                {
                    for (var k = first; k < j; k++) ProjectOff(cols[j], cols[k]);
                    var column = cols[j].AsSpan();
                    var norm = Math.Sqrt(TensorPrimitives.Dot(column, column));
                    if (norm > 1e-12) TensorPrimitives.Divide(column, norm, column);
                    else column.Clear();
                }
            }
        }
        Parallel.For(0, rows, r =>
        {
            for (var j = 0; j < l; j++) m[(r * l) + j] = (float)cols[j][r];
        });
    }

    private const int OrthonormalizeBlock = 16;

    // column − (column·unit)·unit, vectorized: x·(−dot) + column rounds exactly as column − dot·x.
    private static void ProjectOff(double[] column, double[] unit)
    {
        var dot = TensorPrimitives.Dot(column, unit);
        TensorPrimitives.MultiplyAdd(unit, -dot, column, column);
    }

    // Cyclic Jacobi rotations for a symmetric matrix: eigenvalues and column eigenvectors.
    private static (double[] Values, double[,] Vectors) JacobiEigen(double[,] input)
    {
        var n = input.GetLength(0);
        var a = (double[,])input.Clone();
        var v = new double[n, n];
        for (var i = 0; i < n; i++) v[i, i] = 1;
        for (var sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (var p = 0; p < n; p++) for (var q = p + 1; q < n; q++) off += a[p, q] * a[p, q];
            if (off < 1e-22) break;
            for (var p = 0; p < n; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    if (Math.Abs(a[p, q]) < 1e-300) continue;
                    var theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    var t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    if (theta == 0) t = 1;
                    var c = 1 / Math.Sqrt((t * t) + 1);
                    var s = t * c;
                    for (var k = 0; k < n; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = (c * akp) - (s * akq);
                        a[k, q] = (s * akp) + (c * akq);
                    }
                    for (var k = 0; k < n; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = (c * apk) - (s * aqk);
                        a[q, k] = (s * apk) + (c * aqk);
                    }
                    for (var k = 0; k < n; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = (c * vkp) - (s * vkq);
                        v[k, q] = (s * vkp) + (c * vkq);
                    }
                }
            }
        }
        var values = new double[n];
        for (var i = 0; i < n; i++) values[i] = a[i, i];
        return (values, v);
    }

    // Box–Muller draws: the uniforms in sequence (the seed fixes them), block by block; each block's transform, the
    // costly part, on every core.
    private static float[] Gaussians(Random rng, int count)
    {
        const int Block = 1 << 18;
        var result = new float[count];
        var uniforms = new double[2 * Math.Min(count, Block)];
        for (var start = 0; start < count; start += Block)
        {
            var length = Math.Min(Block, count - start);
            for (var i = 0; i < length; i++)
            {
                uniforms[2 * i] = 1.0 - rng.NextDouble();
                uniforms[(2 * i) + 1] = rng.NextDouble();
            }

            Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, length, 1 << 14), range =>
            {
                for (var i = range.Item1; i < range.Item2; i++)
                    result[start + i] = (float)(Math.Sqrt(-2 * Math.Log(uniforms[2 * i])) * Math.Cos(2 * Math.PI * uniforms[(2 * i) + 1]));
            });
        }

        return result;
    }
}
