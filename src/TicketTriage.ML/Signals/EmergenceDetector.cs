namespace TicketTriage.ML.Signals;

/// <summary>Thresholds of <see cref="EmergenceDetector"/>.</summary>
/// <param name="Threshold">Score (−log10 of the corrected p-value) at which a pattern becomes emerging.</param>
/// <param name="ClearScore">Score below which an emerging pattern stops being emerging (hysteresis).</param>
/// <param name="MinTickets">No pattern is emerging with fewer tickets.</param>
/// <param name="MaxScan">Scan windows ending now and starting at each of the pattern's last 3 … MaxScan arrivals.</param>
/// <param name="PriorShare">Expected share of all tickets for a pattern without history (a new one).</param>
/// <param name="PriorWeight">How many tickets' worth of evidence the prior share is worth.</param>
/// <param name="HistoryDays">How far back a pattern's own share is learned from.</param>
/// <param name="WarmupHours">
/// No flag before the detector has seen this much of the stream: on its first day every pattern is new, and the
/// biggest everyday topics would all look like bursts. A restarted app restores its state or replays recent tickets.
/// </param>
/// <param name="UsualVolume">
/// Judge a window against the stream's usual volume for its length (the busier of the two hours before it and this
/// hour of the day over the days held), or against the window's other tickets when more came: a Poisson tail at
/// share × that volume. Off: the binomial among the window's own tickets, whose count includes the burst itself — a
/// burst that is most of the stream then raises its own bar.
/// </param>
/// <param name="ReferenceTicketsPerDay">
/// The busiest stream the threshold was measured at, in ordinary tickets a day; null: the threshold as given. Every
/// arrival is a test, so at a fixed level a stream twice as busy raises about twice the false alarms a day, and the
/// bar is a number a day: above this volume the threshold rises by log10(volume ÷ this) (<see cref="VolumeOffset"/>),
/// which keeps a day's false alarms where they were measured. Never lowered below it.
/// </param>
public sealed record EmergenceOptions(
    double Threshold = 5.0,
    double ClearScore = 2.0,
    int MinTickets = 3,
    int MaxScan = 12,
    double PriorShare = 0.005,
    double PriorWeight = 200,
    double HistoryDays = 7,
    double WarmupHours = 24,
    bool Seasonal = true,
    double SeasonalPseudoTickets = 10,
    bool UsualVolume = false,
    double? ReferenceTicketsPerDay = null);

/// <summary>The state of one pattern after an arrival.</summary>
/// <param name="BecameEmerging">True only on the arrival that turned the pattern emerging.</param>
/// <param name="WindowTickets">The pattern's tickets in the most significant window.</param>
/// <param name="WindowTotal">All tickets in that window.</param>
/// <param name="ExpectedInWindow">The pattern's expected tickets in that window, from its learned share.</param>
public sealed record EmergenceAssessment(
    bool Emerging,
    bool BecameEmerging,
    double Score,
    double PValue,
    int WindowTickets,
    int WindowTotal,
    TimeSpan WindowLength,
    double ExpectedInWindow,
    string Evidence)
{
    public static readonly EmergenceAssessment Quiet = new(false, false, 0, 1, 0, 0, TimeSpan.Zero, 0, "");
}

