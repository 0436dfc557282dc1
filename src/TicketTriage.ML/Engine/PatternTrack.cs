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

    /// <summary>Where the burst that flagged the pattern began; without a flag, its first ticket.</summary>
    public long OnsetTicks => FlagSeq is null ? FirstSeenTicks : FlagTicks - FlagWindowTicks;

    public void Add(MemberVector member, int keep)
    {
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
