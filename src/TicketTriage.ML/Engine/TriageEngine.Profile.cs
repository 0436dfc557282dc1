using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Engine;

// The references of the joint burst test: the places of recent traffic (EngineOptions.PlaceUsualVolume) and its
// customers (the profile evidence, EngineOptions.Profile).
public sealed partial class TriageEngine
{
    private AttributeBaseline? _profileReference;
    private long _profileReferenceTicks = long.MinValue;

    // What the joint burst tests are given: the profile options and, on demand, the reference.
    private (ProfileEvidenceOptions Options, Func<AttributeBaseline> Reference)? ProfileTest(DateTimeOffset now) =>
        Options.Profile is { } profile ? (profile, () => ProfileReference(now)) : null;

    private AttributeBaseline? _placeReference;
    private long _placeReferenceTicks = long.MinValue;

    // The joint burst test (where a burst lives, and who wrote it) as the burst tests call it. Given the burst's own
    // arrival test (text), the whole stream is one more place: that test with who wrote it (ProfileEverywhere).
    private EmergenceAssessment JointBurst(IReadOnlyList<BurstTicket> burst, double share, DateTimeOffset now, EmergenceAssessment? text = null)
    {
        var profile = ProfileTest(now);
        var joint = _concentrated.Assess(burst, share, now, Options.Emergence, profile, UsualPlaceVolume(now));
        if (text is null || !Options.ProfileEverywhere)
        {
            return joint;
        }

        var everywhere = _concentrated.Everywhere(text, burst, Options.Emergence, profile);
        return everywhere.Score > joint.Score ? everywhere : joint;
    }

    // What each place usually brings (EngineOptions.PlaceUsualVolume), or null: places judged among their own tickets.
    private PlaceVolume? UsualPlaceVolume(DateTimeOffset now) =>
        Options.PlaceUsualVolume && _emergence.IsWarm(now) ? new PlaceVolume(_emergence.UsualTickets(now), PlaceReference(now)) : null;

    // Every ticket of the reference window before the current housekeeping interval began, by every attribute but
    // those naming a customer: each place's share of the traffic. Not the change a ticket is tagged with: tags start
    // at the change, so a week's share says nothing of the targets' traffic now (their bursts are judged among their
    // own tickets). Anchored and rebuilt like the profile reference below, for the same reason (a restored engine
    // decides as the original would).
    private AttributeBaseline PlaceReference(DateTimeOffset now)
    {
        var anchor = ReferenceAnchor(now);
        if (_placeReference is null || _placeReferenceTicks != anchor)
        {
            (_placeReference, _placeReferenceTicks) = (ReferenceBefore(anchor, IsPlaceKey), anchor);
        }

        return _placeReference;
    }

    private static bool IsPlaceKey(string key) => key != AttributeKeys.ChangeTarget && !TicketAttributes.Identifying.Contains(key);

    // The tickets of the reference window before the current housekeeping interval began, their profile keys only:
    // rebuilt once per interval (customer profiles drift slowly). Anchored to the interval's start, not to the
    // moment it is first asked for, so it is a function of the stream alone: not saved with the state, it is rebuilt
    // from the recent tickets (which are) to the same counts, and a restored engine decides as the original would.
    private AttributeBaseline ProfileReference(DateTimeOffset now)
    {
        var anchor = ReferenceAnchor(now);
        if (_profileReference is null || _profileReferenceTicks != anchor)
        {
            var keys = Options.Profile?.Keys.ToHashSet(StringComparer.Ordinal) ?? [];
            (_profileReference, _profileReferenceTicks) = (ReferenceBefore(anchor, keys.Contains), anchor);
        }

        return _profileReference;
    }

    // The start of the current housekeeping interval: the references above are rebuilt once per interval.
    private long ReferenceAnchor(DateTimeOffset now)
    {
        var interval = Math.Max(1, Options.HousekeepingEvery.Ticks);
        return now.UtcTicks - (now.UtcTicks % interval);
    }

    // The kept tickets of the reference window before the anchor, by the attributes kept.
    private AttributeBaseline ReferenceBefore(long anchor, Func<string, bool> keep)
    {
        var from = anchor - Options.ReferenceWindow.Ticks;
        var reference = new AttributeBaseline();
        for (var seq = _recent.FirstSeq; seq < _recent.NextSeq; seq++)
        {
            var ticks = _recent.TicksOf(seq);
            if (ticks >= from && ticks < anchor)
            {
                reference.Add(_recent.PairsOf(seq).Where(kv => keep(kv.Key)));
            }
        }

        return reference;
    }
}
