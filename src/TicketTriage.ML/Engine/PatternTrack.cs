using TicketTriage.ML.Clustering;
using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Engine;

/// <summary>A member's vector as the burst tests read it: its sequence number, arrival and featurized text.</summary>
internal readonly record struct MemberVector(long Seq, long Ticks, ClusterItem Item);

/// <summary>
/// What the engine keeps per pattern beside the detector's centroid: its size, its most recent member vectors
/// (bounded), when it was first flagged and why, its signals, and the lead's verdict.
/// </summary>
internal sealed class PatternTrack
{
    public int Count { get; set; }

    public long FirstSeenTicks { get; set; } = long.MaxValue;

    /// <summary>When the pattern last took a ticket.</summary>
    public long LastTicks => Recent.Count == 0 ? FirstSeenTicks : Recent[^1].Ticks;

    /// <summary>Most recent member vectors in sequence order (at most <see cref="EngineOptions.MemberVectorsKept"/>).</summary>
    public List<MemberVector> Recent { get; } = [];

    /// <summary>The first flag: the ticket that crossed the threshold, when, and the window that made it.</summary>
    public long? FlagSeq { get; set; }

    public long FlagTicks { get; set; }

    public long FlagWindowTicks { get; set; }

    public string? Evidence { get; set; }

    public bool Dismissed { get; set; }

    public IReadOnlyList<Concentration> Concentrations { get; set; } = [];

    public ChangeLink? LikelyChange { get; set; }

    /// <summary>Size at the last signals assessment (0: never assessed).</summary>
    public int SignalsAtSize { get; set; }

    /// <summary>Where the burst that flagged the pattern began, but never before the pattern's first ticket (a long
    /// burst window reaching back past it would otherwise date the onset before changes that came between);
    /// without a flag, its first ticket.</summary>
    public long OnsetTicks => FlagSeq is null ? FirstSeenTicks : Math.Max(FirstSeenTicks, FlagTicks - FlagWindowTicks);

    public void Add(MemberVector member, int keep)
    {
        _youngCentroidKnown = false;
        Count++;
        FirstSeenTicks = Math.Min(FirstSeenTicks, member.Ticks);
        Recent.Add(member);
        if (Recent.Count > keep)
        {
            Recent.RemoveRange(0, Recent.Count - keep);
        }
    }

    /// <summary>Folds <paramref name="from"/> into this track (the detector merged the two patterns).</summary>
    public void Absorb(PatternTrack from, int keep)
    {
        _youngCentroidKnown = false;
        Count += from.Count;
        FirstSeenTicks = Math.Min(FirstSeenTicks, from.FirstSeenTicks);
        Recent.AddRange(from.Recent);
        Recent.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        if (Recent.Count > keep)
        {
            Recent.RemoveRange(0, Recent.Count - keep);
        }

        // The earlier flag is the pattern's: its onset is where the merged burst began.
        if (from.FlagSeq is { } f && (FlagSeq is not { } mine || f < mine))
        {
            (FlagSeq, FlagTicks, FlagWindowTicks, Evidence) = (f, from.FlagTicks, from.FlagWindowTicks, from.Evidence);
        }
    }

    /// <summary>Drops the member vectors (a retired pattern takes no tickets; its summary stays).</summary>
    public void DropVectors()
    {
        _youngCentroidKnown = false;
        Recent.Clear();
        Recent.TrimExcess();
    }

    /// <summary>Replaces each member vector by <paramref name="translate"/>'s (a refit of the featurizer).</summary>
    public void Reexpress(Func<ClusterItem, ClusterItem> translate)
    {
        _youngCentroidKnown = false;
        _youngCentroid = null;
        for (var i = 0; i < Recent.Count; i++)
        {
            Recent[i] = Recent[i] with { Item = translate(Recent[i].Item) };
        }
    }

    // The centroid of the last YoungCount vectors, computed once per change of the track: the candidate-burst test
    // asks for it on every arrival of every young pattern in the burst window.
    private SimilarityBaseRate.Centroid? _youngCentroid;
    private bool _youngCentroidKnown;

    /// <summary>Member vectors the young-pattern tests read: a pattern's current wording.</summary>
    public const int YoungCount = 20;

    /// <summary>Centroid of the last <see cref="YoungCount"/> member vectors (null without vectors).</summary>
    public SimilarityBaseRate.Centroid? YoungCentroid()
    {
        if (!_youngCentroidKnown)
        {
            _youngCentroid = SimilarityBaseRate.Centroid.Of(LastItems(YoungCount));
            _youngCentroidKnown = true;
        }

        return _youngCentroid;
    }

    /// <summary>The last <paramref name="count"/> member vectors (the young-pattern tests read 20).</summary>
    public List<ClusterItem> LastItems(int count)
    {
        var skip = Math.Max(0, Recent.Count - count);
        var items = new List<ClusterItem>(Recent.Count - skip);
        for (var i = skip; i < Recent.Count; i++)
        {
            items.Add(Recent[i].Item);
        }

        return items;
    }
}
