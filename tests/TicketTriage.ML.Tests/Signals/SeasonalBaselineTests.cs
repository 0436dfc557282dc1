using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Tests.Signals;

/// <summary>Expected arrivals follow each topic's own daily and weekly rhythm (<see cref="SeasonalProfile"/>).</summary>
public sealed class SeasonalBaselineTests
{
    private static readonly DateTimeOffset Monday = new(2024, 3, 4, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A flat stream of 30 tickets an hour over 12 topics; topic 0 (forgotten passwords, say) is 1% of it except on
    /// Monday mornings (8–12), when it is a quarter. The total stream has no weekly rhythm, so only the topic's own can
    /// explain its Monday mornings. Two weeks and a day, starting on a Monday (inside the warm-up).
    /// </summary>
    private static List<(DateTimeOffset At, long Pattern)> MondayTopic(int seed)
    {
        var random = new Random(seed);
        var arrivals = new List<(DateTimeOffset, long)>();
        var t = Monday;
        while ((t = t.AddHours(-Math.Log(1 - random.NextDouble()) / 30)) < Monday.AddDays(15))
        {
            var share = t.DayOfWeek == DayOfWeek.Monday && t.Hour is >= 8 and < 12 ? 0.25 : 0.01;
            arrivals.Add((t, random.NextDouble() < share ? 0 : 1 + random.Next(11)));
        }

        return arrivals;
    }

    private static List<string> FlagsOnSecondMonday(int seed, bool seasonal)
    {
        var detector = new EmergenceDetector(new EmergenceOptions(Seasonal: seasonal));
        return MondayTopic(seed).Select(a => (a, r: detector.Observe(a.Pattern, a.At)))
            .Where(x => x.r.BecameEmerging && x.a.Pattern == 0 && x.a.At >= Monday.AddDays(7))
            .Select(x => $"{x.a.At:ddd HH:mm}: {x.r.Evidence}").ToList();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_topic_busy_every_Monday_is_expected_busy_on_the_next_Monday(int seed)
    {
        Assert.NotEmpty(FlagsOnSecondMonday(seed, seasonal: false)); // without its rhythm the busy Monday looks like a burst
        Assert.Empty(FlagsOnSecondMonday(seed, seasonal: true));
    }

    [Fact]
    public void A_burst_on_top_of_the_rhythm_is_still_flagged()
    {
        var detector = new EmergenceDetector();
        var arrivals = MondayTopic(4);
        var burstAt = Monday.AddDays(14).AddHours(15);
        arrivals.RemoveAll(a => a.At >= burstAt);
        arrivals.AddRange(Enumerable.Range(0, 12).Select(i => (burstAt.AddMinutes(2 * i), 0L)));
        arrivals.AddRange(Enumerable.Range(0, 12).Select(i => (burstAt.AddMinutes(2 * i + 1), 1L + (i % 11))));
        Assert.Contains(arrivals.OrderBy(a => a.At), a => detector.Observe(a.Pattern, a.At).BecameEmerging && a.Pattern == 0 && a.At >= burstAt);
    }

    [Fact]
    public void A_topic_with_a_handful_of_past_tickets_has_no_rhythm_yet_and_the_factor_never_lowers_the_baseline()
    {
        var all = new SeasonalProfile();
        var few = new SeasonalProfile();
        var busy = new SeasonalProfile();
        for (var h = 0; h < 7 * 24; h++)
        {
            for (var k = 0; k < 30; k++)
            {
                all.Add(Monday.AddHours(h).AddMinutes(k * 2).UtcTicks);
            }
        }

        // Two tickets, both on a Monday at 9: next Monday at 9 is barely more expected.
        few.Add(Monday.AddHours(9).UtcTicks);
        few.Add(Monday.AddHours(9.5).UtcTicks);
        var nextMonday = Monday.AddDays(7).AddHours(9).UtcTicks;
        Assert.InRange(SeasonalProfile.Factor(few, all, nextMonday, pseudoTickets: 10), 1, 2);

        // Sixty tickets on a Monday morning: strongly expected then, and not less than average on a Thursday night.
        for (var k = 0; k < 60; k++)
        {
            busy.Add(Monday.AddHours(8).AddMinutes(k * 3).UtcTicks);
        }

        Assert.True(SeasonalProfile.Factor(busy, all, nextMonday, pseudoTickets: 10) > 3);
        Assert.Equal(1, SeasonalProfile.Factor(busy, all, Monday.AddDays(10).AddHours(23).UtcTicks, pseudoTickets: 10));
    }
}
