using System.Runtime.InteropServices;

namespace TicketTriage.ML.Clustering;

// The merge pass and what merging and retiring do to a pattern.
public sealed partial class PatternDetector
{
    /// <summary>
    /// The merge pass: retires patterns silent for <see cref="PatternDetectorOptions.RetireAfter"/>, then merges each
    /// live pattern into a larger (or older, when equal) live one whose centroid cosine is at least
    /// <see cref="PatternDetectorOptions.MergeThreshold"/>, when their active periods are within the gap grace and
    /// their attributes do not contradict, and <paramref name="mayMerge"/> (the caller's veto, e.g. an incident's
    /// pattern gated on its concentration) allows it. Returns the merges in the order performed.
    /// </summary>
    public IReadOnlyList<PatternMerge> MergeNearDuplicates(DateTimeOffset now, Func<int, int, bool>? mayMerge = null)
    {
        var retireBefore = now.UtcTicks - Options.RetireAfter.Ticks;
        foreach (var p in _patterns)
            if (p.IsLive && p.LastSeenTicks < retireBefore) Retire(p);

        var merges = new List<PatternMerge>();
        // Only patterns changed since the last pass are checked (against every live pattern through the index), so a
        // pass costs O(changed patterns), not O(live patterns). Smallest first, so fragments fold into the pattern
        // they split from before that one is itself considered.
        var order = _changed.Select(id => _patterns[id]).Where(p => p.IsLive)
            .OrderBy(p => p.Size).ThenByDescending(p => p.Id).Select(p => p.Id).ToArray();
        _changed.Clear();
        foreach (var id in order)
        {
            var p = _patterns[id];
            if (!p.IsLive) continue;
            var idx = p.IndexedTerms;
            var vals = new float[idx.Length];
            for (var i = 0; i < idx.Length; i++) vals[i] = p.ValueOf(idx[i]);

            PatternState? target = null;
            double targetSimilarity = 0;
            // The best few by index score: a near-duplicate shares the strongest terms.
            var candidates = Candidates(idx, vals);
            if (candidates.Count > MergeCandidates) KeepBest(candidates, MergeCandidates);
            foreach (var c in candidates.ToArray())
            {
                var q = _patterns[c];
                if (q.Id == p.Id || !q.IsLive) continue;
                var cos = p.Cosine(q);
                if (cos < Options.MergeThreshold || cos <= targetSimilarity) continue;
                if (!TimeCompatible(p, q) || !AttributesCompatible(p, q) || (mayMerge is not null && !mayMerge(p.Id, q.Id))) continue;
                (target, targetSimilarity) = (q, cos);
            }
            if (target is null) continue;
            var (into, from) = IsSmaller(target, p) ? (p, target) : (target, p);
            Absorb(into, from);
            merges.Add(new(from.Id, into.Id, (float)targetSimilarity));
        }
        return merges;
    }

    // A pattern only merges into one at least as large (older wins a tie), so ids of big patterns stay stable.
    private static bool IsSmaller(PatternState q, PatternState p) => q.Size < p.Size || (q.Size == p.Size && q.Id > p.Id);

    private bool TimeCompatible(PatternState a, PatternState b)
    {
        var gap = Math.Max(a.FirstSeenTicks, b.FirstSeenTicks) - Math.Min(a.LastSeenTicks, b.LastSeenTicks);
        return gap <= Math.Max(Grace(a), Grace(b));
    }

    private bool AttributesCompatible(PatternState a, PatternState b)
    {
        foreach (var (key, ca) in a.Attributes)
        {
            if (!b.Attributes.TryGetValue(key, out var cb)) continue;
            if (ca.Total < Options.MinAttributeSupport || cb.Total < Options.MinAttributeSupport) continue;
            // Overlap of the two value distributions; disjoint concentrated patterns (ams vs fra) stay apart.
            double overlap = 0;
            foreach (var (v, n) in ca.Values) overlap += Math.Min((double)n / ca.Total, cb.Share(v));
            if (overlap < 0.5 && Math.Max(ca.Concentration(), cb.Concentration()) > 0.5) return false;
        }
        return true;
    }

    private void Absorb(PatternState into, PatternState from)
    {
        var now = Math.Max(into.LastDecayTicks, from.LastDecayTicks);
        var halfLife = (double)Options.HalfLife.Ticks;
        into.DecayTo(now, halfLife);
        from.DecayTo(now, halfLife);
        var factor = (float)(from.Scale / into.Scale);
        into.AddVector(from.Keys, from.Values, from.Latent ?? [], factor);
        into.Weight += from.Weight * factor;
        into.Prune(Options.MaxCentroidTerms);

        into.Size += from.Size;
        into.FirstSeenTicks = Math.Min(into.FirstSeenTicks, from.FirstSeenTicks);
        into.LastSeenTicks = Math.Max(into.LastSeenTicks, from.LastSeenTicks);
        into.LastSeenEveryday = Math.Max(into.LastSeenEveryday, from.LastSeenEveryday);
        foreach (var a in from.Arrivals) into.AddArrivals(a.Minute, a.Count);
        if (into.Arrivals.Count > 0) into.TrimArrivals(into.Arrivals[^1].Minute - Options.SeriesMinutes);
        foreach (var m in from.Members) into.AddMember(m, Options.MaxMemberIds);
        foreach (var (key, counts) in from.Attributes)
        {
            var target = AttributesOf(into, key);
            foreach (var (v, n) in counts.Values) target.Add(v, n, Options.MaxAttributeValues);
            target.Total += counts.Total - counts.Values.Values.Sum();
        }

        Retire(from);
        _changed.Add(into.Id);
        from.MergedInto = into.Id;
        from.ClearTerms();
        from.Latent = null;
        from.Members.Clear();
        from.Attributes.Clear();
        from.NormSquared = 0;
        Reindex(into, force: true);
    }

    private void Retire(PatternState p)
    {
        if (!p.IsLive) return;
        SetIndexed(p, []);
        p.IsLive = false;
        LivePatternCount--;
    }
}
