using System.Numerics.Tensors;
using TicketTriage.ML.Clustering;

namespace TicketTriage.ML.Signals;

public sealed partial class SimilarityBaseRate
{
    /// <summary>
    /// The normalized mean of unit vectors, kept as a sparse map plus a dense latent block. Immutable: a caller that
    /// asks about the same group many times (a young pattern between its arrivals) computes it once.
    /// </summary>
    public sealed class Centroid(Dictionary<int, float> sparse, float[] latent, double norm)
    {
        public static Centroid? Of(IReadOnlyList<ClusterItem> members)
        {
            if (members.Count == 0)
            {
                return null;
            }

            // Sized for the largest member: most of a young group's features are shared, and growing from empty
            // rehashed the map several times per group.
            var sparse = new Dictionary<int, float>(members.Max(m => m.Indices.Length));
            var latentLength = members[0].Latent?.Length ?? 0;
            var latent = new float[latentLength];
            foreach (var m in members)
            {
                var n = (float)Norm(m);
                if (n <= 0)
                {
                    continue;
                }

                for (var i = 0; i < m.Indices.Length; i++)
                {
                    System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(sparse, m.Indices[i], out _) += m.Values[i] / n;
                }

                if (m.Latent is { } l && l.Length == latentLength)
                {
                    TensorPrimitives.MultiplyAdd(l, 1f / n, latent, latent);
                }
            }

            var norm = Math.Sqrt(sparse.Values.Sum(v => (double)v * v) + TensorPrimitives.Dot(latent, latent));
            return norm > 0 ? new Centroid(sparse, latent, norm) : null;
        }

        public double Cosine(Centroid other)
        {
            var (small, large) = sparse.Count <= other.Sparse.Count ? (sparse, other.Sparse) : (other.Sparse, sparse);
            double dot = 0;
            foreach (var (index, w) in small)
            {
                if (large.TryGetValue(index, out var v))
                {
                    dot += (double)w * v;
                }
            }

            if (latent.Length == other.Latent.Length)
            {
                dot += TensorPrimitives.Dot(latent, other.Latent);
            }

            return dot / (norm * other.Magnitude);
        }

        /// <summary>The sparse block's weights by feature (read only: the centroid is immutable).</summary>
        internal Dictionary<int, float> Sparse => sparse;

        private float[] Latent => latent;

        private double Magnitude => norm;

        /// <summary>Length of the sum of the unit members (not normalized).</summary>
        public double Length => norm;

        public double Cosine(ClusterItem item) => Cosine(item, Norm(item));

        /// <summary>
        /// The centroid laid out for scanning many tickets against it (the base-rate ring): its sparse block as a
        /// dense array, an array read per feature of a ticket instead of a hash lookup. The hash lookups were most of
        /// a warm engine's time per ticket (2026-12-04, a console profile on data/training's texts: 52–55 ms a ring count;
        /// docs/benchmarks.md, "A warm engine"). Dispose to return the array.
        /// </summary>
        internal Scanner Scan() => new(this);

