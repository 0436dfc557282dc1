namespace TicketTriage.ML.Signals;

/// <summary>
/// An upgrade, deploy or maintenance, and what it touched: attribute key → values ("server" → the batch's servers,
/// "plan" → the plans a deploy reached). An empty target map means "everything", which no concentration can single
/// out.
/// </summary>
public sealed record ChangeEvent(
    string Id,
    string Title,
    string Kind,
    DateTimeOffset Start,
    DateTimeOffset? End,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Targets);

/// <summary>Thresholds of <see cref="ChangeCorrelation"/>.</summary>
/// <param name="MaxLagHours">Longest onset − change start that still counts (Smiling Peanut's first ticket came 9 h after).</param>
/// <param name="MinLift">Share of the pattern on the targets ÷ share of the other tickets on them.</param>
/// <param name="MinShare">Fewest of the pattern's tickets that must be on the targets.</param>
/// <param name="MaxPValue">One-sided p-value, Bonferroni-corrected over the changes and target keys tried.</param>
/// <param name="ReferenceIncludesMembers">As <see cref="ConcentrationOptions.ReferenceIncludesMembers"/>.</param>
public sealed record ChangeCorrelationOptions(
    double MaxLagHours = 48,
    double MinLift = 2.0,
    double MinShare = 0.5,
    double MaxPValue = 1e-3,
    int MinSupport = 3,
    bool ReferenceIncludesMembers = true);

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
    string Evidence);

/// <summary>
/// Links a pattern to a preceding change when two things hold: its onset comes after the change started (within
/// a lag), and its tickets concentrate on the change's targets far above the other tickets (lift, minimum share and
/// a Fisher exact test). Timing alone proves nothing — in a busy week something always changed shortly before — so a
/// change whose targets the pattern does not concentrate on is never linked. Among the changes that qualify, the most
/// significant wins, discounted by lag, so of two changes to the same servers the more recent one is named.
/// </summary>
public static class ChangeCorrelation
{
    /// <param name="onset">When the pattern began (its first tickets).</param>
    /// <param name="members">Attributes of the pattern's tickets.</param>
    /// <param name="baseline">The baseline population (see <see cref="ChangeCorrelationOptions.ReferenceIncludesMembers"/>).</param>
    public static ChangeLink? Link(
        DateTimeOffset onset,
        IReadOnlyList<IReadOnlyDictionary<string, string>> members,
        AttributeBaseline baseline,
        IReadOnlyList<ChangeEvent> changes,
        ChangeCorrelationOptions? options = null) =>
        Candidates(onset, members, baseline, changes, options).FirstOrDefault();

    /// <param name="members">The pattern's tickets as counts of attribute values.</param>
    public static ChangeLink? Link(
        DateTimeOffset onset,
        AttributeBaseline members,
        AttributeBaseline baseline,
        IReadOnlyList<ChangeEvent> changes,
        ChangeCorrelationOptions? options = null) =>
        Candidates(onset, members, baseline, changes, options).FirstOrDefault();

    /// <summary>Every qualifying link, best first.</summary>
    public static IReadOnlyList<ChangeLink> Candidates(
        DateTimeOffset onset,
        IReadOnlyList<IReadOnlyDictionary<string, string>> members,
        AttributeBaseline baseline,
        IReadOnlyList<ChangeEvent> changes,
        ChangeCorrelationOptions? options = null)
    {
        var counts = new AttributeBaseline();
        foreach (var member in members)
        {
            counts.Add(member);
        }

        return Candidates(onset, counts, baseline, changes, options);
    }

    /// <summary>Every qualifying link, best first.</summary>
    public static IReadOnlyList<ChangeLink> Candidates(
        DateTimeOffset onset,
        AttributeBaseline members,
        AttributeBaseline baseline,
        IReadOnlyList<ChangeEvent> changes,
        ChangeCorrelationOptions? options = null)
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
        var tests = Math.Max(1, eligible.Sum(c => c.Targets.Count));
        var links = new List<(ChangeLink Link, double Rank)>();
        foreach (var change in eligible)
        {
            foreach (var (key, values) in change.Targets)
            {
                var targets = new HashSet<string>(values, StringComparer.Ordinal);
                var onTargets = targets.Sum(v => members.CountOf(key, v));
                var inBaseline = targets.Sum(v => baseline.CountOf(key, v));
                var (shareInside, shareBaseline, lift, p) = test.Over(onTargets, inBaseline, tests);
                if (onTargets < options.MinSupport || lift < options.MinLift || shareInside < options.MinShare || p > options.MaxPValue)
                {
                    continue;
                }

                var lag = onset - change.Start;
                var evidence =
                    $"onset {EmergenceDetector.Humanize(lag)} after {change.Title}; " +
                    $"{AttributeConcentration.Percent(shareInside)} of tickets on its {Plural(targets.Count, key)} " +
                    $"vs {AttributeConcentration.Percent(shareBaseline)} baseline";
                var link = new ChangeLink(change, lag, key, onTargets, n, shareInside, shareBaseline, lift, p, evidence);
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

    private static string Plural(int count, string key) => count == 1 ? key : $"{count} {key}s";
}
