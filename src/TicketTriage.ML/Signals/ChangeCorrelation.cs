namespace TicketTriage.ML.Signals;

/// <summary>
/// An upgrade, deploy or maintenance, and what it touched: attribute key → values ("server" → the batch's servers,
/// "plan" → the plans a deploy reached). An empty target map means "everything", which no concentration can single
/// out. Targets may name any attribute a ticket carries or derives (server, plan, region, an auth shard, a product
/// version, an e-mail domain…).
/// </summary>
public sealed record ChangeEvent(
    string Id,
    string Title,
    string Kind,
    DateTimeOffset Start,
    DateTimeOffset? End,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Targets)
{
    /// <summary>
    /// The rollout this change is one batch of (null: a change of its own). A bug in an upgrade procedure follows the
    /// procedure from batch to batch: its tickets spread over every batch's targets, which no single batch explains.
    /// </summary>
    public string? Series { get; init; }
}

/// <summary>Thresholds of <see cref="ChangeCorrelation"/>.</summary>
/// <param name="MaxLagHours">
/// The look-back: longest onset − change start that still counts. Smiling Peanut's first ticket came 9 h after the
/// upgrade; a change that breaks something slowly (a renewal job, a disk filling) shows days later, so it reaches
/// four days. Timing alone never links: the targets must hold the pattern, so a long look-back costs little.
/// </param>
/// <param name="MinLift">Share of the pattern on the targets ÷ share of the other tickets on them.</param>
/// <param name="MinShare">Fewest of the pattern's tickets that must be on the targets.</param>
/// <param name="MaxPValue">One-sided p-value, Bonferroni-corrected over the changes and target keys tried.</param>
/// <param name="ReferenceIncludesMembers">As <see cref="ConcentrationOptions.ReferenceIncludesMembers"/>.</param>
/// <param name="DominantShare">
/// A change can reach half the fleet (a rollout's batches, maintenance of one of two datacenters), so no bug that
/// follows it can double the share of its targets; a change qualifies below <see cref="MinLift"/> when at least this
/// share of the pattern is on its targets while the reference has at most <see cref="DominantBaselineShare"/> there (as
/// <see cref="ConcentrationOptions.DominantShare"/>). A pattern on one of several targets is not the change's unless
/// it also reaches the others (see <see cref="ChangeCorrelation"/>).
/// </param>
/// <param name="SeriesPlacesAtOnset">
/// A rollout's pattern that shuns some of its places is judged on the batches started by the pattern's onset, not on
/// the later ones: a batch that began hours ago has not yet had the time to write as the first did, and an incident
/// gated on its first batches' datacenter refuses the new batch's tickets — they go to a pattern of their own until
/// the two fold. Judged on every batch started by the latest ticket, the PHP rollout's incident lost its rollout the
/// night the third batch went to the other datacenter, kept its gate on the first, and split in two.
/// </param>
public sealed record ChangeCorrelationOptions(
    double MaxLagHours = 96,
    double MinLift = 2.0,
    double MinShare = 0.5,
    double MaxPValue = 1e-3,
    int MinSupport = 3,
    bool ReferenceIncludesMembers = true,
    double DominantShare = 0.9,
    double DominantBaselineShare = 0.7,
    bool SeriesPlacesAtOnset = true);

/// <summary>A pattern tied to the change that most likely caused it.</summary>
/// <param name="OnsetLag">From the change's start to the pattern's onset.</param>
/// <param name="TargetKey">Which of the change's target kinds the pattern concentrates on ("server", "plan").</param>
/// <param name="Evidence">"onset 35 min after upgrade batch 3; 88% of tickets on its 7 servers vs 12% baseline".</param>
public sealed record ChangeLink(
    ChangeEvent Change,
    TimeSpan OnsetLag,
    string TargetKey,
    int OnTargets,
    int PatternSize,
    double ShareInside,
    double ShareBaseline,
    double Lift,
    double PValue,
    string Evidence)
{
    /// <summary>Set when the link is to a whole rollout: the series of <see cref="Change"/> (then the latest batch before the onset).</summary>
    public string? Series { get; init; }

    /// <summary>Batches of the series whose targets were tested together (1 for a single change).</summary>
    public int Batches { get; init; } = 1;
}

/// <summary>A pattern's tickets and its reference's, one by one (the reference without the pattern's own).</summary>
public sealed record TicketsOf(IReadOnlyList<KeyValuePair<string, string>[]> Members, IReadOnlyList<KeyValuePair<string, string>[]> Reference);

