namespace TicketTriage.ML.Signals;

/// <summary>
/// Arrivals counted by hour of the week (168 bins, UTC): the raw material of a per-topic seasonal baseline.
/// <see cref="EmergenceDetector"/> keeps one for the whole stream and one per pattern; <see cref="Factor"/> tells how
/// much more of the stream a pattern takes at this hour of the day and on this day of the week than on average —
/// forgotten passwords on Monday morning, billing on Fridays — learned online from the pattern's own past.
/// </summary>
public sealed class SeasonalProfile
{
    public const int Bins = 7 * 24;

    private readonly int[] _counts = new int[Bins];

    public int Total { get; private set; }

    public static int Bin(long ticks)
    {
        var t = new DateTime(ticks, DateTimeKind.Utc);
        return (int)t.DayOfWeek * 24 + t.Hour;
    }

    public void Add(long ticks) => Add(ticks, 1);

    public void Clear()
    {
        Array.Clear(_counts);
        Total = 0;
    }

    public SeasonalProfile Clone()
    {
        var copy = new SeasonalProfile { Total = Total };
        _counts.CopyTo(copy._counts, 0);
        return copy;
    }

    public void Remove(long ticks) => Add(ticks, -1);

    public void AddAll(SeasonalProfile other)
    {
        for (var i = 0; i < Bins; i++)
        {
            _counts[i] += other._counts[i];
        }

        Total += other.Total;
    }

    private void Add(long ticks, int delta)
    {
        _counts[Bin(ticks)] += delta;
        Total += delta;
    }

    /// <summary>Arrivals in the hours of the day within ±<paramref name="halfWidth"/> of <paramref name="ticks"/>' hour, on any day.</summary>
    internal int HourBand(long ticks, int halfWidth)
    {
        var hour = Bin(ticks) % 24;
        var sum = 0;
        for (var day = 0; day < 7; day++)
        {
            for (var dh = -halfWidth; dh <= halfWidth; dh++)
            {
                sum += _counts[day * 24 + (hour + dh + 24) % 24];
            }
        }

        return sum;
    }

    /// <summary>Arrivals on <paramref name="ticks"/>' day of the week within ±<paramref name="halfWidth"/> hours of its hour.</summary>
    internal int WeekCell(long ticks, int halfWidth)
    {
        var bin = Bin(ticks);
        var sum = 0;
        for (var dh = -halfWidth; dh <= halfWidth; dh++)
        {
            sum += _counts[(bin + dh + Bins) % Bins];
        }

        return sum;
    }

    /// <summary>Arrivals on <paramref name="ticks"/>' day of the week.</summary>
    internal int Weekday(long ticks)
    {
        var day = Bin(ticks) / 24;
        var sum = 0;
        for (var h = 0; h < 24; h++)
        {
            sum += _counts[day * 24 + h];
        }

        return sum;
    }

    /// <summary>
    /// How many times its average share of the stream a pattern is expected to take at <paramref name="at"/>, as a
    /// product of three rate ratios, each the pattern's arrivals over those expected from the level above:
    /// in the hours around this one on any day (daily), on this day of the week (weekly), and in these very hours of
    /// this weekday given the two (a Monday-morning backlog is neither a daily nor a weekly effect alone). Each ratio is
    /// (seen + k) / (expected + k), the posterior mean of a Poisson rate under a gamma prior worth
    /// <paramref name="pseudoTickets"/> tickets: a topic has no rhythm until it has shown one in more tickets than that.
    /// Never below 1: the baseline of an upper-tail test is raised where a topic is busy, never lowered on an
    /// estimate (a quiet hour seen twice is no evidence that a third ticket is a burst).
    /// </summary>
    /// <param name="pattern">The pattern's past arrivals (without the window being tested).</param>
    /// <param name="all">The whole stream's past arrivals over the same span.</param>
    public static double Factor(SeasonalProfile pattern, SeasonalProfile all, long at, double pseudoTickets, int hourHalfWidth = 1)
    {
        if (pattern.Total <= 0 || all.Total <= 0)
        {
            return 1;
        }

        var share = (double)pattern.Total / all.Total;
        double Ratio(int seen, double expected) => (seen + pseudoTickets) / (expected + pseudoTickets);
        var daily = Ratio(pattern.HourBand(at, hourHalfWidth), share * all.HourBand(at, hourHalfWidth));
        var weekly = Ratio(pattern.Weekday(at), share * all.Weekday(at));
        var cell = Ratio(pattern.WeekCell(at, hourHalfWidth), share * daily * weekly * all.WeekCell(at, hourHalfWidth));
        return Math.Max(1, daily * weekly * cell);
    }
}
