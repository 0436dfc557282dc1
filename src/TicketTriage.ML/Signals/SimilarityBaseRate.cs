using System.Numerics.Tensors;
using TicketTriage.ML.Clustering;

namespace TicketTriage.ML.Signals;

/// <summary>
/// How common a new pattern's kind of ticket was before it existed: the share of recent tickets whose cosine with
/// the pattern's centroid reaches a similarity. The pattern detector keeps re-creating patterns for everyday topics
/// (a centroid decays, a wording drifts); without this, each reborn "Outlook keeps asking for my password" pattern
/// would start from the small prior of a genuinely new topic and look like a burst. Feed it every ticket's vector;
/// <see cref="EmergenceDetector"/> asks it, through its base-share callback, only for patterns about to be flagged.
/// </summary>
/// <param name="capacity">Recent tickets kept (a ring buffer).</param>
/// <param name="similarity">Cosine with the centroid at which a past ticket counts as the same kind (the detector's join threshold is a good value).</param>
public sealed class SimilarityBaseRate(int capacity = 4000, float similarity = 0.4f)
{
    // Each kept ticket with its vector's length, computed once: every scan takes a cosine with each of them.
    private readonly (long Ticks, ClusterItem Item, long Tag, double Norm)[] _ring = new (long, ClusterItem, long, double)[capacity];
    private readonly RingPostings _postings = new(capacity);
    private int _next;
    private int _count;

    public int Count => _count;

    /// <summary>The kept tickets, oldest first (to save them; <see cref="Add"/> them in this order to restore).</summary>
    internal IEnumerable<(long Ticks, ClusterItem Item, long Tag)> Entries()
    {
        for (var k = _count; k >= 1; k--)
        {
            var (ticks, item, tag, _) = _ring[(_next - k + _ring.Length) % _ring.Length];
            yield return (ticks, item, tag);
        }
    }

    /// <param name="tag">The caller's id for the ticket, handed back to the skip filter of <see cref="CountSimilar"/>.</param>
    public void Add(DateTimeOffset at, ClusterItem item, long tag = 0)
    {
        _postings.Replace(_next, _ring[_next].Item?.Indices ?? [], item.Indices, item.Values);
        _ring[_next] = (at.UtcTicks, item, tag, Norm(item));
        _next = (_next + 1) % _ring.Length;
        _count = Math.Min(_count + 1, _ring.Length);
    }

    /// <summary>
    /// (similar, total) over the kept tickets that arrived before <paramref name="before"/>: how many of them resemble
    /// the centroid of <paramref name="members"/>. <paramref name="skip"/> leaves tickets out by tag (e.g. those of
    /// incidents already flagged: the base rate is about ordinary traffic); it may be called from several threads at once.
    /// </summary>
    public (int Similar, int Total) CountSimilar(IReadOnlyList<ClusterItem> members, DateTimeOffset before, Func<long, bool>? skip = null, double? atLeast = null) =>
        CountSimilar(Centroid.Of(members), before, skip, atLeast);

    /// <summary><see cref="CountSimilar(IReadOnlyList{ClusterItem}, DateTimeOffset, Func{long, bool}?, double?)"/> with the members' centroid already computed.</summary>
    public (int Similar, int Total) CountSimilar(Centroid? centroid, DateTimeOffset before, Func<long, bool>? skip = null, double? atLeast = null)
    {
        var threshold = atLeast ?? similarity;
        if (centroid is null)
        {
            return (0, 0);
        }

        // The whole ring, the costly count of a warm engine's burst tests. The sparse dot products come from the
        // postings of the centroid's features, summed in another order than a scan's: off by at most a few units in
        // the 13th digit (each sum has at most a ticket's features, and |Σ w·v| ≤ |w||v|). A ticket whose cosine lands
        // that close to the threshold is decided by the scan's own sum, so every count is the scan's to the bit.
        var cutoff = before.UtcTicks;
        var count = _count;
        var dots = DotPool.Rent(count);
        Array.Clear(dots, 0, count);
        _postings.Dot(centroid.Sparse, dots);

        // The rest (the latent block, the filters) split over the cores: counts add up the same in any order.
        var parts = count >= ParallelFrom ? Environment.ProcessorCount : 1;
        var counts = new (int Similar, int Total)[parts];
        var ring = _ring;
        Parallel.For(0, parts, part =>
        {
            int similar = 0, total = 0;
            for (var k = part * count / parts; k < (part + 1) * count / parts; k++)
            {
                var (ticks, item, tag, norm) = ring[k];
                if (ticks >= cutoff || (skip is not null && skip(tag)))
                {
                    continue;
                }

                total++;
                var cosine = centroid.CosineFromSparseDot(item, norm, dots[k]);
                if (Math.Abs(cosine - threshold) <= ReorderingBand)
                {
                    cosine = centroid.Cosine(item, norm);
                }

                if (cosine >= threshold)
                {
                    similar++;
                }
            }

            counts[part] = (similar, total);
        });

        DotPool.Return(dots);
        return (counts.Sum(c => c.Similar), counts.Sum(c => c.Total));
    }

    // Far wider than a reordered sum can stray (~1e-13 for tickets of a thousand features), far narrower than the
    // gaps between real tickets' cosines: the exact sum is recomputed for about none of them.
    private const double ReorderingBand = 1e-9;

