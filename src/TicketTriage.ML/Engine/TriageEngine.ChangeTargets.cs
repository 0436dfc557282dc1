using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Engine;

// Which change a ticket came from (EngineOptions.ChangeTargetBurst): the derived attribute changeTarget, tested by
// the joint burst test like a server or a datacenter — an upgrade's incident lives on the upgrade's targets.
public sealed partial class TriageEngine
{
    // The changes by start, latest last: a ticket looks back only over the changes of the look-back, newest first.
    // Rebuilt when a change arrives (rarely, against tickets by the thousand).
    private ChangeEvent[]? _changesByStart;

    // The batches of each rollout. A gate widened to a rollout's places (GateOnChangeTargets) is asked for on every
    // candidate pattern of every ticket, and a year's change feed holds thousands of changes. Rebuilt with the above.
    private Dictionary<string, ChangeEvent[]>? _batchesOf;

    private ChangeEvent[] BatchesOf(string series) =>
        (_batchesOf ??= _changes.Values.Where(c => c.Series is not null).GroupBy(c => c.Series!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal)).GetValueOrDefault(series) ?? [];

    // The change (its rollout, when it is a batch of one) whose targets hold this ticket, started within the look-back
    // before it; the latest such. A change learned later tags the ticket then (TagLateTickets).
    private void TagChangeTarget(Dictionary<string, string> derived, DateTimeOffset now)
    {
        if (!Options.ChangeTargetBurst || _changes.Count == 0)
        {
            return;
        }

        _changesByStart ??= [.. _changes.Values.OrderBy(c => c.Start).ThenBy(c => c.Id, StringComparer.Ordinal)];
        var earliest = now - TimeSpan.FromHours(Options.Change.MaxLagHours);
        for (var i = _changesByStart.Length - 1; i >= 0 && _changesByStart[i].Start >= earliest; i--)
        {
            var change = _changesByStart[i];
            if (change.Start <= now && Holds(change, derived))
            {
                derived[AttributeKeys.ChangeTarget] = change.Series ?? change.Id;
                return;
            }
        }
    }

    // What the values of the keys changes target imply of the other keys (a server's datacenter), for gates on a key a
    // change does not name (WidenedToChange). Saved with the state (format 5).
    private readonly ImpliedValues _implied = new();
    private HashSet<string>? _targetKeys;

    private void LearnImplied(IReadOnlyDictionary<string, string> derived)
    {
        if (!Options.GateOnChangeTargets || _changes.Count == 0)
        {
            return;
        }

        _targetKeys ??= _changes.Values.SelectMany(c => c.Targets.Keys).ToHashSet(StringComparer.Ordinal);
        _implied.Observe(derived, _targetKeys);
    }

    // The values of key a change's targets hold: those it names, or those its targets imply.
    private IEnumerable<string> TargetValues(ChangeEvent change, string key) =>
        change.Targets.TryGetValue(key, out var values) ? values : _implied.Of(key, change.Targets);

    private static bool Holds(ChangeEvent change, IReadOnlyDictionary<string, string> attributes) =>
        change.Targets.Any(t => attributes.TryGetValue(t.Key, out var v) && t.Value.Contains(v, StringComparer.Ordinal));

    // A change learned after tickets that came from its targets (a change feed that lags): tag them now, as if it had
    // been known — a ticket's change is a fact of when it was written, not of when the engine heard of the change.
    private void TagLateTickets(ChangeEvent change)
    {
        var value = change.Series ?? change.Id;
        var (from, until) = (change.Start.UtcTicks, (change.Start + TimeSpan.FromHours(Options.Change.MaxLagHours)).UtcTicks);
        for (var seq = _recent.NextSeq - 1; seq >= _recent.FirstSeq && _recent.TicksOf(seq) >= from; seq--)
        {
            var ticks = _recent.TicksOf(seq);
            var attributes = _recent.AttributesOf(seq);
            if (ticks > until || !Holds(change, attributes))
            {
                continue;
            }

            var current = attributes.GetValueOrDefault(AttributeKeys.ChangeTarget);
            if (current == value || (current is not null && TaggedStart(current, ticks) > change.Start))
            {
                continue; // already its, or a later change's
            }

            _recent.SetAttribute(seq, AttributeKeys.ChangeTarget, value);
            if (!AlreadyFlagged(seq))
            {
                _concentrated.Retag(new DateTimeOffset(ticks, TimeSpan.Zero), AttributeKeys.ChangeTarget, current, value);
            }
        }
    }

    /// <summary>The change (or rollout) a kept ticket is tagged with — its order number in the stream — or null.</summary>
    internal string? ChangeTargetOf(long seq) =>
        _recent.Contains(seq) ? _recent.AttributesOf(seq).GetValueOrDefault(AttributeKeys.ChangeTarget) : null;

    // When the change (or the latest batch of the rollout) a ticket is tagged with started, as of the ticket.
    private DateTimeOffset TaggedStart(string tag, long ticketTicks) =>
        _changes.Values.Where(c => (c.Series ?? c.Id) == tag && c.Start.UtcTicks <= ticketTicks).Select(c => c.Start).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
}
