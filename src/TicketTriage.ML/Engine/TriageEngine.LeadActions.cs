using System.Globalization;
using TicketTriage.ML.Clustering;
using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Engine;

/// <summary>What a lead decided about a pattern, as the engine takes it.</summary>
public enum PatternVerdict
{
    /// <summary>An incident: its tickets are not ordinary traffic (base rates, references) and its signals stay current.</summary>
    Confirmed,

    /// <summary>No incident: never flagged again, its tickets count as ordinary traffic.</summary>
    Dismissed,

    /// <summary>The incident is over: unflagged, so a recurrence is flagged (and announced) afresh.</summary>
    Resolved,
}

// The lead's corrections, fed back: verdicts, merges, tickets moved to another pattern or split out into a new one.
// Each returns the events it caused, so the caller writes the patterns it touched like any triage batch.
public sealed partial class TriageEngine
{
    /// <summary>Applies a lead's verdict on a pattern (resolved first).</summary>
    public IReadOnlyList<EngineEvent> SetVerdict(int patternId, PatternVerdict verdict)
    {
        _events = [];
        var id = Resolve(patternId);
        var track = Track(id);
        switch (verdict)
        {
            case PatternVerdict.Confirmed:
                track.Dismissed = false;
                _flagged.Add(id);
                AssessSignals(id, Clock);
                break;
            case PatternVerdict.Dismissed:
                Dismiss(id);
                break;
            case PatternVerdict.Resolved:
                track.Dismissed = false;
                _flagged.Remove(id);
                break;
        }

        _events.Add(new PatternSignalsChanged(id, Clock));
        return _events;
    }

    /// <summary>
    /// Moves tickets a lead says belong elsewhere from <paramref name="from"/> into <paramref name="into"/>, or — when
    /// <paramref name="into"/> is null — splits them out into a new pattern. The tickets must be the engine's (same ids
    /// and times as when triaged); those still in its windows are re-labelled there too, so the concentrations and
    /// base rates of both patterns follow. Returns the target id and the events (signals of both re-assessed).
    /// </summary>
    public (int Into, IReadOnlyList<EngineEvent> Events) MoveTickets(int from, int? into, IReadOnlyList<EngineTicket> tickets)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        _events = [];
        var source = Resolve(from);
        int? target = into is { } i ? Resolve(i) : null;
        if (target == source || tickets.Count == 0)
        {
            return (source, _events);
        }

        var members = new List<MovedMember>(tickets.Count);
        foreach (var ticket in tickets)
        {
            var derived = TicketAttributes.Derive(ticket.Attributes, ticket.Time);
            var clusterAttributes = derived.Where(kv => _clusterKeys.Contains(kv.Key)).ToDictionary(StringComparer.Ordinal);
            members.Add(new MovedMember(ticket.Id.ToString(CultureInfo.InvariantCulture), _featurizer.Featurize(ticket.Text, _detector.Terms),
                ticket.Time, clusterAttributes));
        }

        var moved = _detector.MoveMembers(source, target ?? -1, members);
        Relabel(source, moved, tickets);
        foreach (var id in new[] { source, moved })
        {
            if (_flagged.Contains(id))
            {
                AssessSignals(id, Clock);
            }

            _events.Add(new PatternSignalsChanged(id, Clock));
        }

        return (moved, _events);
    }

    /// <summary>Whether the engine ever made this pattern (a database restored without the engine's state may hold others).</summary>
    public bool Knows(long patternId) => patternId >= 0 && patternId < _detector.PatternCount;

    /// <summary>Tickets the engine has seen (for tests and the app's consistency checks).</summary>
    public int TrackedSize(int patternId) => _tracks.TryGetValue(Resolve(patternId), out var t) ? t.Count : 0;

    // The engine's own memory of the moved tickets: counts, member vectors, and the recent-ticket labels that
    // concentrations and base rates read. Tickets are found by arrival time among the source's (the recent window
    // holds no ticket ids); one already taken is not taken twice.
    private void Relabel(int from, int into, IReadOnlyList<EngineTicket> tickets)
    {
        var source = Track(from);
        var target = Track(into);
        var taken = new HashSet<long>();
        foreach (var ticket in tickets)
        {
            var ticks = ticket.Time.UtcTicks;
            source.Count = Math.Max(0, source.Count - 1);
            target.Count++;
            target.FirstSeenTicks = Math.Min(target.FirstSeenTicks, ticks);
            for (var seq = _recent.FirstSeq; seq < _recent.NextSeq; seq++)
            {
                if (_recent.TicksOf(seq) != ticks || taken.Contains(seq) || _detector.Resolve(_recent.AssignedPattern(seq)) != from)
                {
                    continue;
                }

                taken.Add(seq);
                _recent.Reassign(seq, into);
                var at = source.Recent.FindIndex(m => m.Seq == seq);
                if (at >= 0)
                {
                    var member = source.Recent[at];
                    source.Recent.RemoveAt(at);
                    var insert = target.Recent.FindIndex(m => m.Seq > seq);
                    target.Recent.Insert(insert < 0 ? target.Recent.Count : insert, member);
                }

                break;
            }
        }

        if (target.Recent.Count > Options.MemberVectorsKept)
        {
            target.Recent.RemoveRange(0, target.Recent.Count - Options.MemberVectorsKept);
        }
    }

    private DateTimeOffset Clock => _lastTicks == long.MinValue ? DateTimeOffset.UnixEpoch : new DateTimeOffset(_lastTicks, TimeSpan.Zero);
}
