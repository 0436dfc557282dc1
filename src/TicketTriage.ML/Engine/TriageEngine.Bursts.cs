using System.Globalization;
using TicketTriage.ML.Clustering;
using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Engine;

// The two burst tests run on an arrival in a young, unflagged pattern, beside the pattern's own arrival scan.
public sealed partial class TriageEngine
{
    // The clusterer often splits an incident's first tickets over several young patterns; count the burst by
    // resemblance to this pattern instead, against how common tickets like it were before: over the burst window,
    // then, when that is quiet, over the slow-burn window (EngineOptions.SlowBurnWindow), the two paying for each other.
    private void ResemblanceBurst(int patternId, PatternTrack track, DateTimeOffset now, long seq)
    {
        // Not warm yet: no base rate to judge a burst by (asked first: the scan below is the costly part).
        if (!_emergence.IsWarm(now))
        {
            return;
        }

        var recent = track.YoungCentroid();
        if (Options.SlowBurnWindow is not { } slow || slow <= Options.BurstWindow)
        {
            ResemblanceBurst(patternId, recent, Options.BurstWindow, BurstThreshold(now), now, seq, slowWindow: false);
            return;
        }

        // Weighted Bonferroni: the slow window gets its share of the level, the burst window the rest. The slow window
        // only for young patterns: a slow burn starts fragment after fragment, and an established topic's day of
        // tickets like it is its own everyday traffic, which its own arrival scan judges (and a day's scan of the
        // ring for each of its tickets cost a warm engine 30% of its speed).
        var share = Math.Clamp(Options.SlowBurnLevelShare, 1e-6, 1 - 1e-6);
        if (!ResemblanceBurst(patternId, recent, Options.BurstWindow, BurstThreshold(now) - Math.Log10(1 - share), now, seq, slowWindow: false) &&
            track.Count <= Options.YoungMaxTickets && !NearFlagged(recent))
        {
            ResemblanceBurst(patternId, recent, slow, BurstThreshold(now) - Math.Log10(share), now, seq, slowWindow: true);
        }
    }

    // Whether a flagged incident is worded like this young pattern (as close as fragments of one burst): over a day,
    // the tickets resembling a late fragment of a known incident are that incident's, and flagging the fragment anew
    // splits it (the PHP rollout's php.ini incident: recall 0.92 → 0.69). The fold and attach tests decide those.
    private bool NearFlagged(SimilarityBaseRate.Centroid? recent) =>
        _flagged.Any(f => _detector.IsLive(f) && _tracks.TryGetValue(f, out var t) && !t.Dismissed &&
            SimilarityBaseRate.CentroidCosine(t.YoungCentroid(), recent) >= Options.NeighbourSimilarity);

    // The longest window a burst test looks back over: the per-attribute streams are kept twice that.
    private TimeSpan LongestBurstWindow => Options.SlowBurnWindow is { } slow && slow > Options.BurstWindow ? slow : Options.BurstWindow;

