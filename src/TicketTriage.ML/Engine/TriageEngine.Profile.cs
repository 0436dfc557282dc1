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

    // The tickets of the reference window before the current housekeeping interval began, their profile keys only:
    // rebuilt once per interval (customer profiles drift slowly). Anchored to the interval's start, not to the
    // moment it is first asked for, so it is a function of the stream alone: not saved with the state, it is rebuilt
    // from the recent tickets (which are) to the same counts, and a restored engine decides as the original would.
    private AttributeBaseline ProfileReference(DateTimeOffset now)
    {
        var interval = Math.Max(1, Options.HousekeepingEvery.Ticks);
        var anchor = now.UtcTicks - (now.UtcTicks % interval);
        if (_profileReference is not null && _profileReferenceTicks == anchor)
        {
            return _profileReference;
        }

        var keys = Options.Profile?.Keys.ToHashSet(StringComparer.Ordinal) ?? [];
        var from = anchor - Options.ReferenceWindow.Ticks;
        var reference = new AttributeBaseline();
        for (var seq = _recent.FirstSeq; seq < _recent.NextSeq; seq++)
        {
            var ticks = _recent.TicksOf(seq);
            if (ticks >= from && ticks < anchor)
            {
                reference.Add(_recent.PairsOf(seq).Where(kv => keys.Contains(kv.Key)));
            }
        }

        (_profileReference, _profileReferenceTicks) = (reference, anchor);
        return reference;
    }
}
