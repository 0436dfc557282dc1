namespace TicketTriage.ML.Clustering;

// A pattern's grace of silence: fixed, or following its pace (its own, its incident's), and counted by the clock or
// in the stream's time.
public sealed partial class PatternDetector
{
    private readonly HashSet<int> _paced = [];
    private readonly HashSet<int> _streamTimed = [];

    // Mean gaps between the tickets like a paced pattern, wherever they went (SetIncidentPace), in ticks.
    private readonly Dictionary<int, long> _incidentGaps = [];

    // The everyday stream: tickets assigned to patterns not following their pace (no incident's), and when the first
    // came. Its mean rate converts a pattern's silence into the stream's time (StreamSilenceMinTickets); a surge's own
    // tickets, in its flagged patterns, do not make every later hour look slow.
    private long _everyday;
    private long _streamStartTicks = long.MaxValue;

    /// <summary>
    /// From now on <paramref name="patternId"/>'s grace of silence follows its own pace (<see cref="PatternDetectorOptions.PaceGaps"/>):
    /// the engine asks it for a pattern it flagged, so a slow incident stays one pattern. Everyday topics are slow
    /// too, but they keep the fixed grace, which splits them where they go quiet and keeps incidents out of them.
    /// Not saved with the state: the engine asks again for its flagged patterns after a restore.
    /// </summary>
    public void FollowPace(int patternId) => _paced.Add(patternId);

    /// <summary>
    /// Whether a paced pattern's silence is also counted in the stream's time (<see cref="PatternDetectorOptions.StreamSilenceMinTickets"/>):
    /// the engine asks it for a flagged pattern concentrated on a group of customers, whose quiet nights are its
    /// customers' nights. Not for a flagged pattern with no group (a burst of an everyday topic, a false alarm): in
    /// the stream's time an everyday topic never goes quiet, and it would stay open for good and take in every later
    /// incident worded like it. Not saved with the state: the engine asks again after a restore.
    /// </summary>
    public void CountSilenceInStreamTime(int patternId, bool count)
    {
        if (count) _streamTimed.Add(patternId);
        else _streamTimed.Remove(patternId);
    }

    /// <summary>
    /// The pace of the incident a paced pattern is part of, when it is slower than the pattern's own: the mean gap
    /// between the tickets like it, counted by the caller over every pattern they went to. A slow burn's flagged
    /// fragment holds a few tickets minutes apart while its incident's tickets come an hour apart; its grace follows
    /// the slower of the two. <see cref="TimeSpan.Zero"/> forgets it. Saved with the state (format 4): counted again only
    /// when the pattern next takes a ticket, a fragment whose incident's tickets all went elsewhere after a restore
    /// closed on its own pace (the PHP rollout's php.ini incident, StreamDeterminismTests).
    /// </summary>
    public void SetIncidentPace(int patternId, TimeSpan meanGap)
    {
        if (meanGap > TimeSpan.Zero) _incidentGaps[patternId] = meanGap.Ticks;
        else _incidentGaps.Remove(patternId);
    }

    // The grace of silence a pattern gets: the fixed one, or a few of its own (or its incident's) mean gaps once it
    // follows its pace.
    private long Grace(PatternState p)
    {
        if (p.Size < 3 || Options.PaceGaps <= 0 || !_paced.Contains(p.Id))
        {
            return Options.GapGrace.Ticks;
        }

        var gap = Math.Max((p.LastSeenTicks - p.FirstSeenTicks) / (p.Size - 1), _incidentGaps.GetValueOrDefault(p.Id));
        return Math.Max(Options.GapGrace.Ticks, (long)(Options.PaceGaps * gap));
    }

    private float TimePenalty(PatternState p, long ticks)
    {
        var excess = Silence(p, ticks) - Grace(p);
        if (excess <= 0) return 0;
        return Options.TimeGapWeight * (float)(1 - Math.Exp(-(double)excess / Options.GapScale.Ticks));
    }

    // How long a pattern has been silent: the clock's time since its last ticket, or for an established paced pattern
    // the engine asked it for (CountSilenceInStreamTime) the stream's, when shorter (StreamSilenceMinTickets): the
    // everyday tickets taken since, at their mean rate.
    private long Silence(PatternState p, long ticks)
    {
        var clock = ticks - p.LastSeenTicks;
        var minTickets = Options.StreamSilenceMinTickets;
        var streamTimed = minTickets > 0 && p.Size >= minTickets && _paced.Contains(p.Id) && _streamTimed.Contains(p.Id);
        if (!streamTimed || ticks <= _streamStartTicks || _everyday == 0)
        {
            return clock;
        }

        var ticksPerTicket = (double)(ticks - _streamStartTicks) / _everyday;
        return Math.Min(clock, (long)((_everyday - p.LastSeenEveryday) * ticksPerTicket));
    }
}
