using TicketTriage.ML.Clustering;
using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Engine;

// What an incident's concentration says about its membership: a flagged pattern concentrated on a group of customers
// takes only tickets from that group, and flagged fragments of one incident — same group, similar words — are one.
public sealed partial class TriageEngine
{
    // The concentrations a flagged pattern's membership is gated on: those that cover most of it, on attributes that
    // describe who the customer is (not a time window around a change: "server changed in the last 24 h" expires
    // while the incident goes on).
    private IReadOnlyList<Concentration> Gates(int patternId)
    {
        if (!Options.GateMembership || !_flagged.Contains(patternId) || !_tracks.TryGetValue(patternId, out var track) || track.Dismissed)
        {
            return [];
        }

        var gates = track.Concentrations.Where(c => c.ShareInside >= Options.GateMinShare && !Options.UngatedKeys.Contains(c.Key)).ToList();

        // On one attribute, the value that covers most of the pattern: "perl-cgi" (88%) beside "perl-cgi or frontpage"
        // (100%) would refuse the incident's own frontpage tickets, and they would become a second incident.
        if (Options.GateOnWidestValue)
        {
            gates = gates.Where(g => !gates.Any(h => h.Key == g.Key && h.ShareInside > g.ShareInside)).ToList();
        }

        return Options.GateOnChangeTargets && track.LikelyChange is { } link ? [.. gates.Select(g => WidenedToChange(g, link))] : gates;
    }

    // A gate on some of the places a change was made widens to all of them: the targets of the batches of the linked
    // rollout that have started by now, or of the one linked change. The first servers to write are a sample of where
    // the change went. Gated on them, the PHP rollout's incident refused the next batch's tickets: they became
    // fragments gated on other servers, which no fold could join (recall 0.46 in three patterns). Gated on the
    // datacenter its first batches were in, it refused the next batch's datacenter the same way.
    private Concentration WidenedToChange(Concentration gate, ChangeLink link)
    {
        var changes = link.Series is { } series ? BatchesOf(series).Where(c => c.Start <= Clock) : [link.Change];
        var targets = changes.SelectMany(c => TargetValues(c, gate.Key))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var values = gate.Value.Split(ValueSetConcentration.Separator);
        return targets.Count > values.Length && values.All(v => targets.Contains(v, StringComparer.Ordinal))
            ? gate with { Value = string.Join(ValueSetConcentration.Separator, targets) }
            : gate;
    }

    // Asked by the clusterer of each candidate pattern: a gated pattern refuses a ticket outside its group (an
    // everyday sign-in ticket from a gmail customer is not the Microsoft-mailbox incident, however alike the words).
    private Func<int, bool>? Admission(IReadOnlyDictionary<string, string> attributes)
    {
        if (!Options.GateMembership || _flagged.Count == 0)
        {
            return null;
        }

        return candidate => Gates(candidate).All(g => g.Matches(attributes));
    }

    // The gated incident a ticket belongs to by who wrote it and how (EngineOptions.JoinGatedIncidents): one whose
    // group it is in, worded like it at the base rate's cosine; the nearest such, or null.
    private int? GatedIncidentOf(ClusterItem item, IReadOnlyDictionary<string, string> attributes)
    {
        if (!Options.JoinGatedIncidents || !Options.GateMembership || _flagged.Count == 0)
        {
            return null;
        }

        SimilarityBaseRate.Centroid? ticket = null;
        (int? Pattern, double Cosine) best = (null, 0);
        foreach (var f in _flagged.Order())
        {
            if (!_detector.IsLive(f) || !_tracks.TryGetValue(f, out var track) || track.Dismissed ||
                Gates(f) is not { Count: > 0 } gates || !gates.All(g => g.Matches(attributes)))
            {
                continue;
            }

            ticket ??= SimilarityBaseRate.Centroid.Of([item]);
            var cosine = SimilarityBaseRate.CentroidCosine(ticket, track.YoungCentroid());
            if (cosine >= Options.BaseRateSimilarity && cosine > best.Cosine)
            {
                best = (f, cosine);
            }
        }

        return best.Pattern;
    }

    // The merge pass's veto: a gated pattern does not merge with one mostly outside its group (an everyday topic
    // worded like the incident); a fragment with a stray ticket or two still folds in. And an incident does not merge
    // with a pattern that was already going before it began (IncidentMeetsOlder).
    private Func<int, int, bool>? MayMerge()
    {
        if (_flagged.Count == 0)
        {
            return null;
        }

        return (a, b) => (!Options.GateMembership || (HoldsGroup(b, Gates(a), MostlyInside) && HoldsGroup(a, Gates(b), MostlyInside)))
            && !IncidentMeetsOlder(a, b) && !IncidentMeetsOlder(b, a);
    }