/// <summary>
/// Links a pattern to a preceding change when two things hold: its onset comes after the change started (within
/// a lag), and its tickets concentrate on the change's targets far above the other tickets (lift, minimum share and
/// a Fisher exact test; or most of it on targets that are not most of the reference). Timing alone proves nothing — in
/// a busy week something always changed shortly before — so a change whose targets the pattern does not concentrate
/// on is never linked, nor (given the tickets one by one) a change to several places for a pattern in one of them.
/// Among the changes that qualify, the most significant wins, discounted by lag, so of two changes to the same servers
/// the more recent one is named.
/// </summary>
public static class ChangeCorrelation
{
    /// <param name="onset">When the pattern began (its first tickets).</param>
    /// <param name="members">Attributes of the pattern's tickets.</param>
    /// <param name="baseline">The baseline population (see <see cref="ChangeCorrelationOptions.ReferenceIncludesMembers"/>).</param>
    /// <param name="asOf">The latest ticket's time: batches of a rollout started by then count in its targets (default: the onset).</param>
    public static ChangeLink? Link(
        DateTimeOffset onset,
        IReadOnlyList<IReadOnlyDictionary<string, string>> members,
        AttributeBaseline baseline,
        IReadOnlyList<ChangeEvent> changes,
        ChangeCorrelationOptions? options = null,
        DateTimeOffset? asOf = null) =>
        Candidates(onset, members, baseline, changes, options, asOf).FirstOrDefault();

    /// <param name="members">The pattern's tickets as counts of attribute values.</param>
    /// <param name="asOf">The latest ticket's time: batches of a rollout started by then count in its targets (default: the onset).</param>
    /// <param name="tickets">The same tickets one by one: with them a change to several places is not named for a pattern in one.</param>
    public static ChangeLink? Link(
        DateTimeOffset onset,
        AttributeBaseline members,
        AttributeBaseline baseline,
        IReadOnlyList<ChangeEvent> changes,
        ChangeCorrelationOptions? options = null,
        DateTimeOffset? asOf = null,
        TicketsOf? tickets = null) =>
        Candidates(onset, members, baseline, changes, options, asOf, tickets).FirstOrDefault();

    /// <summary>Every qualifying link, best first.</summary>
    public static IReadOnlyList<ChangeLink> Candidates(
        DateTimeOffset onset,
        IReadOnlyList<IReadOnlyDictionary<string, string>> members,
        AttributeBaseline baseline,
        IReadOnlyList<ChangeEvent> changes,
        ChangeCorrelationOptions? options = null,
        DateTimeOffset? asOf = null)
    {
        var counts = new AttributeBaseline();
        foreach (var member in members)
        {
            counts.Add(member);
        }

        return Candidates(onset, counts, baseline, changes, options, asOf);
    }

    /// <summary>Every qualifying link, best first.</summary>
    public static IReadOnlyList<ChangeLink> Candidates(
        DateTimeOffset onset,
        AttributeBaseline members,
        AttributeBaseline baseline,
        IReadOnlyList<ChangeEvent> changes,
        ChangeCorrelationOptions? options = null,
        DateTimeOffset? asOf = null,
        TicketsOf? tickets = null)
    {
        ArgumentNullException.ThrowIfNull(members);
        options ??= new ChangeCorrelationOptions();
        var n = members.Count;
        var test = new ShareTest(n, baseline.Count, options.ReferenceIncludesMembers);
        if (n < options.MinSupport || test.Rest <= 0)
        {
            return [];
        }

        var maxLag = TimeSpan.FromHours(options.MaxLagHours);
        var eligible = changes
            .Where(c => c.Start <= onset && onset - c.Start <= maxLag && c.Targets.Count > 0)
            .ToList();
        var series = SeriesUnions(onset, asOf ?? onset, eligible, changes);
        var tests = Math.Max(1, eligible.Sum(c => c.Targets.Count) + series.Sum(s => s.Targets.Count));
        var links = new List<(ChangeLink Link, double Rank)>();
        foreach (var (change, seriesId, batches, changeTargets, atOnset) in eligible.Select(c => (c, (string?)null, 1, c.Targets, c.Targets)).Concat(series))
        {
            foreach (var (key, values) in changeTargets)
            {
                var targets = new HashSet<string>(values, StringComparer.Ordinal);
                var placesJudged = options.SeriesPlacesAtOnset ? new HashSet<string>(atOnset.GetValueOrDefault(key) ?? [], StringComparer.Ordinal) : targets;
                var onTargets = targets.Sum(v => members.CountOf(key, v));
                var inBaseline = targets.Sum(v => baseline.CountOf(key, v));
                var (shareInside, shareBaseline, lift, p) = test.Over(onTargets, inBaseline, tests);
                var dominant = shareInside >= options.DominantShare && shareBaseline <= options.DominantBaselineShare;
                if (onTargets < options.MinSupport || (lift < options.MinLift && !dominant) || shareInside < options.MinShare || p > options.MaxPValue ||
                    (tickets is not null && OnePlaceExplains(tickets, options, key, placesJudged)))
                {
                    continue;
                }

                var lag = onset - change.Start;
                var what = seriesId is null ? change.Title : $"{change.Title} of rollout {seriesId}";
                var where = seriesId is null ? $"its {Plural(targets.Count, key)}" : $"the {Plural(targets.Count, key)} of its {batches} batches";
                var evidence =
                    $"onset {EmergenceDetector.Humanize(lag)} after {what}; " +
                    $"{AttributeConcentration.Percent(shareInside)} of tickets on {where} " +
                    $"vs {AttributeConcentration.Percent(shareBaseline)} baseline";
                var link = new ChangeLink(change, lag, key, onTargets, n, shareInside, shareBaseline, lift, p, evidence)
                {
                    Series = seriesId,
                    Batches = batches,
                };
                links.Add((link, Probability.Score(p) / (1 + lag.TotalHours / 24)));
            }
        }

        return links
            .OrderByDescending(l => l.Rank)
            .ThenBy(l => l.Link.OnsetLag)
            .ThenBy(l => l.Link.Change.Id, StringComparer.Ordinal)
            .Select(l => l.Link)
            .ToList();
    }

