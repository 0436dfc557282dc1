namespace TicketTriage.ML.Signals;

/// <summary>One ticket of a candidate burst: when it came, who wrote it, and its attributes.</summary>
public sealed record BurstTicket(DateTimeOffset At, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// What a place (an attribute value) usually brings, for <see cref="ConcentratedBurst"/>: the stream's usual
/// ordinary tickets from a window's start to now (<see cref="EmergenceDetector.UsualTickets"/>), and the place's share
/// of the reference window's tickets. A place with fewer than <see cref="MinReferenceTickets"/> there has no usual
/// volume to speak of (a server just added): its bursts are judged among its own tickets, as without this.
/// </summary>
public sealed record PlaceVolume(Func<long, double> UsualTickets, AttributeBaseline Reference)
{
    public const int MinReferenceTickets = 20;

    public double? ShareOf(string key, string value)
    {
        var count = Reference.CountOf(key, value);
        return count >= MinReferenceTickets && Reference.Count > 0 ? (double)count / Reference.Count : null;
    }
}

/// <summary>
/// Joint text + attribute surprise. Five tickets that resemble each other are weak evidence when such tickets are a
/// few percent of ordinary traffic ("I can't get my email"); five such tickets that are also all on node-209, which
/// carries 4% of the traffic, are not. Under the null hypothesis — background traffic — what a ticket says is
/// independent of where it lives (a customer with a failed restore is as likely on one node as on another), so
/// among the tickets that carry an attribute value v, the share that resemble the burst is the same base share s
/// as in the whole stream. The test therefore runs the emergence scan on the sub-stream of tickets with value v:
/// of the last j burst tickets with v, is j−1 among the N−1 other v-tickets since the first of them surprising at
/// share s? Restricting the stream to v divides the expected count by v's share of traffic, which is where the
/// evidence of a concentrated incident lies; an incident spread over the whole fleet gains nothing and loses only
/// the multiple-testing correction.
/// <para>
/// Conditioning on the current stream of v-tickets (not on v's long-run share) keeps the test honest when v's
/// traffic itself moves — a batch of servers just upgraded, a datacenter in its busy hours.
/// Every (attribute, value) tried and every window start is paid for with a Bonferroni factor. A customer writing
/// again about the same problem is one piece of evidence, not several: the burst counts each customer once.
/// </para>
/// </summary>
/// <param name="initialKeys">The attributes tested (server, datacenter, …); more can be added (<see cref="AddKeys"/>).</param>
/// <param name="customerKey">Attribute identifying the writer; tickets of a customer already in the burst are skipped.</param>
public sealed class ConcentratedBurst(IReadOnlyList<string> initialKeys, string customerKey = AttributeKeys.Username)
{
    private readonly Dictionary<(string Key, string Value), List<long>> _streams = [];
    private readonly List<string> keys = [.. initialKeys.Distinct(StringComparer.Ordinal)];

    public IReadOnlyList<string> Keys => keys;

    /// <summary>
    /// Tests <paramref name="more"/> from now on too — e.g. the attributes a change targets (an auth shard, a plan, a
    /// region): where a change was made is where its incident will live. Their streams start empty, which only makes
    /// the test quieter until they fill.
    /// </summary>
    public void AddKeys(IEnumerable<string> more)
    {
        foreach (var key in more)
        {
            if (!keys.Contains(key, StringComparer.Ordinal))
            {
                keys.Add(key);
            }
        }
    }

    /// <summary>Counts one ticket of the whole stream (every ticket, in time order).</summary>
    public void Add(DateTimeOffset at, IReadOnlyDictionary<string, string> attributes)
    {
        foreach (var key in keys)
        {
            if (attributes.TryGetValue(key, out var value))
            {
                if (!_streams.TryGetValue((key, value), out var list))
                {
                    list = [];
                    _streams[(key, value)] = list;
                }

                list.Add(at.UtcTicks);
            }
        }
    }

    /// <summary>
    /// Moves one counted ticket from the stream of (<paramref name="key"/>, <paramref name="from"/>) — none when null —
    /// to that of (<paramref name="key"/>, <paramref name="to"/>): an attribute learned after the ticket was counted.
    /// </summary>
    public void Retag(DateTimeOffset at, string key, string? from, string to)
    {
        var ticks = at.UtcTicks;
        if (from is not null && _streams.TryGetValue((key, from), out var old))
        {
            var i = SortedTimes.LowerBound(old, ticks);
            if (i < old.Count && old[i] == ticks)
            {
                old.RemoveAt(i);
            }
        }

        if (!_streams.TryGetValue((key, to), out var list))
        {
            list = [];
            _streams[(key, to)] = list;
        }

        list.Insert(SortedTimes.UpperBound(list, ticks), ticks);
    }

    /// <summary>
    /// The most significant (attribute, value) sub-burst of <paramref name="burst"/> (tickets resembling each other,
    /// in time order, all already counted with <see cref="Add"/>) at base share <paramref name="share"/>, or Quiet.
    /// </summary>
    public EmergenceAssessment Assess(IReadOnlyList<BurstTicket> burst, double share, DateTimeOffset now, EmergenceOptions options) =>
        Assess(burst, share, now, options, profile: null);

    /// <summary>
    /// <see cref="Assess(IReadOnlyList{BurstTicket}, double, DateTimeOffset, EmergenceOptions)"/>, where each
    /// (attribute, value) sub-burst is also judged together with who wrote it (<see cref="CustomerProfileEvidence"/>)
    /// when <paramref name="profile"/> is given: its options and the reference population of customers (asked for
    /// only when a sub-burst is promising).
    /// </summary>
    public EmergenceAssessment Assess(
        IReadOnlyList<BurstTicket> burst, double share, DateTimeOffset now, EmergenceOptions options,
        (ProfileEvidenceOptions Options, Func<AttributeBaseline> Reference)? profile) =>
        Assess(burst, share, now, options, profile, volume: null);

    /// <summary>
    /// <see cref="Assess(IReadOnlyList{BurstTicket}, double, DateTimeOffset, EmergenceOptions, ValueTuple{ProfileEvidenceOptions, Func{AttributeBaseline}}?)"/>,
    /// where a sub-stream whose usual volume is known (<paramref name="volume"/>) is judged against it rather than
    /// against its own tickets of the window (<see cref="PlaceVolume"/>).
    /// </summary>
    public EmergenceAssessment Assess(
        IReadOnlyList<BurstTicket> burst, double share, DateTimeOffset now, EmergenceOptions options,
        (ProfileEvidenceOptions Options, Func<AttributeBaseline> Reference)? profile, PlaceVolume? volume)
    {
        var writers = new HashSet<string>(StringComparer.Ordinal);
        var distinct = burst.Where(t => !t.Attributes.TryGetValue(customerKey, out var who) || writers.Add(who)).ToList();

        var groups = new List<(string Key, string Value, List<BurstTicket> Tickets)>();
        foreach (var key in keys)
        {
            foreach (var group in distinct.Where(t => t.Attributes.ContainsKey(key)).GroupBy(t => t.Attributes[key], StringComparer.Ordinal))
            {
                var tickets = group.Where(t => t.At.UtcTicks <= now.UtcTicks).ToList();
                if (tickets.Count >= options.MinTickets)
                {
                    groups.Add((key, group.Key, tickets));
                }
            }
        }

        // Each group's windows: (start, tickets, stream total). Groups whose windows are identical are one test, not
        // several — the servers a change targeted when it reached a single server, a datacenter of one server — and
        // are paid for once.
        var scans = new List<(string Key, string Value, List<BurstTicket> Tickets, (long Start, int J, int Total)[] Windows, List<long> Stream)>();
        foreach (var (key, value, tickets) in groups)
        {
            if (!_streams.TryGetValue((key, value), out var stream))
            {
                continue;
            }

            var arrivals = tickets.Select(t => t.At.UtcTicks).ToList();
            var upTo = SortedTimes.UpperBound(stream, now.UtcTicks);
            var last = Math.Min(options.MaxScan, arrivals.Count);
            var windows = new (long, int, int)[Math.Max(0, last - options.MinTickets + 1)];
            for (var j = options.MinTickets; j <= last; j++)
            {
                var start = arrivals[^j];
                windows[j - options.MinTickets] = (start, j, Math.Max(upTo - SortedTimes.LowerBound(stream, start), j));
            }

            scans.Add((key, value, tickets, windows, stream));
        }

        var tests = 0;
        for (var i = 0; i < scans.Count; i++)
        {
            var repeats = false;
            for (var k = 0; k < i && !repeats; k++)
            {
                repeats = scans[k].Windows.AsSpan().SequenceEqual(scans[i].Windows);
            }

            tests += repeats ? 0 : 1;
        }

        var best = (P: 1.0, J: 0, Total: 0, Start: 0L, Expected: 0.0, Key: "", Value: "", Profile: "");
        AttributeBaseline? reference = null;
        foreach (var (key, value, tickets, windows, stream) in scans)
        {
            var usualShare = volume?.ShareOf(key, value);
            var group = (P: 1.0, J: 0, Total: 0, Start: 0L, Expected: 0.0);
            foreach (var (start, j, total) in windows)
            {
                double p, expected;
                if (usualShare is { } placeShare)
                {
                    // The place's usual tickets over the window: its share of the stream's usual volume, or its own
                    // rate of the two hours before when that was higher (its traffic moved: a batch just upgraded);
                    // or the window's other tickets there when more came. The window opens on a burst ticket.
                    var before = SortedTimes.LowerBound(stream, start) - SortedTimes.LowerBound(stream, start - EmergenceDetector.RecentSpan);
                    var usual = Math.Max(placeShare * volume!.UsualTickets(start), before * (double)(now.UtcTicks - start) / EmergenceDetector.RecentSpan);
                    expected = share * Math.Max(usual, total - j);
                    p = Probability.PoissonUpperTail(j - 1, expected);
                }
                else
                {
                    expected = share * total;
                    p = Probability.BinomialUpperTail(j - 1, total - 1, share);
                }

                p *= windows.Length * tests;
                if (p < group.P)
                {
                    group = (p, j, total, start, expected);
                }
            }

            var (groupP, profileEvidence) = (Math.Min(1, group.P), "");
            if (profile is { } pr)
            {
                // Weighted Bonferroni over the two tests of this sub-burst (location alone, location and writers), or
                // none: the test then counts in the caller's family of burst tests (EngineOptions.BurstTestFamily).
                var weight = pr.Options.Weight is { } w ? Math.Clamp(w, 0, 1) : 1;
                groupP = Math.Min(1, pr.Options.Weight is null ? groupP : groupP / (1 - weight));
                if (weight > 0 && group.P < ProfileGate)
                {
                    reference ??= pr.Reference();
                    var writersOf = tickets.Select(t => t.Attributes).ToList();
                    if (CustomerProfileEvidence.Profile(writersOf, reference, pr.Options, options.MinTickets) is { } found)
                    {
                        var combined = CustomerProfileEvidence.Fisher(Math.Min(1, group.P), found.P) / weight;
                        if (combined < groupP)
                        {
                            (groupP, profileEvidence) = (combined, $"; written by {found.Evidence}");
                        }
                    }
                }
            }

            if (group.J > 0 && groupP < best.P)
            {
                best = (groupP, group.J, group.Total, group.Start, group.Expected, key, value, profileEvidence);
            }
        }

        if (best.J == 0)
        {
            return EmergenceAssessment.Quiet;
        }

        var length = TimeSpan.FromTicks(now.UtcTicks - best.Start);
        var evidence = $"{best.J} similar tickets of the last {best.Total} with {AttributeConcentration.Describe(best.Key, best.Value)} " +
            $"in {EmergenceDetector.Humanize(length)} vs {best.Expected:0.0} expected{best.Profile}";
        var corrected = Math.Min(1, best.P);
        return new EmergenceAssessment(false, false, Probability.Score(corrected), corrected, best.J, best.Total, length, best.Expected, evidence);
    }

    /// <summary>
    /// The whole stream as one more place, for a burst spread over the fleet whose writers share what no place shows
    /// (a mail provider rejecting our mail: its customers live on every server). <paramref name="text"/> is the burst's
    /// own arrival test over the whole stream; combined, by Fisher's method, with who wrote the tickets of its window.
    /// Quiet when the arrival test alone is past the profile gate or the writers share nothing.
    /// </summary>
    public EmergenceAssessment Everywhere(
        EmergenceAssessment text, IReadOnlyList<BurstTicket> burst, EmergenceOptions options,
        (ProfileEvidenceOptions Options, Func<AttributeBaseline> Reference)? profile)
    {
        if (profile is not { } pr || text.WindowTickets == 0 || text.PValue >= ProfileGate || pr.Options.Weight is <= 0)
        {
            return EmergenceAssessment.Quiet;
        }

        var writers = new HashSet<string>(StringComparer.Ordinal);
        var window = burst.OrderBy(t => t.At).TakeLast(text.WindowTickets)
            .Where(t => !t.Attributes.TryGetValue(customerKey, out var who) || writers.Add(who))
            .Select(t => t.Attributes).ToList();
        if (CustomerProfileEvidence.Profile(window, pr.Reference(), pr.Options, options.MinTickets) is not { } found)
        {
            return EmergenceAssessment.Quiet;
        }

        var weight = pr.Options.Weight is { } w ? Math.Clamp(w, 0, 1) : 1;
        var combined = Math.Min(1, CustomerProfileEvidence.Fisher(text.PValue, found.P) / weight);
        return text with { Score = Probability.Score(combined), PValue = combined, Evidence = $"{text.Evidence}; written by {found.Evidence}" };
    }

    // A location p-value above this cannot reach any useful threshold however concentrated the writers: the profile
    // (the costly part) is not asked for. Skipping it only shrinks the combined test's rejection region.
    private const double ProfileGate = 0.05;

    /// <summary>Forgets arrivals before <paramref name="before"/> (older than any burst window asked about).</summary>
    public void Prune(DateTimeOffset before)
    {
        foreach (var (key, list) in _streams.ToList())
        {
            list.RemoveRange(0, SortedTimes.LowerBound(list, before.UtcTicks));
            if (list.Count == 0)
            {
                _streams.Remove(key);
            }
        }
    }

    internal void Write(BinaryWriter w)
    {
        w.Write(_streams.Count);
        foreach (var ((key, value), list) in _streams.OrderBy(s => s.Key.Key, StringComparer.Ordinal).ThenBy(s => s.Key.Value, StringComparer.Ordinal))
        {
            w.Write(key);
            w.Write(value);
            EmergenceDetector.WriteTimes(w, list);
        }
    }

    internal void Read(BinaryReader r)
    {
        _streams.Clear();
        var count = r.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var key = (r.ReadString(), r.ReadString());
            var list = new List<long>();
            EmergenceDetector.ReadTimes(r, list);
            _streams[key] = list;
            AddKeys([key.Item1]);
        }
    }
}