    // A flagged pattern and an established one (past young) whose first ticket came a burst window or more before the
    // flagged one's onset: an everyday topic worded like the incident, or yesterday's incident. Merged, the incident
    // would take the older pattern's onset — and with it the change it is linked to — and its everyday tickets (the
    // routing-database failure on Webmail seed 2 folded into a login pattern flagged the day before: purity 0.61,
    // change lost). Young patterns may be its fragments — a slow burn's start hours apart — and still merge; so do
    // established ones gated on the same group as the incident.
    private bool IncidentMeetsOlder(int incident, int other)
    {
        if (!Options.KeepIncidentsApart || !_flagged.Contains(incident) ||
            !_tracks.TryGetValue(incident, out var flagged) || !_tracks.TryGetValue(other, out var older) ||
            older.FirstSeenTicks >= flagged.OnsetTicks - Options.BurstWindow.Ticks || older.Count <= Options.YoungMaxTickets)
        {
            return false;
        }

        var (mine, theirs) = (Gates(incident), Gates(other));
        var sameGroup = mine.Count > 0 && theirs.Count > 0 && HoldsGroup(other, mine) && HoldsGroup(incident, theirs);
        return !sameGroup;
    }

    private const double MostlyInside = 0.5;

    // Flagged patterns that are fragments of one incident: they hold one group (OneGroup) and their centroids are as
    // close as tickets of one kind (BaseRateSimilarity; at the looser NeighbourSimilarity the two incidents on one
    // server still folded). A slow burn's tickets come hours apart and worded many ways, so they start patterns that
    // are flagged one by one; sharing the concentration (not just the words) is what ties them, and text alone would
    // fold everyday topics near the incident. The earlier flag survives: it is the incident's detection and onset.
    private void FoldFlaggedFragments(int patternId, DateTimeOffset now)
    {
        if (!Options.FoldFlaggedFragments || !_detector.IsLive(patternId) || Gates(patternId).Count == 0)
        {
            return;
        }

        foreach (var other in _flagged.Order().ToList())
        {
            var (a, b) = (_detector.Resolve(patternId), _detector.Resolve(other));
            if (a == b || !_detector.IsLive(b) || FoldCosineIfOne(a, b) is not { } cosine)
            {
                continue;
            }

            var (into, from) = FlaggedFirst(a, b) ? (a, b) : (b, a);
            if (Options.FoldIntoNearest && NearerFold(from, into, cosine))
            {
                continue;
            }

            _detector.Merge(from, into);
            Absorb(from, into, now);
            AssessSignals(into, now, onSchedule: false);
        }
    }

    // The fold cosine of two flagged patterns that are fragments of one incident, or null when they are not.
    private double? FoldCosineIfOne(int a, int b)
    {
        var cosine = new Lazy<double>(() => FoldCosine(a, b));
        var (into, from) = FlaggedFirst(a, b) ? (a, b) : (b, a);
        return !OneGroup(a, b, cosine) || cosine.Value < Options.BaseRateSimilarity ||
            Options.FoldOnlyWhileGoing && WentQuietBefore(into, from) && cosine.Value < Options.Patterns.MergeThreshold
            ? null : cosine.Value;
    }

    // Whether another flagged pattern that the fragment could fold into is worded more like it than the one it was
    // about to fold into: the flags are tried oldest first, and an oldest that merely qualifies (an outage on the
    // server, 0.45) took the restore fragments nearer a restore incident there (0.66) on NameHero seed 3.
    private bool NearerFold(int from, int into, double cosine) =>
        _flagged.Select(_detector.Resolve).Distinct().Any(f =>
            f != from && f != into && _detector.IsLive(f) && _tracks.ContainsKey(f) && FoldCosineIfOne(from, f) is { } nearer && nearer > cosine);

    // How alike two flagged patterns' words are, for a fold: their current wording (the last 20 members), and with
    // FoldOnWholeWording no more than their whole kept wording (the last 256). A large incident's last 20 members may
    // be a wrong fold — a restore fragment on the server of an outage, gated on that server alone — and then every
    // next fragment of the other failure is near that wording: on NameHero seed 7 one wrong fold drew in five more.
    private double FoldCosine(int a, int b)
    {
        var (first, second) = (_tracks[a], _tracks[b]);
        var current = SimilarityBaseRate.CentroidCosine(first.YoungCentroid(), second.YoungCentroid());
        return Options.FoldOnWholeWording
            ? Math.Min(current, SimilarityBaseRate.CentroidCosine(first.LastItems(Options.MemberVectorsKept), second.LastItems(Options.MemberVectorsKept)))
            : current;
    }