        /// <summary>See <see cref="Scan"/>.</summary>
        internal readonly struct Scanner : IDisposable
        {
            private readonly Centroid _centroid;
            private readonly float[] _dense;

            public Scanner(Centroid centroid)
            {
                _centroid = centroid;
                var length = centroid.Sparse.Count == 0 ? 0 : centroid.Sparse.Keys.Max() + 1;
                _dense = Pool.Rent(length);
                foreach (var (index, w) in centroid.Sparse)
                {
                    _dense[index] = w;
                }
            }

            /// <summary>
            /// <see cref="Cosine(ClusterItem, double)"/> to the bit: a feature the centroid lacks adds 0·v, which
            /// leaves the sum as it was, and the rest are added in the same order.
            /// </summary>
            public double Cosine(ClusterItem item, double n)
            {
                if (n <= 0)
                {
                    return 0;
                }

                var dense = _dense;
                double dot = 0;
                for (var i = 0; i < item.Indices.Length; i++)
                {
                    var index = item.Indices[i];
                    if ((uint)index < (uint)dense.Length)
                    {
                        dot += dense[index] * item.Values[i];
                    }
                }

                var latent = _centroid.Latent;
                if (item.Latent is { } l && l.Length == latent.Length)
                {
                    dot += TensorPrimitives.Dot(l, latent);
                }

                return dot / (n * _centroid.Magnitude);
            }

            /// <summary>
            /// Whether <c>other.Cosine(centroid) &gt;= threshold</c>, answered the same: <paramref name="other"/>'s
            /// features are read through the dense array instead of looked up in a map. The sum runs in the other
            /// centroid's order, which may round differently from <see cref="Centroid.Cosine(Centroid)"/> in the last
            /// bits; within <see cref="ReorderingBand"/> of the threshold the map-based cosine decides, so no answer moves.
            /// </summary>
            /// <remarks>
            /// <paramref name="cosine"/> is the cosine it compared (the dense sum, or the map-based one where that
            /// decided): a caller that orders by it need not compute it again through the map lookups avoided here.
            /// </remarks>
            public bool IsWithin(Centroid? other, double threshold, out double cosine)
            {
                if (other is null)
                {
                    cosine = 0;
                    return 0 >= threshold; // CentroidCosine's answer without a centroid
                }

                var dense = _dense;
                double dot = 0;
                foreach (var (index, w) in other.Sparse)
                {
                    if ((uint)index < (uint)dense.Length)
                    {
                        dot += (double)w * dense[index];
                    }
                }

                var latent = _centroid.Latent;
                if (latent.Length == other.Latent.Length)
                {
                    dot += TensorPrimitives.Dot(other.Latent, latent);
                }

                cosine = dot / (other.Magnitude * _centroid.Magnitude);
                if (Math.Abs(cosine - threshold) <= ReorderingBand)
                {
                    cosine = other.Cosine(_centroid);
                }

                return cosine >= threshold;
            }

            public void Dispose()
            {
                // Back to zeros where the centroid wrote, so the pool's next renter gets a cleared array.
                foreach (var index in _centroid.Sparse.Keys)
                {
                    _dense[index] = 0;
                }

                Pool.Return(_dense);
            }

            // A pool of its own: only scanners return arrays to it, each put back to zeros (the shared pool hands out
            // whatever its last user left). Wide enough for the featurizer's whole space (vocabulary + 2^HashBits).
            private static readonly System.Buffers.ArrayPool<float> Pool = System.Buffers.ArrayPool<float>.Create(maxArrayLength: 1 << 27, maxArraysPerBucket: 4);
        }

        /// <summary>
        /// Cosine with <paramref name="item"/> (of length <paramref name="n"/>) given its sparse block's dot product
        /// with this centroid: the latent block added as <see cref="Cosine(ClusterItem, double)"/> adds it.
        /// </summary>
        internal double CosineFromSparseDot(ClusterItem item, double n, double sparseDot)
        {
            if (n <= 0)
            {
                return 0;
            }

            if (item.Latent is { } l && l.Length == latent.Length)
            {
                sparseDot += TensorPrimitives.Dot(l, latent);
            }

            return sparseDot / (n * norm);
        }

        /// <summary>Cosine with <paramref name="item"/> whose length <paramref name="n"/> is known.</summary>
        internal double Cosine(ClusterItem item, double n)
        {
            if (n <= 0)
            {
                return 0;
            }

            double dot = 0;
            for (var i = 0; i < item.Indices.Length; i++)
            {
                if (sparse.TryGetValue(item.Indices[i], out var w))
                {
                    dot += w * item.Values[i];
                }
            }

            if (item.Latent is { } l && l.Length == latent.Length)
            {
                dot += TensorPrimitives.Dot(l, latent);
            }

            return dot / (n * norm);
        }
    }
}