    // One window of the resemblance test. True when it flagged a pattern: the arriving one or, over the slow window,
    // the young pattern holding most of the burst's tickets. Over a day, the tickets resembling an everyday fragment
    // beside a slow burn are mostly the burst's (Amsterdam's certificates, docs/benchmarks.md): the flag belongs to
    // the fragment the burst is made of. Over the slow window the burst's writers are asked about on the whole stream
    // too (EngineOptions.ProfileEverywhere): a day of a slow burn's tickets is many writers, where the burst window's
    // three or four from one username range came by chance often enough, over every young pattern tested, to raise
    // two false alarms in the 60 replays.
    private bool ResemblanceBurst(int patternId, SimilarityBaseRate.Centroid? recent, TimeSpan window, double threshold, DateTimeOffset now, long seq, bool slowWindow)
    {
        var tagged = _history.SimilarSinceTagged(recent, now - window, AlreadyFlagged);
        var similar = tagged.Select(s => s.At).ToList();
        if (similar.Count < Options.Emergence.MinTickets)
        {
            return false;
        }

        // Cheap screen first: both tests score at most this much at the flat prior, unless such tickets were rarer
        // than the prior before (then the base share below is lower, and the screen errs quiet).
        var burstTickets = tagged.Select(s => new BurstTicket(s.At, _recent.AttributesOf(s.Tag))).ToList();
        var emergence = Options.Emergence;
        var flat = _emergence.ScoreArrivals(similar, emergence.PriorShare, now);
        var flatJoint = JointBurst(burstTickets, emergence.PriorShare, now, slowWindow ? flat : null);
        if (flat.Score < threshold && flatJoint.Score < threshold)
        {
            return false;
        }

        var (seen, total) = _history.CountSimilar(recent, similar[0], AlreadyFlagged);
        var prior = (seen + emergence.PriorWeight * emergence.PriorShare) / (total + emergence.PriorWeight);
        var burst = _emergence.ScoreArrivals(similar, prior, now);
        var flagged = slowWindow ? CoreOf(patternId, tagged) : patternId;
        if (burst.Score >= threshold)
        {
            Flag(flagged, seq, now, burst with { Evidence = burst.Evidence + " (tickets like it)" });
        }
        else if (JointBurst(burstTickets, prior, now, slowWindow ? burst : null) is { } joint && joint.Score >= threshold)
        {
            Flag(flagged, seq, now, joint);
        }
        else
        {
            return false;
        }

        // The young patterns that hold the burst's tickets and resemble this one as a whole are its fragments.
        var fragments = tagged.Select(t => _detector.Resolve(_recent.AssignedPattern(t.Tag))).Distinct()
            .Where(q => q != flagged && IsYoungFragment(q) && SimilarityBaseRate.CentroidCosine(_tracks[q].YoungCentroid(), recent) >= Options.NeighbourSimilarity)
            .ToList();
        AbsorbFragments(flagged, fragments, now, always: slowWindow && Options.AbsorbSlowBurnFragments);
        return true;
    }