    // Whether two flagged patterns (the first gated) are fragments of one group:
    // - each holds the other's group;
    // - or the second is too small for any concentration to reach significance (a fragment of one or two tickets,
    //   flagged by the burst it is part of) and holds the first's. The cert slow burn's first fragments were flagged
    //   hours before the body of the incident and never folded: its onset moved past the change's look-back and the
    //   change went unnamed. A pattern of several tickets without a concentration still does not fold: that merged
    //   Smiling Peanut's mailing-list incident into the files-missing one on the same server (docs/benchmarks.md);
    // - or both are gated on the same kinds of attribute, one's group within the other's, and their words are as
    //   alike as the merge pass would join: a small sample sharpens a range (NameHero's restores for usernames a–b,
    //   split into fragments gated on "b" and on "a–b" at cosine 0.9). An incident on a server and another on that
    //   server for some usernames are gated on different kinds and stay apart;
    // - or they are siblings — the same kinds, the same values on all of them but one — as alike as the merge pass
    //   would join, and both still going: neither holds the other's group, yet they are parts of one. WestHost's
    //   batch-3 scripts, broken on three servers, flagged as fragments gated on one server each (seed 4: five
    //   fragments, recall 0.42); NameHero's restores split into "usernames a" and "usernames b".
    private bool OneGroup(int a, int b, Lazy<double> cosine)
    {
        var (mine, theirs) = (Gates(a), Gates(b));
        if (theirs.Count == 0)
        {
            return mine.Count > 0 && TooSmallToConcentrate(b) && HoldsGroup(b, mine);
        }

        var (bHolds, aHolds) = (HoldsGroup(b, mine), HoldsGroup(a, theirs));
        var (myKinds, theirKinds) = (Essential(mine), Essential(theirs));
        return (bHolds && aHolds) ||
            ((bHolds || aHolds) && SameKinds(myKinds, theirKinds) && cosine.Value >= Options.Patterns.MergeThreshold) ||
            (Options.FoldSiblingGroups && Siblings(myKinds, theirKinds) && cosine.Value >= Options.Patterns.MergeThreshold &&
                !WentQuietBefore(a, b) && !WentQuietBefore(b, a));
    }

    // The gates that say which group a pattern is (KindsWithoutImpliedGates): without those another of its gates
    // implies — a datacenter beside a server in it — unless they imply each other (then neither says more).
    private IReadOnlyList<Concentration> Essential(IReadOnlyList<Concentration> gates) =>
        !Options.KindsWithoutImpliedGates || gates.Count < 2
            ? gates
            : [.. gates.Where(g => !gates.Any(h => h.Key != g.Key && Implies(h, g) && !Implies(g, h)))];

    // Whether every value of one gate implies a value the other gate admits, as learned from the tickets.
    private bool Implies(Concentration gate, Concentration other)
    {
        var values = gate.Value.Split(ValueSetConcentration.Separator);
        var implied = _implied.Of(other.Key, new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { [gate.Key] = values });
        var admitted = other.Value.Split(ValueSetConcentration.Separator);
        return implied.Count == values.Length && implied.All(v => admitted.Contains(v, StringComparer.Ordinal));
    }

    // Gated on the same kinds of attribute, with the same values on all of them but one: two parts of one wider group.
    private static bool Siblings(IReadOnlyList<Concentration> a, IReadOnlyList<Concentration> b) =>
        SameKinds(a, b) && a.Where(g => !b.Any(h => h.Key == g.Key && h.Value == g.Value)).Select(g => g.Key).Distinct().Count() == 1;

    private static bool SameKinds(IReadOnlyList<Concentration> a, IReadOnlyList<Concentration> b) =>
        a.Select(g => g.Key).ToHashSet(StringComparer.Ordinal).SetEquals(b.Select(g => g.Key));

    private bool TooSmallToConcentrate(int patternId) => _tracks[patternId].Count < Options.Concentration.MinSupport;

    // An incident that took no ticket since a burst window before the other pattern's first is over: a burst beside it
    // on the same group that is merely related (cosine under the merge threshold) is a second failure — Smiling
    // Peanut's mailing lists, broken by the migration the morning after the upgrade lost the files, on the same server
    // (0.49) — not a fragment of a slow burn that is still going. One as alike as the merge pass would join is the
    // same failure back after a lull (NameHero's restores, 0.94 after three quiet hours; WestHost's next batch, 0.6–0.8).
    private bool WentQuietBefore(int first, int later) =>
        _tracks[first].LastTicks < _tracks[later].FirstSeenTicks - Options.BurstWindow.Ticks;

    private bool FlaggedFirst(int a, int b) => (_tracks[a].FlagSeq ?? long.MaxValue) <= (_tracks[b].FlagSeq ?? long.MaxValue);

    // Whether the pattern's recent members carry the gates' values, at the share given (by default the share a gate needs).
    private bool HoldsGroup(int patternId, IReadOnlyList<Concentration> gates) => HoldsGroup(patternId, gates, Options.GateMinShare);

    private bool HoldsGroup(int patternId, IReadOnlyList<Concentration> gates, double share)
    {
        if (gates.Count == 0)
        {
            return true;
        }

        if (!_tracks.TryGetValue(patternId, out var track))
        {
            return false;
        }

        var members = track.Recent.Where(m => _recent.Contains(m.Seq)).Select(m => _recent.AttributesOf(m.Seq)).ToList();
        return members.Count > 0 && gates.All(g => members.Count(g.Matches) >= share * members.Count);
    }
}