/// <summary>
/// Flags patterns whose arrival rate is far above what their history predicts. Expectation is conditioned on the
/// total ticket stream: a pattern with share s of all tickets is expected to hold s·N of the next N tickets, so the
/// daily rhythm and global surges move the expectation with them and steady traffic stays quiet at 3 a.m. and at
/// noon alike. On each arrival the last j arrivals (j = 3 … MaxScan) are scanned: given that a window starts with one
/// of the pattern's tickets, the chance that at least j−1 of the next N−1 tickets are the pattern's is a binomial
/// tail at the learned share; the smallest, Bonferroni-corrected over the windows tried, is the score.
/// On top of the stream's rhythm, each pattern's own: a topic that doubles on Monday mornings (forgotten passwords)
/// is expected to double then (<see cref="SeasonalProfile.Factor"/>), so a Monday-morning backlog is not an incident.
/// A new pattern has no history, so its share starts at a small prior — one that a genuine incident, with a handful
/// of tickets among the last dozen, beats within its first five tickets.
/// </summary>
/// <param name="baseShare">
/// Optional: for a pattern about to be flagged on the prior alone, how common its kind of ticket was before it
/// (similar, total) — e.g. <see cref="SimilarityBaseRate.CountSimilar"/>. Asked once per pattern; the answer replaces
/// the flat prior, so a reborn everyday topic is judged against its own past and a new one against next to nothing.
/// </param>
/// <param name="likeItBefore">
/// Optional: for a pattern about to be flagged, how common tickets like it were before the window that flags it,
/// wherever the clusterer put them (similar, total). Its own share counts only the tickets it took, and which
/// pattern takes an everyday topic's tickets moves (one starts taking what a neighbour took): that is not a burst.
/// The window is judged at the larger of the two shares. Asked on every such arrival, not once.
/// </param>
public sealed partial class EmergenceDetector(
    EmergenceOptions? options = null,
    Func<long, DateTimeOffset, (int Similar, int Total)>? baseShare = null,
    Func<long, DateTimeOffset, (int Similar, int Total)>? likeItBefore = null)
{
    private readonly EmergenceOptions _options = options ?? new EmergenceOptions();
    private readonly List<long> _all = [];
    private readonly List<long> _notOrdinary = [];
    private readonly SeasonalProfile _allProfile = new();
    private readonly Dictionary<long, PatternArrivals> _patterns = [];

    public EmergenceOptions Options => _options;

    /// <summary>Records one ticket's arrival in <paramref name="patternId"/> and reassesses that pattern.</summary>
    /// <remarks>Arrivals should come in time order; an out-of-order one is inserted where it belongs.</remarks>
    public EmergenceAssessment Observe(long patternId, DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        InsertSorted(_all, ticks);
        _allProfile.Add(ticks);
        if (!_patterns.TryGetValue(patternId, out var pattern))
        {
            pattern = new PatternArrivals();
            _patterns[patternId] = pattern;
        }

        InsertSorted(pattern.Arrivals, ticks);
        pattern.Profile.Add(ticks);
        return Update(patternId, pattern, ticks);
    }

    /// <summary>Records a ticket that belongs to no pattern (it still counts in the total stream).</summary>
    public void ObserveUnassigned(DateTimeOffset at)
    {
        InsertSorted(_all, at.UtcTicks);
        _allProfile.Add(at.UtcTicks);
    }

    /// <summary>
    /// Marks an observed arrival as not ordinary traffic (a ticket of an incident already flagged): burst windows of
    /// patterns not yet emerging leave it out of their totals. The share they test was learned from ordinary tickets
    /// (<see cref="SimilarityBaseRate.CountSimilar"/> skips flagged ones too), and a second incident breaking out
    /// during the flood of a first must not be diluted by the first one's tickets.
    /// </summary>
    public void MarkNotOrdinary(DateTimeOffset at) => InsertSorted(_notOrdinary, at.UtcTicks);

    /// <summary>Reassesses a pattern at <paramref name="now"/> without a new arrival (a timer, a page view).</summary>
    public EmergenceAssessment Assess(long patternId, DateTimeOffset now) =>
        _patterns.TryGetValue(patternId, out var pattern) ? Update(patternId, pattern, now.UtcTicks) : EmergenceAssessment.Quiet;

    /// <summary>False during the warm-up: the detector has not yet seen <see cref="EmergenceOptions.WarmupHours"/> of the stream.</summary>
    public bool IsWarm(DateTimeOffset now) => _all.Count > 0 && now.UtcTicks - _all[0] >= TimeSpan.FromHours(_options.WarmupHours).Ticks;

    public bool IsEmerging(long patternId) => _patterns.TryGetValue(patternId, out var p) && p.Emerging;

    /// <summary>Folds <paramref name="from"/> into <paramref name="into"/> (the clusterer merged two patterns).</summary>
    public void Merge(long into, long from)
    {
        if (into == from || !_patterns.Remove(from, out var source))
        {
            return;
        }

        if (!_patterns.TryGetValue(into, out var target))
        {
            _patterns[into] = source;
            return;
        }

        target.Arrivals.AddRange(source.Arrivals);
        target.Arrivals.Sort();
        target.Profile.AddAll(source.Profile);
        target.Emerging |= source.Emerging;
        target.PriorShare = target.PriorShare is { } a && source.PriorShare is { } b ? Math.Max(a, b) : target.PriorShare ?? source.PriorShare;
    }

    /// <summary>Drops arrivals older than the history horizon; call now and then in a long-running process.</summary>
    public void Prune(DateTimeOffset now)
    {
        var horizon = now.UtcTicks - TimeSpan.FromDays(_options.HistoryDays).Ticks;
        RemoveBefore(_all, _allProfile, horizon);
        _notOrdinary.RemoveRange(0, SortedTimes.LowerBound(_notOrdinary, horizon));
        foreach (var (id, pattern) in _patterns.ToList())
        {
            RemoveBefore(pattern.Arrivals, pattern.Profile, horizon);
            if (pattern.Arrivals.Count == 0)
            {
                _patterns.Remove(id);
            }
        }
    }

    private static void RemoveBefore(List<long> times, SeasonalProfile profile, long horizon)
    {
        var cut = SortedTimes.LowerBound(times, horizon);
        for (var i = 0; i < cut; i++)
        {
            profile.Remove(times[i]);
        }

        times.RemoveRange(0, cut);
    }

    private EmergenceAssessment Update(long patternId, PatternArrivals pattern, long now)
    {
        // An emerging pattern's own tickets may be marked not ordinary: its windows count every ticket.
        var assessment = Score(pattern, now, ordinaryOnly: !pattern.Emerging);
        var threshold = _options.Threshold + VolumeOffset(new DateTimeOffset(now, TimeSpan.Zero));
        if (!pattern.Emerging && assessment.Score >= threshold && pattern.PriorShare is null && baseShare is not null)
        {
            var (similar, total) = baseShare(patternId, new DateTimeOffset(pattern.Arrivals[0], TimeSpan.Zero));
            pattern.PriorShare = (similar + _options.PriorWeight * _options.PriorShare) / (total + _options.PriorWeight);
            assessment = Score(pattern, now, ordinaryOnly: true);
        }

        if (!pattern.Emerging && assessment.Score >= threshold && likeItBefore is not null)
        {
            var (similar, total) = likeItBefore(patternId, new DateTimeOffset(now - assessment.WindowLength.Ticks, TimeSpan.Zero));
            var likeIt = (similar + _options.PriorWeight * _options.PriorShare) / (total + _options.PriorWeight);
            assessment = Score(pattern, now, ordinaryOnly: true, minShare: likeIt);
        }

        var wasEmerging = pattern.Emerging;
        pattern.Emerging = wasEmerging ? assessment.Score >= _options.ClearScore : assessment.Score >= threshold;
        return assessment with { Emerging = pattern.Emerging, BecameEmerging = pattern.Emerging && !wasEmerging };
    }

    /// <summary>
    /// Scores arbitrary arrival times against the stream this detector has seen, as if they were one pattern's whose
    /// share before them was <paramref name="priorShare"/> — e.g. the tickets resembling a young pattern wherever the
    /// clusterer put them (<see cref="SimilarityBaseRate.SimilarSince"/>). The arrivals should be tickets this
    /// detector has observed (they are counted in the stream). Changes no state.
    /// </summary>
    public EmergenceAssessment ScoreArrivals(IReadOnlyList<DateTimeOffset> arrivals, double priorShare, DateTimeOffset now)
    {
        var pattern = new PatternArrivals { PriorShare = priorShare };
        pattern.Arrivals.AddRange(arrivals.Select(a => a.UtcTicks).Order());
        return Score(pattern, now.UtcTicks, ordinaryOnly: true);
    }

    private EmergenceAssessment Score(PatternArrivals pattern, long now, bool ordinaryOnly, double minShare = 0)
    {
        var arrivals = pattern.Arrivals;
        var prior = pattern.PriorShare ?? _options.PriorShare;
        var upTo = SortedTimes.UpperBound(arrivals, now);
        if (upTo < _options.MinTickets || _all.Count == 0 || now - _all[0] < TimeSpan.FromHours(_options.WarmupHours).Ticks)
        {
            return EmergenceAssessment.Quiet;
        }

        var historyStart = Math.Max(arrivals[0], now - TimeSpan.FromDays(_options.HistoryDays).Ticks);
        var patternBeforeHistory = SortedTimes.LowerBound(arrivals, historyStart);
        var allBeforeHistory = SortedTimes.LowerBound(_all, historyStart);
        var allUpToNow = SortedTimes.UpperBound(_all, now);
        var notOrdinaryUpToNow = ordinaryOnly ? SortedTimes.UpperBound(_notOrdinary, now) : 0;
        var notOrdinaryBeforeHistory = ordinaryOnly ? SortedTimes.LowerBound(_notOrdinary, historyStart) : 0;
        var windows = Math.Min(_options.MaxScan, upTo) - _options.MinTickets + 1;
        var seasonal = SeasonalFactors(pattern, arrivals[upTo - Math.Min(_options.MaxScan, upTo)], now);

        var best = (P: 1.0, J: 0, Total: 0, Start: now, Expected: 0.0, Rhythm: 1.0);
        double? hourRate = null;
        for (var j = _options.MinTickets; j <= Math.Min(_options.MaxScan, upTo); j++)
        {
            var windowStart = arrivals[upTo - j];
            var allBeforeWindow = SortedTimes.LowerBound(_all, windowStart);
            var notOrdinaryBeforeWindow = ordinaryOnly ? SortedTimes.LowerBound(_notOrdinary, windowStart) : 0;
            var total = Math.Max(allUpToNow - allBeforeWindow - (notOrdinaryUpToNow - notOrdinaryBeforeWindow), j); // the pattern's own tickets are part of the stream
            var patternHistory = Math.Max(0, upTo - j - patternBeforeHistory);
            // The share, like the window, among ordinary tickets: a past incident's flood neither dilutes it.
            var allHistory = Math.Max(0, allBeforeWindow - allBeforeHistory - (notOrdinaryBeforeWindow - notOrdinaryBeforeHistory));
            var rhythm = WindowFactor(seasonal, windowStart, now);
            var share = Math.Min(1, rhythm * Math.Max(minShare, (patternHistory + _options.PriorWeight * prior) / (allHistory + _options.PriorWeight)));

            // The window opens on one of the pattern's tickets: test the remaining j−1 among the other total−1.
            double p, expected;
            if (_options.UsualVolume)
            {
                // The stream's usual volume over the window, not the window's own: a burst that is most of the stream
                // (a load-balancer surge on a mail host) would otherwise raise the count it is judged against.
                // The other tickets of the window still count when more of them came (a Monday backlog).
                hourRate ??= HourOfDayRate(now);
                var usual = Math.Max(hourRate.Value, RecentRate(windowStart, ordinaryOnly)) * (now - windowStart);
                expected = share * Math.Max(usual, total - j);
                p = Probability.PoissonUpperTail(j - 1, expected);
            }
            else
            {
                expected = share * total;
                p = Probability.BinomialUpperTail(j - 1, total - 1, share);
            }

            if (p < best.P)
            {
                best = (p, j, total, windowStart, expected, rhythm);
            }
        }

        if (best.J == 0)
        {
            return EmergenceAssessment.Quiet;
        }

        var corrected = Math.Min(1, best.P * windows);
        var length = TimeSpan.FromTicks(now - best.Start);
        var rhythmNote = best.Rhythm >= 1.05 ? $" (×{best.Rhythm:0.0} for the hour and weekday)" : "";
        var evidence = $"{best.J} tickets of the last {best.Total} in {Humanize(length)} vs {best.Expected:0.0} expected{rhythmNote}";
        return new EmergenceAssessment(false, false, Probability.Score(corrected), corrected, best.J, best.Total, length, best.Expected, evidence);
    }

    // The pattern's rhythm, learned from its past before the scanned windows (the burst under test must not raise its
    // own bar), as a factor per hour the windows span. At most the last day is left out and spanned: a longer window
    // covers every hour of the day anyway, and leaving out more would cost more than a day of the stream per arrival.
    private HourlyFactors? SeasonalFactors(PatternArrivals pattern, long windowsStart, long now)
    {
        if (!_options.Seasonal || pattern.Profile.Total == 0)
        {
            return null;
        }

        windowsStart = Math.Max(windowsStart, now - TimeSpan.TicksPerDay);
        var mine = pattern.Profile.Clone();
        for (var i = SortedTimes.LowerBound(pattern.Arrivals, windowsStart); i < pattern.Arrivals.Count; i++)
        {
            mine.Remove(pattern.Arrivals[i]);
        }

        if (mine.Total == 0)
        {
            return null;
        }

        var all = _allProfile.Clone();
        for (var i = SortedTimes.LowerBound(_all, windowsStart); i < _all.Count; i++)
        {
            all.Remove(_all[i]);
        }

        var firstHour = windowsStart / TimeSpan.TicksPerHour;
        var factors = new double[now / TimeSpan.TicksPerHour - firstHour + 1];
        for (var h = 0; h < factors.Length; h++)
        {
            factors[h] = SeasonalProfile.Factor(mine, all, (firstHour + h) * TimeSpan.TicksPerHour, _options.SeasonalPseudoTickets);
        }

        return new HourlyFactors(firstHour, factors);
    }

    // The factor over a window: each hour's, weighted by the stream's tickets in that hour of the window — the
    // window's expected count is the sum of its hours' (a window that ends an hour after the Monday peak still holds it).
    private double WindowFactor(HourlyFactors? factors, long start, long now)
    {
        if (factors is not { } f)
        {
            return 1;
        }

        double weighted = 0;
        var tickets = 0;
        var from = Math.Max(start, f.FirstHour * TimeSpan.TicksPerHour);
        for (var hour = from / TimeSpan.TicksPerHour; hour * TimeSpan.TicksPerHour <= now; hour++)
        {
            var sliceStart = Math.Max(from, hour * TimeSpan.TicksPerHour);
            var sliceEnd = Math.Min(now, (hour + 1) * TimeSpan.TicksPerHour - 1);
            var n = SortedTimes.UpperBound(_all, sliceEnd) - SortedTimes.LowerBound(_all, sliceStart);
            weighted += n * f.Factors[hour - f.FirstHour];
            tickets += n;
        }

        return tickets == 0 ? f.Factors[^1] : weighted / tickets;
    }

    private sealed record HourlyFactors(long FirstHour, double[] Factors);

    internal static string Humanize(TimeSpan span) => span.TotalMinutes switch
    {
        < 1 => $"{Math.Max(0, (int)span.TotalSeconds)} s",
        < 120 => $"{(int)span.TotalMinutes} min",
        < 48 * 60 => $"{span.TotalHours:0.#} h",
        _ => $"{span.TotalDays:0.#} days",
    };

    private static void InsertSorted(List<long> list, long value)
    {
        if (list.Count == 0 || list[^1] <= value)
        {
            list.Add(value);
            return;
        }

        list.Insert(SortedTimes.UpperBound(list, value), value);
    }

    private sealed class PatternArrivals
    {
        public List<long> Arrivals { get; } = [];

        /// <summary>The same arrivals by hour of the week (its rhythm).</summary>
        public SeasonalProfile Profile { get; } = new();

        public bool Emerging { get; set; }

        /// <summary>Share of the pattern's kind of ticket before it existed, once asked; null: the flat prior.</summary>
        public double? PriorShare { get; set; }
    }
}