    private static readonly System.Buffers.ArrayPool<double> DotPool = System.Buffers.ArrayPool<double>.Create();

    // Below this many kept tickets a count is quicker on one core than handed out.
    private const int ParallelFrom = 1024;

    /// <summary>
    /// Arrival times of the kept tickets from <paramref name="from"/> on that resemble the centroid of
    /// <paramref name="members"/>, wherever the pattern detector put them: a burst counted by what the tickets say, so
    /// an incident whose first tickets started three patterns is still one burst.
    /// </summary>
    public List<DateTimeOffset> SimilarSince(IReadOnlyList<ClusterItem> members, DateTimeOffset from, Func<long, bool>? skip = null) =>
        SimilarSinceTagged(members, from, skip).Select(s => s.At).ToList();

    /// <summary><see cref="SimilarSince"/> with each ticket's tag, in arrival order.</summary>
    public List<(DateTimeOffset At, long Tag)> SimilarSinceTagged(IReadOnlyList<ClusterItem> members, DateTimeOffset from, Func<long, bool>? skip = null, double? atLeast = null) =>
        SimilarSinceTagged(Centroid.Of(members), from, skip, atLeast);

    /// <summary><see cref="SimilarSinceTagged(IReadOnlyList{ClusterItem}, DateTimeOffset, Func{long, bool}?, double?)"/> with the members' centroid already computed.</summary>
    public List<(DateTimeOffset At, long Tag)> SimilarSinceTagged(Centroid? centroid, DateTimeOffset from, Func<long, bool>? skip = null, double? atLeast = null)
    {
        var threshold = atLeast ?? similarity;
        var result = new List<(DateTimeOffset, long)>();
        if (centroid is null)
        {
            return result;
        }

        // Newest first, stopping at the window's start: the ring is in arrival order.
        var fromTicks = from.UtcTicks;
        using var scan = centroid.Scan();
        for (var k = 1; k <= _count; k++)
        {
            var (ticks, item, tag, norm) = _ring[(_next - k + _ring.Length) % _ring.Length];
            if (ticks < fromTicks)
            {
                break;
            }

            if ((skip is null || !skip(tag)) && scan.Cosine(item, norm) >= threshold)
            {
                result.Add((new DateTimeOffset(ticks, TimeSpan.Zero), tag));
            }
        }

        result.Reverse();
        return result;
    }

    /// <summary>
    /// Cosine between the centroids of two groups of tickets (e.g. two young patterns): how alike the two groups are
    /// as a whole, which for patterns of one or two tickets is far steadier than comparing single tickets.
    /// </summary>
    public static double CentroidCosine(IReadOnlyList<ClusterItem> a, IReadOnlyList<ClusterItem> b) =>
        CentroidCosine(Centroid.Of(a), Centroid.Of(b));

    /// <summary>The same, for centroids already computed (null: an empty or all-zero group).</summary>
    public static double CentroidCosine(Centroid? a, Centroid? b) => a is not null && b is not null ? a.Cosine(b) : 0;

    /// <summary>
    /// How loose a group is: the lowest cosine of a member with the centroid of the <em>other</em> members. Counting
    /// past and present tickets at this closeness judges a group of fragments by the yardstick that formed it — a
    /// loose union of patterns against the many past tickets as close as its loosest member, not the few a tight
    /// threshold would admit. Leaving the member out matters: a centroid is fitted to its members, and any three
    /// unrelated unit vectors have cosine ≥ 0.58 with their own mean, while a past ticket gets no such help.
    /// </summary>
    /// <returns>The loosest member's leave-one-out cosine; 1 for fewer than two members (nothing to compare).</returns>
    public static double LoosestMember(IReadOnlyList<ClusterItem> members) => LoosestMember(members, Centroid.Of(members));

    /// <summary><see cref="LoosestMember(IReadOnlyList{ClusterItem})"/> with the members' centroid already computed.</summary>
    public static double LoosestMember(IReadOnlyList<ClusterItem> members, Centroid? centroid)
    {
        if (members.Count < 2 || centroid is null)
        {
            return 1;
        }

        // With S the sum of the unit members and m one of them: m·S = cos(m, S)·|S|, and the others sum to S − m,
        // whose length is √(|S|² − 2 m·S + 1); so cos(m, S − m) = (m·S − 1) / |S − m|.
        var length = centroid.Length;
        return members.Min(m =>
        {
            var dot = centroid.Cosine(m) * length;
            var rest = Math.Sqrt(Math.Max(length * length - 2 * dot + 1, 1e-12));
            return (dot - 1) / rest;
        });
    }

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
            public bool IsWithin(Centroid? other, double threshold)
            {
                if (other is null)
                {
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

                var cosine = dot / (other.Magnitude * _centroid.Magnitude);
                return Math.Abs(cosine - threshold) <= ReorderingBand ? other.Cosine(_centroid) >= threshold : cosine >= threshold;
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

    private static double Norm(ClusterItem item)
    {
        double sum = TensorPrimitives.Dot(item.Values, item.Values);
        if (item.Latent is { } l)
        {
            sum += TensorPrimitives.Dot(l, l);
        }

        return Math.Sqrt(sum);
    }
}
