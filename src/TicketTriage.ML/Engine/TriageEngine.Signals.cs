using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Engine;

// Concentrations and the likely change: computed when a pattern becomes emerging, re-assessed as it grows
// (throttled), and again when a change arrives that could explain it.
public sealed partial class TriageEngine
{
    /// <summary>
    /// Records a change (deploy, upgrade, config push, maintenance). Idempotent by <see cref="ChangeEvent.Id"/>: a
    /// change sent again replaces the earlier one (e.g. now with its end). It may arrive before or after the tickets
    /// it explains; flagged patterns it could explain are re-assessed at once. Returns what that changed.
    /// </summary>
    public IReadOnlyList<EngineEvent> AddChange(ChangeEvent change)
    {
        ArgumentNullException.ThrowIfNull(change);
        _events = [];
        if (_changes.TryGetValue(change.Id, out var existing) && SameChange(existing, change))
        {
            return _events; // sent again (a replay, the app re-reading its changes at start-up): nothing happened
        }

        _changes[change.Id] = change;
        (_changesByStart, _batchesOf, _targetKeys) = (null, null, null);
        _concentrated.AddKeys(change.Targets.Keys.Where(k => !TicketAttributes.Identifying.Contains(k)));
        if (Options.ChangeTargetBurst && change.Targets.Count > 0)
        {
            _concentrated.AddKeys([AttributeKeys.ChangeTarget]);
            TagLateTickets(change);
        }

        var at = _lastTicks == long.MinValue ? change.Start : new DateTimeOffset(_lastTicks, TimeSpan.Zero);
        var maxLag = TimeSpan.FromHours(Options.Change.MaxLagHours).Ticks;
        foreach (var id in _flagged.Order().ToList())
        {
            var onset = Track(id).OnsetTicks;
            if (change.Start.UtcTicks <= onset && onset - change.Start.UtcTicks <= maxLag)
            {
                // Off the growth schedule: when a change arrives must not move the sizes at which the pattern is
                // re-assessed later, or its final signals would depend on the moment the app learned of the change.
                AssessSignals(id, at, onSchedule: false);
            }
        }

        return _events;
    }

    /// <summary>The changes known, oldest first.</summary>
    public IReadOnlyList<ChangeEvent> Changes => _changes.Values.OrderBy(c => c.Start).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();

    /// <summary>
    /// Computes a pattern's concentrations and likely change now, whatever its state (a scorer, a page asking for a
    /// pattern that is not emerging), stores them and returns the report.
    /// </summary>
    public PatternReport Assess(int patternId)
    {
        var id = Resolve(patternId);
        var at = _lastTicks == long.MinValue ? DateTimeOffset.UnixEpoch : new DateTimeOffset(_lastTicks, TimeSpan.Zero);
        _events = [];
        AssessSignals(id, at);
        return Describe(id);
    }

    private void MaybeReassessSignals(int patternId, DateTimeOffset now)
    {
        var track = Track(patternId);
        if (track.SignalsAtSize == 0 ||
            (track.Count >= track.SignalsAtSize * Options.SignalsGrowth && track.Count >= track.SignalsAtSize + Options.SignalsMinGrowth))
        {
            AssessSignals(patternId, now);
        }
    }

    // Against a reference: the tickets of the week before the pattern's onset, without the pattern's own and without
    // those of patterns flagged by then — ordinary traffic, not yesterday's incident, which on a small host would
    // otherwise make the broken server look normal.
    private void AssessSignals(int patternId, DateTimeOffset now, bool onSchedule = true)
    {
        var track = Track(patternId);
        var onset = track.OnsetTicks;
        var from = onset - Options.ReferenceWindow.Ticks;
        var members = new AttributeBaseline();
        var memberTickets = new List<KeyValuePair<string, string>[]>();
        var reference = new AttributeBaseline();
        var referenceTickets = new List<KeyValuePair<string, string>[]>();
        var flaggedBefore = _flagged.Where(f => _tracks.TryGetValue(f, out var t) && t.FlagSeq is not null && t.FlagTicks < onset).ToHashSet();
        for (var seq = _recent.FirstSeq; seq < _recent.NextSeq; seq++)
        {
            var pattern = _detector.Resolve(_recent.AssignedPattern(seq));
            if (pattern == patternId)
            {
                members.Add(_recent.PairsOf(seq));
                memberTickets.Add(_recent.PairsOf(seq));
                continue;
            }

            var ticks = _recent.TicksOf(seq);
            if (ticks >= from && ticks < onset && !flaggedBefore.Contains(pattern))
            {
                reference.Add(_recent.PairsOf(seq));
                referenceTickets.Add(_recent.PairsOf(seq));
            }
        }

        var concentrations = AttributeConcentration.Find(members, reference, Options.Concentration);
        if (Options.ValueSets is { } sets)
        {
            var found = ValueSetConcentration.Find(memberTickets, reference, sets);
            concentrations = [.. concentrations, .. found.Where(set => !RefinesAnother(set, concentrations, referenceTickets))];
        }

        var link = ChangeCorrelation.Link(new DateTimeOffset(onset, TimeSpan.Zero), members, reference, Changes, Options.Change, now, new TicketsOf(memberTickets, referenceTickets));
        var changed = !SameConcentrations(track.Concentrations, concentrations) || track.LikelyChange?.Change.Id != link?.Change.Id || track.LikelyChange?.Series != link?.Series;
        track.Concentrations = concentrations;
        track.LikelyChange = link;
        _detector.CountSilenceInStreamTime(patternId, Gates(patternId).Count > 0);
        if (onSchedule)
        {
            track.SignalsAtSize = track.Count;
        }

        if (changed)
        {
            _events.Add(new PatternSignalsChanged(patternId, now));
        }

        if (onSchedule)
        {
            FoldFlaggedFragments(patternId, now);
        }
    }

    // A set that only refines a coarser concentration the pattern carries at least as widely — six servers of the
    // datacenter the incident is in — says less than that one and would gate the pattern on part of its group. It
    // refines it when, in ordinary traffic, (nearly) every ticket with one of the set's values carries the coarser value.
    private static bool RefinesAnother(Concentration set, IReadOnlyList<Concentration> singles, List<KeyValuePair<string, string>[]> reference)
    {
        foreach (var coarse in singles.Where(c => c.Key != set.Key && c.ShareInside >= set.ShareInside))
        {
            int inSet = 0, inBoth = 0;
            foreach (var ticket in reference)
            {
                var attributes = new AttributeView(ticket);
                if (set.Matches(attributes))
                {
                    inSet++;
                    inBoth += coarse.Matches(attributes) ? 1 : 0;
                }
            }

            if (inSet > 0 && inBoth >= 0.95 * inSet)
            {
                return true;
            }
        }

        return false;
    }

    // Records compare dictionaries by reference: the same change read back from a database is a new object.
    private static bool SameChange(ChangeEvent a, ChangeEvent b) =>
        a.Id == b.Id && a.Title == b.Title && a.Kind == b.Kind && a.Start == b.Start && a.End == b.End && a.Series == b.Series
        && a.Targets.Count == b.Targets.Count
        && a.Targets.All(t => b.Targets.TryGetValue(t.Key, out var values) && values.SequenceEqual(t.Value, StringComparer.Ordinal));

    private static bool SameConcentrations(IReadOnlyList<Concentration> a, IReadOnlyList<Concentration> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Key == p.Second.Key && p.First.Value == p.Second.Value);
}
