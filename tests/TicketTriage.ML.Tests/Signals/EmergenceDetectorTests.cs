using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Tests.Signals;

public sealed class EmergenceDetectorTests
{
    private static readonly DateTimeOffset Start = new(2024, 3, 4, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Steady traffic: 12 patterns of unequal share, Poisson arrivals following an office-hours rhythm.</summary>
    private static List<(DateTimeOffset At, long Pattern)> SteadyTraffic(int seed, double days, double perHour)
    {
        var random = new Random(seed);
        var shares = Enumerable.Range(1, 12).Select(i => 1.0 / i).ToArray();
        var total = shares.Sum();
        var arrivals = new List<(DateTimeOffset, long)>();
        var t = Start;
        var end = Start.AddDays(days);
        var peak = perHour * 2;
        while (true)
        {
            t = t.AddHours(-Math.Log(1 - random.NextDouble()) / peak);
            if (t >= end)
            {
                break;
            }

            var hour = t.UtcDateTime.TimeOfDay.TotalHours;
            var rate = perHour * (1 + 0.9 * Math.Sin((hour - 8) / 24 * 2 * Math.PI));
            if (random.NextDouble() * peak >= rate)
            {
                continue;
            }

            var x = random.NextDouble() * total;
            var pattern = 0;
            while ((x -= shares[pattern]) > 0)
            {
                pattern++;
            }

            arrivals.Add((t, pattern));
        }

        return arrivals;
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    public void Steady_poisson_traffic_raises_no_flag(int seed, bool usualVolume)
    {
        var detector = new EmergenceDetector(new EmergenceOptions(UsualVolume: usualVolume));
        var flags = SteadyTraffic(seed, days: 5, perHour: 30).Count(a => detector.Observe(a.Pattern, a.At).BecameEmerging);
        Assert.Equal(0, flags);
    }

    [Fact]
    public void A_planted_burst_of_a_new_pattern_is_flagged_within_five_tickets()
    {
        var detector = new EmergenceDetector();
        var traffic = SteadyTraffic(7, days: 2, perHour: 30);
        foreach (var (at, pattern) in traffic)
        {
            detector.Observe(pattern, at);
        }

        // Six tickets of a new pattern in ten minutes, mid-morning, while steady traffic goes on.
        var burstStart = traffic[^1].At.AddMinutes(1);
        int? flaggedAt = null;
        for (var k = 1; k <= 6; k++)
        {
            detector.Observe(k % 3, burstStart.AddMinutes(k * 2 - 1)); // ordinary tickets in between
            var assessment = detector.Observe(99, burstStart.AddMinutes(k * 2));
            if (assessment.BecameEmerging)
            {
                flaggedAt ??= k;
                Assert.Contains("tickets of the last", assessment.Evidence);
            }
        }

        Assert.NotNull(flaggedAt);
        Assert.True(flaggedAt <= 5, $"flagged at ticket {flaggedAt}");
        Assert.True(detector.IsEmerging(99));
    }

    [Fact]
    public void An_established_pattern_surging_tenfold_is_flagged()
    {
        var detector = new EmergenceDetector();
        var traffic = SteadyTraffic(11, days: 3, perHour: 30);
        foreach (var (at, pattern) in traffic)
        {
            detector.Observe(pattern, at);
        }

        // Pattern 11 held about 1/12 / H(12) ≈ 2.7% of traffic; now it takes 8 of the next 10 tickets.
        var t = traffic[^1].At;
        var flagged = false;
        for (var k = 0; k < 10; k++)
        {
            t = t.AddMinutes(1);
            flagged |= detector.Observe(k % 5 == 4 ? 0 : 11, t).BecameEmerging;
        }

        Assert.True(flagged);
    }

    [Fact]
    public void A_stream_busier_than_the_reference_raises_the_threshold_by_the_log_of_its_volume()
    {
        var traffic = SteadyTraffic(3, days: 3, perHour: 30);
        var now = traffic[^1].At;
        var perDay = traffic.Count / (now - traffic[0].At).TotalDays; // ~720: three days, all held

        double OffsetAt(double? reference)
        {
            var detector = new EmergenceDetector(new EmergenceOptions(ReferenceTicketsPerDay: reference));
            foreach (var (at, pattern) in traffic)
            {
                detector.Observe(pattern, at);
            }

            return detector.VolumeOffset(now);
        }

        Assert.Equal(Math.Log10(perDay / 240), OffsetAt(240), precision: 6); // three times the reference: +0.48
        Assert.Equal(0, OffsetAt(2000));                                     // quieter than the reference: never lowered
        Assert.Equal(0, OffsetAt(null));                                     // no reference: the threshold as given
    }

    [Fact]
    public void A_burst_flagged_at_the_reference_volume_needs_more_tickets_on_a_stream_ten_times_busier_than_it()
    {
        int? FlaggedAt(double? reference)
        {
            var detector = new EmergenceDetector(new EmergenceOptions(ReferenceTicketsPerDay: reference));
            var traffic = SteadyTraffic(7, days: 2, perHour: 30);
            foreach (var (at, pattern) in traffic)
            {
                detector.Observe(pattern, at);
            }

            var burstStart = traffic[^1].At.AddMinutes(1);
            for (var k = 1; k <= 12; k++)
            {
                detector.Observe(k % 3, burstStart.AddMinutes(k * 2 - 1));
                if (detector.Observe(99, burstStart.AddMinutes(k * 2)).BecameEmerging)
                {
                    return k;
                }
            }

            return null;
        }

        var atReference = FlaggedAt(null);
        var busier = FlaggedAt(72); // the stream is ten times the reference: the threshold one point higher
        Assert.NotNull(atReference);
        Assert.NotNull(busier);
        Assert.True(busier > atReference, $"flagged at ticket {busier} with the reference, {atReference} without");
    }

    [Fact]
    public void A_pattern_that_starts_taking_an_everyday_topics_tickets_is_judged_by_how_common_they_were()
    {
        // Pattern 99 took one ticket two days ago; then it takes 8 of 300, about 2.7%. Tickets like it were 2% of
        // the stream before (they went to other patterns): judged by its own history it is a burst, by them not.
        bool Flags(Func<long, DateTimeOffset, (int, int)>? likeItBefore)
        {
            var detector = new EmergenceDetector(new EmergenceOptions(Threshold: 4, UsualVolume: true), likeItBefore: likeItBefore);
            var traffic = SteadyTraffic(4, days: 3, perHour: 30);
            var flagged = false;
            var taken = 0;
            for (var i = 0; i < traffic.Count; i++)
            {
                var (at, pattern) = traffic[i];
                var mine = i == traffic.Count / 3 || (i > traffic.Count - 300 && i % 37 == 0 && taken++ < 8);
                flagged |= detector.Observe(mine ? 99 : pattern, at).BecameEmerging && mine;
            }

            return flagged;
        }

        Assert.True(Flags(null));
        Assert.False(Flags((_, _) => (100, 5000)));
        Assert.True(Flags((_, _) => (1, 5000))); // tickets like it were rare before: still a burst
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_pattern_growing_at_its_usual_share_is_not_flagged_even_when_total_traffic_surges(bool usualVolume)
    {
        var detector = new EmergenceDetector(new EmergenceOptions(UsualVolume: usualVolume));
        var traffic = SteadyTraffic(5, days: 2, perHour: 30);
        foreach (var (at, pattern) in traffic)
        {
            detector.Observe(pattern, at);
        }

        // Everything surges tenfold for an hour in the same proportions: expectation follows the total, so nothing emerges.
        var burst = SteadyTraffic(6, days: 1.0 / 24, perHour: 400).Select(a => (At: a.At + (traffic[^1].At - Start), a.Pattern));
        Assert.DoesNotContain(burst, a => detector.Observe(a.Pattern, a.At).BecameEmerging);
    }

    [Fact]
    public void Merge_folds_arrivals_into_the_surviving_pattern()
    {
        var detector = new EmergenceDetector(new EmergenceOptions(MinTickets: 3, WarmupHours: 0));
        for (var i = 0; i < 100; i++)
        {
            detector.Observe(1, Start.AddMinutes(i));
        }

        detector.Observe(2, Start.AddMinutes(100.2));
        detector.Observe(3, Start.AddMinutes(100.4));
        detector.Merge(into: 2, from: 3);
        var assessment = detector.Observe(2, Start.AddMinutes(100.6));
        Assert.Equal(3, assessment.WindowTickets);
        Assert.Equal(EmergenceAssessment.Quiet, detector.Assess(3, Start.AddMinutes(101)));
    }

    [Fact]
    public void ScoreArrivals_judges_arrivals_against_the_observed_stream_and_its_prior_share()
    {
        var detector = new EmergenceDetector();
        var traffic = SteadyTraffic(13, days: 2, perHour: 30);
        foreach (var (at, pattern) in traffic)
        {
            detector.Observe(pattern, at);
        }

        var now = traffic[^1].At.AddMinutes(8);
        DateTimeOffset[] burst = [now.AddMinutes(-6), now.AddMinutes(-4), now.AddMinutes(-2), now];
        foreach (var at in burst)
        {
            detector.ObserveUnassigned(at); // wherever the clusterer put them, they are part of the stream
        }
        var rare = detector.ScoreArrivals(burst, priorShare: 0.002, now);
        var common = detector.ScoreArrivals(burst, priorShare: 0.2, now);

        Assert.True(rare.Score >= detector.Options.Threshold, rare.Evidence);
        Assert.True(common.Score < 2, common.Evidence);
        Assert.Equal(EmergenceAssessment.Quiet, new EmergenceDetector().ScoreArrivals(burst, 0.002, now));
    }

    [Fact]
    public void A_burst_that_is_most_of_the_stream_is_judged_against_the_streams_usual_volume()
    {
        // Five tickets of a common kind (5% of traffic) in three minutes of the night, and nothing else: the window
        // holds only them, so judged against the window's own volume they are merely five in a row; judged against
        // the stream's usual volume for three minutes at this hour (a third of a ticket), they are a burst.
        var traffic = SteadyTraffic(17, days: 2, perHour: 30);
        var byWindow = new EmergenceDetector();
        var byUsual = new EmergenceDetector(new EmergenceOptions(UsualVolume: true));
        var now = traffic[^1].At.AddMinutes(10);
        DateTimeOffset[] burst = [.. Enumerable.Range(0, 5).Select(k => now.AddSeconds(-45 * k)).Order()];
        foreach (var d in new[] { byWindow, byUsual })
        {
            foreach (var (at, pattern) in traffic)
            {
                d.Observe(pattern, at);
            }

            foreach (var at in burst)
            {
                d.ObserveUnassigned(at);
            }
        }

        var window = byWindow.ScoreArrivals(burst, priorShare: 0.05, now);
        var usual = byUsual.ScoreArrivals(burst, priorShare: 0.05, now);

        Assert.True(window.Score < byWindow.Options.Threshold, window.Evidence);
        Assert.True(usual.Score >= byUsual.Options.Threshold, usual.Evidence);
        Assert.True(usual.ExpectedInWindow < 0.05, usual.Evidence);
        Assert.Equal(window.WindowTotal, usual.WindowTotal);
    }

    [Fact]
    public void Tickets_of_a_flagged_incident_do_not_dilute_a_second_burst()
    {
        // A node is down: a flood of its tickets (already flagged, marked not ordinary) runs through the hour in which
        // a second incident's first tickets arrive. Judged against all tickets they drown; against the ordinary
        // traffic — where their base share was measured — they stand out.
        var traffic = SteadyTraffic(13, days: 2, perHour: 30);
        var t0 = traffic[^1].At;
        var flood = Enumerable.Range(1, 360).Select(k => t0.AddSeconds(10 * k)).ToList();
        DateTimeOffset[] second = [.. Enumerable.Range(0, 5).Select(k => t0.AddMinutes(20 + 2 * k))];
        var withFlood = new EmergenceDetector();
        var marked = new EmergenceDetector();
        foreach (var d in new[] { withFlood, marked })
        {
            foreach (var (at, pattern) in traffic)
            {
                d.Observe(pattern, at);
            }
        }

        foreach (var at in flood)
        {
            withFlood.Observe(900, at);
            marked.Observe(900, at);
            marked.MarkNotOrdinary(at);
        }

        foreach (var at in second)
        {
            withFlood.ObserveUnassigned(at);
            marked.ObserveUnassigned(at);
        }

        var now = second[^1];
        var diluted = withFlood.ScoreArrivals(second, priorShare: 0.005, now);
        var ordinary = marked.ScoreArrivals(second, priorShare: 0.005, now);

        Assert.True(diluted.Score < marked.Options.Threshold, diluted.Evidence);
        Assert.True(ordinary.Score >= marked.Options.Threshold, ordinary.Evidence);
        Assert.True(ordinary.WindowTotal < diluted.WindowTotal - 40, $"{ordinary.WindowTotal} vs {diluted.WindowTotal}");
    }

    [Fact]
    public void A_new_pattern_about_to_be_flagged_is_judged_against_the_base_share_it_is_given()
    {
        var asked = 0;
        var detector = new EmergenceDetector(baseShare: (_, _) =>
        {
            asked++;
            return (300, 1000); // its kind of ticket was 30% of traffic before it existed
        });
        var traffic = SteadyTraffic(17, days: 2, perHour: 30);
        foreach (var (at, pattern) in traffic)
        {
            detector.Observe(pattern, at);
        }

        var t = traffic[^1].At;
        var flagged = false;
        for (var k = 0; k < 6; k++)
        {
            t = t.AddMinutes(2);
            flagged |= detector.Observe(k % 5 == 4 ? 0 : 500, t).BecameEmerging;
        }

        Assert.False(flagged);
        Assert.Equal(1, asked);
    }
}
