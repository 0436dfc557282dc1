using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Engine;

// The customers of recent traffic, as the reference of the burst tests' profile evidence (EngineOptions.Profile).
public sealed partial class TriageEngine
{
    private AttributeBaseline? _profileReference;
    private long _profileReferenceTicks = long.MinValue;

    // What the joint burst tests are given: the profile options and, on demand, the reference.
    private (ProfileEvidenceOptions Options, Func<AttributeBaseline> Reference)? ProfileTest(DateTimeOffset now) =>
        Options.Profile is { } profile ? (profile, () => ProfileReference(now)) : null;

    // Every recent ticket of the reference window, its profile keys only; rebuilt at most once per housekeeping
    // interval (customer profiles drift slowly, and the burst's own few tickets change the shares by next to nothing).
    // Not saved with the state: it is rebuilt from the recent tickets, which are.
    private AttributeBaseline ProfileReference(DateTimeOffset now)
    {
        if (_profileReference is not null && now.UtcTicks - _profileReferenceTicks < Options.HousekeepingEvery.Ticks)
        {
            return _profileReference;
        }

        var keys = Options.Profile?.Keys.ToHashSet(StringComparer.Ordinal) ?? [];
        var from = now.UtcTicks - Options.ReferenceWindow.Ticks;
        var reference = new AttributeBaseline();
        for (var seq = _recent.FirstSeq; seq < _recent.NextSeq; seq++)
        {
            if (_recent.TicksOf(seq) >= from)
            {
                reference.Add(_recent.PairsOf(seq).Where(kv => keys.Contains(kv.Key)));
            }
        }

        (_profileReference, _profileReferenceTicks) = (reference, now.UtcTicks);
        return reference;
    }
}
