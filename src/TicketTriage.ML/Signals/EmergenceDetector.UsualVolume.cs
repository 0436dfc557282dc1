namespace TicketTriage.ML.Signals;

// The stream's usual volume: how many ordinary tickets a window is judged against (EmergenceOptions.UsualVolume), and
// what a place's usual share of it is measured on (PlaceVolume).
public sealed partial class EmergenceDetector
{
    /// <summary>
    /// How many ordinary tickets the stream usually brings from a window's start (the argument, UTC ticks) to
    /// <paramref name="now"/>: the busier of the two hours before the window and this hour of the day over the days
    /// held — the volume <see cref="EmergenceOptions.UsualVolume"/> judges a window by.
    /// </summary>
    public Func<long, double> UsualTickets(DateTimeOffset now)
    {
        var nowTicks = now.UtcTicks;
        double? hourRate = null;
        return windowStart =>
        {
            hourRate ??= HourOfDayRate(nowTicks);
            return Math.Max(hourRate.Value, RecentRate(windowStart, ordinaryOnly: true)) * Math.Max(0, nowTicks - windowStart);
        };
    }

    /// <summary>
    /// What the threshold rises by for a stream busier than <see cref="EmergenceOptions.ReferenceTicketsPerDay"/>:
    /// log10 of its ordinary tickets a day over the days held (at most <see cref="EmergenceOptions.HistoryDays"/>,
    /// from the first ticket seen) ÷ that reference; 0 below it, without a reference, or before the warm-up. A function
    /// of the saved arrivals alone, so a restored detector applies the same.
    /// </summary>
    public double VolumeOffset(DateTimeOffset now)
    {
        if (_options.ReferenceTicketsPerDay is not { } reference || !IsWarm(now))
        {
            return 0;
        }

        var nowTicks = now.UtcTicks;
        var from = Math.Max(_all[0], nowTicks - TimeSpan.FromDays(_options.HistoryDays).Ticks);
        var ordinary = SortedTimes.UpperBound(_all, nowTicks) - SortedTimes.LowerBound(_all, from)
            - (SortedTimes.UpperBound(_notOrdinary, nowTicks) - SortedTimes.LowerBound(_notOrdinary, from));
        var perDay = ordinary / ((double)(nowTicks - from) / TimeSpan.TicksPerDay);
        return perDay > reference ? Math.Log10(perDay / reference) : 0;
    }

    /// <summary>The span before a window whose rate counts as usual (the stream's, and a place's: <see cref="PlaceVolume"/>).</summary>
    internal static readonly long RecentSpan = TimeSpan.FromHours(2).Ticks;

    // Tickets per tick in the two hours before a window.
    private double RecentRate(long windowStart, bool ordinaryOnly)
    {
        var from = windowStart - RecentSpan;
        var n = SortedTimes.LowerBound(_all, windowStart) - SortedTimes.LowerBound(_all, from);
        if (ordinaryOnly)
        {
            n -= SortedTimes.LowerBound(_notOrdinary, windowStart) - SortedTimes.LowerBound(_notOrdinary, from);
        }

        return (double)n / RecentSpan;
    }

    // Tickets per tick in the hours of the day around now's (±1 h), averaged over the days held: how busy this time
    // of day usually is, so a window at the daily peak is not judged by the quieter hours before it.
    private double HourOfDayRate(long now)
    {
        if (_all.Count == 0)
        {
            return 0;
        }

        var hour = SeasonalProfile.Bin(now) % 24;
        var first = _all[0];
        double covered = 0;
        for (var h = first / TimeSpan.TicksPerHour; h * TimeSpan.TicksPerHour <= now; h++)
        {
            var hourOfDay = (int)(h % 24);
            if (Math.Abs(hourOfDay - hour) is <= 1 or >= 23)
            {
                var start = Math.Max(first, h * TimeSpan.TicksPerHour);
                var end = Math.Min(now, (h + 1) * TimeSpan.TicksPerHour);
                covered += Math.Max(0, end - start);
            }
        }

        return covered <= 0 ? 0 : _allProfile.HourBand(now, 1) / covered;
    }
}