    // A rollout is judged as one change too: the union of the targets of its batches that had started by the time
    // of the latest ticket (a bug in the procedure reaches each new batch), timed from its latest batch before the
    // onset. Only when that batch lies within the look-back, and only with two batches or more. With it, the union of
    // the batches started by the onset (SeriesPlacesAtOnset).
    private static List<(ChangeEvent Change, string? Series, int Batches, IReadOnlyDictionary<string, IReadOnlyList<string>> Targets,
        IReadOnlyDictionary<string, IReadOnlyList<string>> AtOnset)> SeriesUnions(
        DateTimeOffset onset, DateTimeOffset asOf, List<ChangeEvent> eligible, IReadOnlyList<ChangeEvent> all)
    {
        var unions = new List<(ChangeEvent, string?, int, IReadOnlyDictionary<string, IReadOnlyList<string>>, IReadOnlyDictionary<string, IReadOnlyList<string>>)>();
        foreach (var id in eligible.Where(c => c.Series is not null).Select(c => c.Series!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var batches = all.Where(c => c.Series == id && c.Start <= (asOf > onset ? asOf : onset) && c.Targets.Count > 0).ToList();
            if (batches.Count < 2)
            {
                continue;
            }

            var latest = eligible.Where(c => c.Series == id).MaxBy(c => c.Start)!;
            unions.Add((latest, id, batches.Count, Union(batches), Union(batches.Where(b => b.Start <= onset))));
        }

        return unions;
    }

    private static Dictionary<string, IReadOnlyList<string>> Union(IEnumerable<ChangeEvent> batches)
    {
        var targets = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var batch in batches)
        {
            foreach (var (key, values) in batch.Targets)
            {
                targets[key] = [.. (targets.GetValueOrDefault(key) ?? []).Union(values, StringComparer.Ordinal)];
            }
        }

        return targets;
    }

    // A change to several places is not named for a pattern in one of them that shuns the others: ServInt's Ashburn
    // router flapped 45 h after maintenance of Ashburn and Los Angeles — every ticket in Ashburn, none in Los Angeles,
    // where a quarter of the ordinary tickets come from — and the change's 18 servers held it only because Ashburn's
    // are among them. Judged when the pattern's tickets are rarer on the targets outside its place than ordinary
    // tickets are, beyond chance (one-sided, at MaxPValue). An incident of the change reaches its other places at least
    // as often as everyday trouble does, even one of its fragments (Webmail's routing failure, in fragments that
    // roughly follow the datacenters: 14% of one in San Antonio, as usual, is no sign of another cause). A place is
    // where tickets live (a datacenter, a server), never who wrote them: restores failing for usernames a–b on the
    // restored server are still the restore's.
    private static bool OnePlaceExplains(TicketsOf tickets, ChangeCorrelationOptions options, string key, HashSet<string> targets)
    {
        if (tickets.Members.Count == 0 || tickets.Reference.Count == 0)
        {
            return false;
        }

        bool OnTargets(KeyValuePair<string, string>[] ticket) => ValueOf(ticket, key) is { } v && targets.Contains(v);
        var inside = tickets.Members.Where(OnTargets).ToList();
        var usual = tickets.Reference.Where(OnTargets).ToList();
        foreach (var place in Places)
        {
            if (inside.Select(t => ValueOf(t, place)).OfType<string>().GroupBy(v => v, StringComparer.Ordinal)
                    .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).FirstOrDefault()?.Key is not { } top)
            {
                continue;
            }

            bool Elsewhere(KeyValuePair<string, string>[] ticket) => ValueOf(ticket, place) != top;
            var othersInside = inside.Count(Elsewhere);
            var othersUsual = (double)usual.Count(Elsewhere) / tickets.Reference.Count;

            // P(at most othersInside of the pattern on the other targets) at the ordinary share, as the upper tail of the rest.
            var n = tickets.Members.Count;
            if (othersUsual > 0 && Probability.BinomialUpperTail(n - othersInside, n, 1 - othersUsual) <= options.MaxPValue)
            {
                return true;
            }
        }

        return false;
    }

    private static readonly string[] Places = [AttributeKeys.Datacenter, AttributeKeys.Server];

    private static string? ValueOf(KeyValuePair<string, string>[] ticket, string key) =>
        new AttributeView(ticket).TryGetValue(key, out var value) ? value : null;

    private static string Plural(int count, string key) => count == 1 ? key : $"{count} {key}s";
}
