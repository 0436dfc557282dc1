using TicketTriage.Web.Features.Patterns;

namespace TicketTriage.Web.Tests.Components;

/// <summary>The pattern page's hourly series reaches back to every change it lists, so each gets a marker.</summary>
public sealed class PatternArrivalsSpanTests
{
    private static readonly DateTime Surge = new(2026, 11, 20, 14, 0, 0, DateTimeKind.Utc);

    private static List<HourlyCount> TwoHoursOfSurge() =>
        PatternDetails.Hourly([Surge.AddMinutes(5), Surge.AddMinutes(20), Surge.AddMinutes(70)]);

    [Fact]
    public void A_change_days_before_the_first_ticket_starts_the_series_with_empty_hours()
    {
        var upgrade = Surge.AddHours(-60).AddMinutes(35); // a slow break: the upgrade 2½ days before

        var hourly = PatternDetails.ReachBack(TwoHoursOfSurge(), [upgrade]);

        Assert.Equal(Surge.AddHours(-60), hourly[0].Hour);
        Assert.Equal(62, hourly.Count);
        Assert.All(hourly.Take(60), h => Assert.Equal(0, h.Count));
        Assert.Equal([2, 1], hourly.Skip(60).Select(h => h.Count));
    }

    [Fact]
    public void Changes_inside_the_span_or_none_leave_the_series_as_it_is()
    {
        var hourly = TwoHoursOfSurge();

        Assert.Same(hourly, PatternDetails.ReachBack(hourly, [Surge.AddMinutes(30)]));
        Assert.Same(hourly, PatternDetails.ReachBack(hourly, []));
        Assert.Empty(PatternDetails.ReachBack([], [Surge]));
    }
}
