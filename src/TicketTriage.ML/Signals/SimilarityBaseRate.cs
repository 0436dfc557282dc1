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
public sealed partial class SimilarityBaseRate(int capacity = 4000, float similarity = 0.4f)
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