    // The young pattern holding most of a burst's tickets (the arriving one on a tie).
    private int CoreOf(int patternId, List<(DateTimeOffset At, long Tag)> burst) =>
        burst.Select(t => _detector.Resolve(_recent.AssignedPattern(t.Tag)))
            .Where(q => q == patternId || IsYoungFragment(q))
            .GroupBy(q => q)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key == patternId ? 0 : 1).ThenBy(g => g.Key)
            .Select(g => g.Key).FirstOrDefault(patternId);

    private bool IsYoungFragment(int q) =>
        !_flagged.Contains(q) && _detector.IsLive(q) && _tracks.TryGetValue(q, out var t) && !t.Dismissed && t.Count <= Options.YoungMaxTickets;

    // Once a burst made of fragments is flagged, its fragments are one pattern: the incident is counted, described and
    // answered as one, and later tickets join it rather than whichever fragment they happen to resemble. Always for a
    // slow burn's day (EngineOptions.AbsorbSlowBurnFragments), by EngineOptions.AbsorbBurstFragments otherwise.
    private void AbsorbFragments(int flagged, IReadOnlyList<int> fragments, DateTimeOffset now, bool always = false)
    {
        if ((!Options.AbsorbBurstFragments && !always) || !_flagged.Contains(flagged))
        {
            return;
        }

        foreach (var fragment in fragments)
        {
            var (from, into) = (_detector.Resolve(fragment), _detector.Resolve(flagged));
            if (from != into && IsYoungFragment(from))
            {
                _detector.Merge(from, into);
                Absorb(from, into, now);
            }
        }
    }

    // A young pattern that starts beside a flagged incident — as close to it as fragments of one burst are to each
    // other, and carrying every value the incident is concentrated on — is a fragment of it that came late (a slow
    // burn's tickets arrive hours apart and are worded many ways). Text alone would swallow everyday tickets near
    // the incident; the concentrations are what tie the fragment to it.
    private void AttachToFlagged(int patternId, PatternTrack track, DateTimeOffset now)
    {
        if (!Options.AttachLateFragments || _flagged.Count == 0 || track.Count < Options.BurstMinMembers || !IsYoungFragment(patternId))
        {
            return;
        }

        var mine = track.YoungCentroid();
        var members = track.Recent.Select(m => _recent.Contains(m.Seq) ? _recent.AttributesOf(m.Seq) : null).ToList();
        foreach (var f in _flagged.Order().ToList())
        {
            if (!_tracks.TryGetValue(f, out var flagged) || flagged.Dismissed || !_detector.IsLive(f) || flagged.Concentrations.Count == 0 ||
                members.Any(a => a is null || !flagged.Concentrations.All(c => c.Matches(a))) ||
                SimilarityBaseRate.CentroidCosine(flagged.YoungCentroid(), mine) < Options.NeighbourSimilarity)
            {
                continue;
            }

            AbsorbFragments(f, [patternId], now);
            return;
        }
    }

    // A candidate burst: this young pattern together with the young patterns near it that took tickets in the burst
    // window. The clusterer splits an incident's first tickets into fragments whose centroids are close but not
    // close enough to merge yet; the burst is their union, judged like one pattern — against how common tickets
    // like the union were before (the base share), and jointly with where its tickets live (ConcentratedBurst).
    // Mature patterns are left to their own history: an everyday topic is one of them.
    private void CandidateBurst(int patternId, PatternTrack track, DateTimeOffset now, long seq)
    {
        if (!_emergence.IsWarm(now))
        {
            return;
        }

        var from = now - Options.BurstWindow;
        var fromTicks = from.UtcTicks;
        var mine = track.YoungCentroid();
        if (mine is null)
        {
            return; // its members have no vectors: no neighbour is within any cosine of it, and its own union has no centroid
        }

        var neighbours = new List<(int Pattern, double Cosine)>();
        var seen = new HashSet<int>();
        // Every young pattern of the window is compared with this one: one dense layout of it for all of them
        // (the map lookups of Centroid.Cosine were a tenth of a warm engine's time, docs/benchmarks.md).
        using (var scanner = mine.Scan())
        {
            for (var k = seq; k >= _recent.FirstSeq && _recent.TicksOf(k) >= fromTicks; k--)
            {
                var q = _detector.Resolve(_recent.AssignedPattern(k));
                if (!seen.Add(q) || _flagged.Contains(q) || !_tracks.TryGetValue(q, out var qs) || qs.Count > Options.YoungMaxTickets)
                {
                    continue;
                }

                if (q == patternId)
                {
                    neighbours.Add((q, double.PositiveInfinity));
                }
                else if (scanner.IsWithin(qs.YoungCentroid(), Options.NeighbourSimilarity, out var cosine))
                {
                    // Without NestedBursts every neighbour ties at 0 and the stable sort keeps the scan's order.
                    neighbours.Add((q, Options.NestedBursts ? cosine : 0));
                }
            }
        }

        if (seen.Count < 2)
        {
            return;
        }

        // The whole union first, as it always was. With NestedBursts, when it is not flagged, the unions of the
        // nearest fragments (two, three, … nearest first; a stable sort, ties in the scan's order): a loose neighbour
        // (everyday mail trouble beside a mail outage) widens the yardstick until the burst drowns in the tickets as
        // loose as it was, and the nearest fragments alone may stand out. The nested unions pay a Bonferroni factor
        // for every union tried, the whole one included; the whole one keeps its bar, so what it flagged stays flagged.
        var ordered = neighbours.OrderByDescending(n => n.Cosine).Select(n => n.Pattern).ToList();
        var threshold = BurstThreshold(now);
        (EmergenceAssessment Burst, int Size)? flagged = UnionBurst(ordered, ordered.Count, from, now, seq, threshold) is { } whole && whole.Score >= threshold
            ? (whole, ordered.Count) : null;
        if (flagged is null && Options.NestedBursts && ordered.Count > 2)
        {
            var nestedThreshold = threshold + Math.Log10(ordered.Count - 1); // the whole union and the ordered.Count − 2 nested ones
            for (var size = 2; size < ordered.Count; size++)
            {
                if (UnionBurst(ordered, size, from, now, seq, nestedThreshold) is { } nested && nested.Score >= nestedThreshold &&
                    nested.Score > (flagged?.Burst.Score ?? double.NegativeInfinity))
                {
                    flagged = (nested, size);
                }
            }
        }

        if (flagged is null && Options.ChangeUnionBurst && SameChangeBurst(patternId, ordered, from, now, seq, threshold) is { } change)
        {
            Flag(patternId, seq, now, change.Burst with { Evidence = UnionEvidence(change.Burst.Evidence, change.Fragments.Count) });
            AbsorbFragments(patternId, change.Fragments.Where(q => q != patternId).ToList(), now);
            return;
        }

        if (flagged is { } f)
        {
            Flag(patternId, seq, now, f.Burst with { Evidence = UnionEvidence(f.Burst.Evidence, f.Size) });
        }

        // A nested union flagged is the burst: its looser neighbours stay apart. (Also absorbing those that hold one
        // of the burst's tickets changed no figure, docs/benchmarks.md "Nested bursts".)
        AbsorbFragments(patternId, ordered.Take(flagged?.Size ?? ordered.Count).Where(q => q != patternId).ToList(), now);
    }

    // The union of the neighbours whose tickets of the window all came from the arriving ticket's change
    // (EngineOptions.ChangeUnionBurst), when that is some of them but not all (all is the whole union, judged
    // already). The bar is raised for one more union tried beside the whole and the nested ones. Null when not flagged.
    private (EmergenceAssessment Burst, List<int> Fragments)? SameChangeBurst(
        int patternId, List<int> ordered, DateTimeOffset from, DateTimeOffset now, long seq, double threshold)
    {
        if (ordered.Count < 3 || ChangeTargetOf(seq) is not { } change)
        {
            return null;
        }

        var fromTicks = from.UtcTicks;
        var same = ordered.Where(q => _tracks[q].Recent.Where(m => m.Ticks >= fromTicks && m.Seq <= seq).All(m => ChangeTargetOf(m.Seq) == change))
            .ToList();
        if (same.Count < 2 || same.Count == ordered.Count || same[0] != patternId)
        {
            return null;
        }

        var bar = threshold + Math.Log10(ordered.Count);
        return UnionBurst(same, same.Count, from, now, seq, bar) is { } burst && burst.Score >= bar ? (burst, same) : null;
    }

    // One union of fragments judged as one pattern. The burst: every ordinary ticket of the window at least as close
    // to the union's centroid as the union's loosest member; the base share: the past tickets that close. One
    // yardstick for both. Null when it cannot reach the threshold even at the flat prior (the cheap screen, before
    // the costly count of the past) or has too few tickets; otherwise the stronger of the two tests.
    private EmergenceAssessment? UnionBurst(List<int> ordered, int size, DateTimeOffset from, DateTimeOffset now, long seq, double threshold)
    {
        var fromTicks = from.UtcTicks;
        var union = ordered.Take(size).SelectMany(q => _tracks[q].Recent.Where(m => m.Ticks >= fromTicks && m.Seq <= seq).Select(m => m.Item)).ToList();
        if (union.Count < Options.Emergence.MinTickets)
        {
            return null;
        }

        var centroid = SimilarityBaseRate.Centroid.Of(union);
        var floor = SimilarityBaseRate.LoosestMember(union, centroid);
        var tagged = _history.SimilarSinceTagged(centroid, from, AlreadyFlagged, floor).Where(t => t.Tag <= seq).ToList();
        if (tagged.Count < Options.Emergence.MinTickets)
        {
            return null;
        }

        var arrivals = tagged.Select(t => t.At).ToList();
        var burstTickets = tagged.Select(t => new BurstTicket(t.At, _recent.AttributesOf(t.Tag))).ToList();
        var flatPrior = Options.Emergence.PriorShare;
        if (_emergence.ScoreArrivals(arrivals, flatPrior, now).Score < threshold &&
            JointBurst(burstTickets, flatPrior, now).Score < threshold)
        {
            return null;
        }

        var (similarBefore, total) = _history.CountSimilar(centroid, arrivals[0], AlreadyFlagged, floor);
        var prior = (similarBefore + Options.Emergence.PriorWeight * flatPrior) / (total + Options.Emergence.PriorWeight);
        var burst = _emergence.ScoreArrivals(arrivals, prior, now);
        return burst.Score >= threshold ? burst : JointBurst(burstTickets, prior, now) is { } joint && joint.Score > burst.Score ? joint : burst;
    }

    // The counts of a candidate burst are the union's, not the flagged pattern's: say so, or a card of 2 tickets
    // reads "12 tickets of the last 12".
    internal static string UnionEvidence(string evidence, int patterns) => patterns <= 1 ? evidence :
        string.Create(CultureInfo.InvariantCulture, $"{evidence} (counted over this pattern and {patterns - 1} young pattern{(patterns == 2 ? "" : "s")} like it)");

    // Each arrival is tested three ways — its pattern alone, the tickets resembling it, the young patterns alike.
    // A strict family-wise correction would charge the burst tests a factor 3; measured, it cost detection without
    // curing the one run over the false-alarm bar (docs/benchmarks.md), so the default family is 1.
    // Raised with the stream's volume as the detector's own threshold is (EmergenceOptions.ReferenceTicketsPerDay).
    private double BurstThreshold(DateTimeOffset now) =>
        Options.Emergence.Threshold + Math.Log10(Options.BurstTestFamily) + _emergence.VolumeOffset(now);
}
