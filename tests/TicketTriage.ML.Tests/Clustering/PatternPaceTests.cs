using TicketTriage.ML.Clustering;

namespace TicketTriage.ML.Tests.Clustering;

/// <summary>A flagged pattern's grace of silence follows its own pace, so a slow incident stays one pattern.</summary>
public sealed class PatternPaceTests
{
    private static readonly DateTimeOffset T0 = new(2024, 10, 11, 8, 0, 0, TimeSpan.Zero);
    private static readonly string[] Words = ["certificate", "expired", "renewal", "not", "secure", "warning", "autossl", "chrome", "browser", "shop"];

    // Each word its own feature, weight 1: a text sharing 8 of these 10 words has cosine 0.8 with them.
    private static PatternAssignment Assign(PatternDetector detector, int id, DateTimeOffset at, string[] words)
    {
        var indices = words.Select(w => Array.IndexOf(Words, w) is var i and >= 0 ? i : 100 + w.Length).ToArray();
        return detector.Assign(id.ToString(System.Globalization.CultureInfo.InvariantCulture), indices, indices.Select(_ => 1f).ToArray(), at);
    }

    private static (int First, int Late) Replay(bool followPace)
    {
        var detector = new PatternDetector();
        var first = Assign(detector, 0, T0, Words).PatternId;
        for (var i = 1; i < 4; i++)
        {
            Assign(detector, i, T0.AddMinutes(40 * i), Words); // a ticket every 40 minutes
        }

        if (followPace)
        {
            detector.FollowPace(first);
        }

        // 110 minutes of silence, then a ticket worded a little differently.
        var late = Assign(detector, 4, T0.AddMinutes(120 + 110), [.. Words.Take(8), "ssl", "padlock"]);
        return (first, late.PatternId);
    }

    [Fact]
    public void A_flagged_slow_pattern_takes_in_a_ticket_after_a_silence_of_a_few_of_its_gaps()
    {
        var (first, late) = Replay(followPace: true);
        Assert.Equal(first, late);
    }

    // A flagged fragment of three tickets ten minutes apart: its own pace closes it after 30 minutes of silence. Its
    // incident's tickets, spread over other patterns, come an hour apart; told so, it waits three hours.
    private static (int First, int Late) Fragment(TimeSpan? incidentGap)
    {
        var detector = new PatternDetector();
        var first = Assign(detector, 0, T0, Words).PatternId;
        Assign(detector, 1, T0.AddMinutes(10), Words);
        Assign(detector, 2, T0.AddMinutes(20), Words);
        detector.FollowPace(first);
        if (incidentGap is { } gap)
        {
            detector.SetIncidentPace(first, gap);
        }

        var late = Assign(detector, 3, T0.AddMinutes(20 + 150), [.. Words.Take(8), "ssl", "padlock"]);
        return (first, late.PatternId);
    }

    [Fact]
    public void A_flagged_fragment_told_its_incidents_pace_waits_that_long()
    {
        var (first, late) = Fragment(TimeSpan.FromHours(1));
        Assert.Equal(first, late);
    }

    [Fact]
    public void A_flagged_fragment_on_its_own_pace_or_with_its_incident_pace_forgotten_is_closed_by_the_silence()
    {
        var (first, late) = Fragment(incidentGap: null);
        Assert.NotEqual(first, late);
        (first, late) = Fragment(TimeSpan.Zero);
        Assert.NotEqual(first, late);
    }

    [Fact]
    public void An_unflagged_pattern_keeps_the_fixed_grace_and_the_ticket_starts_a_new_pattern()
    {
        var (first, late) = Replay(followPace: false);
        Assert.NotEqual(first, late);
    }

    // A day of an incident's tickets (one every 30 min, 08:00–17:30) among everyday ones (one a minute), then a night
    // of two everyday tickets an hour, and at 07:00 the incident's next ticket: 13.5 h after its last by the clock, two
    // hours of the stream's time at its mean rate (55 tickets since, 27 an hour). Optionally saved and restored at
    // night. The engine asks for stream time for a flagged pattern with a group (streamTime), not for one without.
    private static (int Incident, int Morning) OvernightSilence(int streamSilenceMinTickets, bool restoreInTheNight = false, bool streamTime = true)
    {
        var detector = new PatternDetector(new PatternDetectorOptions { StreamSilenceMinTickets = streamSilenceMinTickets });
        var everyday = Enumerable.Range(200, 8).ToArray();
        var id = 0;
        void Everyday(DateTimeOffset at) => detector.Assign($"e{id++}", everyday, everyday.Select(_ => 1f).ToArray(), at);

        var incident = Assign(detector, id++, T0, Words).PatternId;
        for (var minute = 1; minute < 600; minute++)
        {
            if (minute % 30 == 0 && minute < 600 - 29)
            {
                Assign(detector, id++, T0.AddMinutes(minute), Words);
            }
            else
            {
                Everyday(T0.AddMinutes(minute));
            }
        }

        detector.FollowPace(incident);
        detector.CountSilenceInStreamTime(incident, streamTime);
        for (var hour = 10; hour < 23; hour++)
        {
            Everyday(T0.AddHours(hour).AddMinutes(10));
            Everyday(T0.AddHours(hour).AddMinutes(40));
            if (restoreInTheNight && hour == 16)
            {
                using var state = new MemoryStream();
                detector.Save(state);
                state.Position = 0;
                detector = PatternDetector.Load(state, o => o with { StreamSilenceMinTickets = streamSilenceMinTickets });
                detector.FollowPace(incident); // not saved: the engine asks again for its flagged patterns
                detector.CountSilenceInStreamTime(incident, streamTime);
            }
        }

        var morning = Assign(detector, id, T0.AddHours(23), [.. Words.Take(8), "ssl", "padlock"]);
        return (incident, morning.PatternId);
    }

    [Fact]
    public void An_established_flagged_pattern_counts_a_nights_silence_in_the_streams_time_and_takes_the_mornings_ticket()
    {
        var (incident, morning) = OvernightSilence(streamSilenceMinTickets: 20);
        Assert.Equal(incident, morning);
    }

    [Fact]
    public void By_the_clock_alone_below_the_size_that_counts_stream_time_or_not_asked_the_night_closes_the_pattern()
    {
        var (incident, morning) = OvernightSilence(streamSilenceMinTickets: 0);
        Assert.NotEqual(incident, morning);
        (incident, morning) = OvernightSilence(streamSilenceMinTickets: 50); // the incident holds 20 tickets
        Assert.NotEqual(incident, morning);
        (incident, morning) = OvernightSilence(streamSilenceMinTickets: 20, streamTime: false);
        Assert.NotEqual(incident, morning);
    }

    [Fact]
    public void A_restored_detector_counts_the_silence_from_the_same_place_in_the_stream()
    {
        var (incident, morning) = OvernightSilence(streamSilenceMinTickets: 20, restoreInTheNight: true);
        Assert.Equal(incident, morning);
    }
}
