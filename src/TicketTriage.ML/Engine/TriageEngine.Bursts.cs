using TicketTriage.ML.Clustering;
using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Engine;

// The two burst tests run on an arrival in a young, unflagged pattern, beside the pattern's own arrival scan.
public sealed partial class TriageEngine
{
    // The clusterer often splits an incident's first tickets over several young patterns; count the burst by
    // resemblance to this pattern instead, against how common such tickets were before.
    private void ResemblanceBurst(int patternId, PatternTrack track, DateTimeOffset now, long seq)
    {
        // Not warm yet: no base rate to judge a burst by (asked first: the scan below is the costly part).
        if (!_emergence.IsWarm(now))
        {
            return;
        }

        var recent = track.YoungCentroid();
        var tagged = _history.SimilarSinceTagged(recent, now - Options.BurstWindow, AlreadyFlagged);
        var similar = tagged.Select(s => s.At).ToList();
        if (similar.Count < Options.Emergence.MinTickets)
        {
            return;
        }

        // Cheap screen first: both tests score at most this much at the flat prior, unless such tickets were rarer
        // than the prior before (then the base share below is lower, and the screen errs quiet).
        var burstTickets = tagged.Select(s => new BurstTicket(s.At, _recent.AttributesOf(s.Tag))).ToList();
        var threshold = BurstThreshold();
        var emergence = Options.Emergence;
        var flat = _emergence.ScoreArrivals(similar, emergence.PriorShare, now);
        var flatJoint = _concentrated.Assess(burstTickets, emergence.PriorShare, now, emergence);
        if (flat.Score < threshold && flatJoint.Score < threshold)
        {
            return;
        }

        var (seen, total) = _history.CountSimilar(recent, similar[0], AlreadyFlagged);
        var prior = (seen + emergence.PriorWeight * emergence.PriorShare) / (total + emergence.PriorWeight);
        var burst = _emergence.ScoreArrivals(similar, prior, now);
        if (burst.Score >= threshold)
        {
            Flag(patternId, seq, now, burst with { Evidence = burst.Evidence + " (tickets like it)" });
        }
        else if (_concentrated.Assess(burstTickets, prior, now, emergence) is { } joint && joint.Score >= threshold)
        {
            Flag(patternId, seq, now, joint);
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
        var union = new List<ClusterItem>();
        var seen = new HashSet<int>();
        for (var k = seq; k >= _recent.FirstSeq && _recent.TicksOf(k) >= fromTicks; k--)
        {
            var q = _detector.Resolve(_recent.AssignedPattern(k));
            if (!seen.Add(q) || _flagged.Contains(q) || !_tracks.TryGetValue(q, out var qs) || qs.Count > Options.YoungMaxTickets)
            {
                continue;
            }

            if (q == patternId || SimilarityBaseRate.CentroidCosine(qs.YoungCentroid(), mine) >= Options.NeighbourSimilarity)
            {
                union.AddRange(qs.Recent.Where(m => m.Ticks >= fromTicks && m.Seq <= seq).Select(m => m.Item));
            }
        }

        if (seen.Count < 2 || union.Count < Options.Emergence.MinTickets)
        {
            return;
        }

        // The burst: every ordinary ticket of the window at least as close to the union's centroid as the union's
        // loosest member; the base share: the past tickets that close. One yardstick for both.
        var centroid = SimilarityBaseRate.Centroid.Of(union);
        var floor = SimilarityBaseRate.LoosestMember(union, centroid);
        var tagged = _history.SimilarSinceTagged(centroid, from, AlreadyFlagged, floor).Where(t => t.Tag <= seq).ToList();
        if (tagged.Count < Options.Emergence.MinTickets)
        {
            return;
        }

        var arrivals = tagged.Select(t => t.At).ToList();
        var burstTickets = tagged.Select(t => new BurstTicket(t.At, _recent.AttributesOf(t.Tag))).ToList();
        var threshold = BurstThreshold();
        var emergence = Options.Emergence;
        var flatPrior = emergence.PriorShare;
        if (_emergence.ScoreArrivals(arrivals, flatPrior, now).Score < threshold &&
            _concentrated.Assess(burstTickets, flatPrior, now, emergence).Score < threshold)
        {
            return;
        }

        var (similarBefore, total) = _history.CountSimilar(centroid, arrivals[0], AlreadyFlagged, floor);
        var prior = (similarBefore + emergence.PriorWeight * flatPrior) / (total + emergence.PriorWeight);
        var burst = _emergence.ScoreArrivals(arrivals, prior, now);
        if (burst.Score >= threshold)
        {
            Flag(patternId, seq, now, burst with { Evidence = burst.Evidence + " (young patterns alike)" });
        }
        else if (_concentrated.Assess(burstTickets, prior, now, emergence) is { } joint && joint.Score >= threshold)
        {
            Flag(patternId, seq, now, joint with { Evidence = joint.Evidence + " (young patterns alike)" });
        }
    }

    // Each arrival is tested three ways — its pattern alone, the tickets resembling it, the young patterns alike.
    // A strict family-wise correction would charge the burst tests a factor 3; measured, it cost detection without
    // curing the one run over the false-alarm bar (docs/benchmarks.md), so the default family is 1.
    private double BurstThreshold() => Options.Emergence.Threshold + Math.Log10(Options.BurstTestFamily);
}
