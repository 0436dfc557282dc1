using System.Globalization;

namespace TicketTriage.ML.Signals;

/// <summary>Thresholds of <see cref="AttributeConcentration"/>.</summary>
/// <param name="MinSupport">Fewest pattern tickets that must carry the value.</param>
/// <param name="MinLift">Share inside the pattern ÷ share in the rest of the baseline.</param>
/// <param name="DominantShare">
/// A value below <see cref="MinLift"/> still counts when it holds at least this share of the pattern while the
/// baseline has at most <see cref="DominantBaselineShare"/> of it: "datacenter dulles: 100% vs 57% baseline" — the big
/// datacenter cannot double its share, but the pattern is missing the rest of the fleet entirely.
/// </param>
/// <param name="MinShare">Fewest of the pattern's tickets that must carry the value (a concentration explains most of it).</param>
/// <param name="MaxPValue">One-sided Fisher exact p-value, Bonferroni-corrected over every value and range tested.</param>
/// <param name="OrdinalKeys">Keys whose values have an order: contiguous ranges of them are tested too ("usernames a–b").</param>
/// <param name="MaxRangeWidth">Widest range of ordinal values tested.</param>
/// <param name="IgnoredKeys">Keys never tested; null means <see cref="TicketAttributes.NotConcentrations"/>.</param>
/// <param name="ReferenceIncludesMembers">
/// True: the baseline is every ticket, the pattern's included (they are subtracted; Fisher exact test against the
/// rest). False: the baseline is a separate reference population — e.g. the ordinary tickets of the week before the
/// pattern's onset — and the test is binomial at the reference share.
/// </param>
public sealed record ConcentrationOptions(
    int MinSupport = 3,
    double MinLift = 2.0,
    double MinShare = 0.25,
    double DominantShare = 0.9,
    double DominantBaselineShare = 0.7,
    double MaxPValue = 1e-3,
    IReadOnlySet<string>? OrdinalKeys = null,
    int MaxRangeWidth = 4,
    IReadOnlySet<string>? IgnoredKeys = null,
    bool ReferenceIncludesMembers = true)
{
    public static readonly IReadOnlySet<string> DefaultOrdinalKeys = new HashSet<string>(StringComparer.Ordinal) { AttributeKeys.UsernameInitial };
}

/// <summary>One attribute value (or ordinal range, Value "a–b") over-represented in a pattern.</summary>
/// <param name="Support">Pattern tickets that carry it.</param>
/// <param name="ShareBaseline">Its share among baseline tickets outside the pattern.</param>
/// <param name="PValue">Corrected p-value.</param>
/// <param name="Evidence">Readable: "usernames a–b: 100% vs 8% baseline".</param>
public sealed record Concentration(
    string Key,
    string Value,
    int Support,
    int PatternSize,
    double ShareInside,
    double ShareBaseline,
    double Lift,
    double PValue,
    string Evidence)
{
    public double Score => Probability.Score(PValue);

    /// <summary>
    /// Whether a ticket with <paramref name="attributes"/> carries this value (or falls in this ordinal range, "a–b", or
    /// is one of this set of values, "outlook.com|hotmail.com": <see cref="ValueSetConcentration"/>).
    /// </summary>
    public bool Matches(IReadOnlyDictionary<string, string> attributes)
    {
        if (!attributes.TryGetValue(Key, out var value))
        {
            return false;
        }

        if (Value.Contains(ValueSetConcentration.Separator, StringComparison.Ordinal))
        {
            return ValueSetConcentration.Contains(Value, value);
        }

        var dash = Value.IndexOf('–', StringComparison.Ordinal);
        return dash <= 0
            ? string.Equals(value, Value, StringComparison.Ordinal)
            : string.CompareOrdinal(value, Value[..dash]) >= 0 && string.CompareOrdinal(value, Value[(dash + 1)..]) <= 0;
    }
}

/// <summary>
/// Finds the attribute values whose share among a pattern's tickets is far above their share among the other
/// tickets: lift, minimum support and a one-sided Fisher exact (hypergeometric) test, over raw attributes and the
/// derived ones of <see cref="TicketAttributes"/>. Ordinal keys are also tested as contiguous ranges, which is how a
/// restore failing for "usernames starting with a or b" shows up as one finding instead of two weak ones.
/// </summary>
public static class AttributeConcentration
{
    /// <param name="members">Attributes of the pattern's tickets.</param>
    /// <param name="baseline">The baseline population (see <see cref="ConcentrationOptions.ReferenceIncludesMembers"/>).</param>
    public static IReadOnlyList<Concentration> Find(
        IReadOnlyList<IReadOnlyDictionary<string, string>> members,
        AttributeBaseline baseline,
        ConcentrationOptions? options = null)
    {
        var counts = new AttributeBaseline();
        foreach (var member in members)
        {
            counts.Add(member);
        }

        return Find(counts, baseline, options);
    }

    /// <param name="members">The pattern's tickets as counts of attribute values (what a long-running engine keeps).</param>
    /// <param name="baseline">The baseline population (see <see cref="ConcentrationOptions.ReferenceIncludesMembers"/>).</param>
    public static IReadOnlyList<Concentration> Find(
        AttributeBaseline members,
        AttributeBaseline baseline,
        ConcentrationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(members);
        options ??= new ConcentrationOptions();
        var ordinal = options.OrdinalKeys ?? ConcentrationOptions.DefaultOrdinalKeys;
        var ignored = options.IgnoredKeys ?? TicketAttributes.NotConcentrations;
        var n = members.Count;
        var test = new ShareTest(n, baseline.Count, options.ReferenceIncludesMembers);
        if (n < options.MinSupport || test.Rest <= 0)
        {
            return [];
        }

        var inside = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var key in members.Keys)
        {
            if (!ignored.Contains(key))
            {
                inside[key] = new Dictionary<string, int>(members.ValuesOf(key), StringComparer.Ordinal);
            }
        }

        // Candidates first, then one Bonferroni factor for all of them.
        var candidates = new List<(string Key, string Value, int Support, int InPopulation, bool Ordinal)>();
        foreach (var (key, values) in inside.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (ordinal.Contains(key))
            {
                AddOrdinalCandidates(key, values, baseline, options.MaxRangeWidth, candidates);
                continue;
            }

            foreach (var (value, support) in values.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                candidates.Add((key, value, support, baseline.CountOf(key, value), false));
            }
        }

        var tests = Math.Max(1, candidates.Count);
        var found = new List<Concentration>();
        var bestOrdinal = new Dictionary<string, Concentration>(StringComparer.Ordinal);
        foreach (var (key, value, support, inBaseline, isOrdinal) in candidates)
        {
            if (support < options.MinSupport)
            {
                continue;
            }

            var (shareInside, shareBaseline, lift, p) = test.Over(support, inBaseline, tests);
            var dominant = shareInside >= options.DominantShare && shareBaseline <= options.DominantBaselineShare;
            if ((lift < options.MinLift && !dominant) || shareInside < options.MinShare || p > options.MaxPValue)
            {
                continue;
            }

            var finding = new Concentration(key, value, support, n, shareInside, shareBaseline, lift, p,
                $"{Describe(key, value)}: {Percent(shareInside)} vs {Percent(shareBaseline)} baseline");
            if (!isOrdinal)
            {
                found.Add(finding);
            }
            else if (!bestOrdinal.TryGetValue(key, out var best) || IsBetterOrdinal(finding, best))
            {
                bestOrdinal[key] = finding;
            }
        }

        found.AddRange(bestOrdinal.Values);
        return found
            .OrderBy(c => c.PValue)
            .ThenByDescending(c => c.Lift)
            .ThenBy(c => c.Key, StringComparer.Ordinal)
            .ThenBy(c => c.Value, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>"a" … "z" style values: single values and every contiguous range up to the given width.</summary>
    private static void AddOrdinalCandidates(
        string key,
        Dictionary<string, int> insideValues,
        AttributeBaseline baseline,
        int maxWidth,
        List<(string, string, int, int, bool)> candidates)
    {
        var universe = baseline.ValuesOf(key).Keys.Concat(insideValues.Keys)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();
        for (var start = 0; start < universe.Length; start++)
        {
            if (!insideValues.ContainsKey(universe[start]))
            {
                continue; // a range that starts on a value absent from the pattern is never the tightest one
            }

            int support = 0, inPopulation = 0;
            for (var end = start; end < universe.Length && end - start < maxWidth; end++)
            {
                var inCount = insideValues.GetValueOrDefault(universe[end]);
                support += inCount;
                inPopulation += baseline.CountOf(key, universe[end]);
                if (inCount == 0)
                {
                    continue; // only ranges that end on a value present in the pattern
                }

                var label = start == end ? universe[start] : $"{universe[start]}–{universe[end]}";
                candidates.Add((key, label, support, inPopulation, true));
            }
        }
    }

    // Most significant wins; among equally significant ones (p underflowed) the higher lift, i.e. the tighter range.
    private static bool IsBetterOrdinal(Concentration candidate, Concentration best) =>
        candidate.PValue < best.PValue * 0.999 || (candidate.PValue <= best.PValue * 1.001 && candidate.Lift > best.Lift);

    public static string Describe(string key, string value) => key switch
    {
        AttributeKeys.UsernameInitial => $"usernames {value}",
        AttributeKeys.Server => $"on {value}",
        AttributeKeys.Datacenter => $"datacenter {value}",
        AttributeKeys.Plan => $"plan {value}",
        AttributeKeys.ProductVersion => $"version {value}",
        AttributeKeys.AccountAge => $"account age {value}",
        AttributeKeys.EmailDomain => $"e-mail at {value}",
        AttributeKeys.ServerChangedWithin24h => value == "yes" ? "server changed in the last 24 h" : "server not changed in the last 24 h",
        _ => $"{key} = {value}",
    };

    public static string Percent(double share) =>
        share is > 0 and < 0.01
            ? (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%"
            : Math.Round(share * 100).ToString(CultureInfo.InvariantCulture) + "%";
}

/// <summary>
/// Over-representation of k of a pattern's n tickets against a baseline: Fisher exact (hypergeometric) when the
/// baseline contains the pattern, binomial at the reference share when it is a separate population.
/// </summary>
internal readonly record struct ShareTest(int PatternSize, int BaselineCount, bool BaselineIncludesMembers)
{
    /// <summary>Baseline tickets outside the pattern.</summary>
    public int Rest => BaselineIncludesMembers ? BaselineCount - PatternSize : BaselineCount;

    /// <param name="support">Pattern tickets with the property.</param>
    /// <param name="inBaseline">Baseline tickets with the property (pattern members included when the baseline includes them).</param>
    /// <param name="tests">Bonferroni factor.</param>
    public (double ShareInside, double ShareBaseline, double Lift, double PValue) Over(int support, int inBaseline, int tests)
    {
        var n = PatternSize;
        var rest = Rest;
        var restWith = BaselineIncludesMembers ? Math.Max(0, inBaseline - support) : inBaseline;
        var shareInside = (double)support / n;
        var shareBaseline = rest > 0 ? (double)restWith / rest : 0;

        // Half a ticket of smoothing keeps the lift finite (and the binomial defined) when the baseline never has it.
        var smoothed = (restWith + 0.5) / (rest + 1.0);
        var lift = shareInside / smoothed;
        var p = BaselineIncludesMembers
            ? Probability.HypergeometricUpperTail(support, rest + n, restWith + support, n)
            : Probability.BinomialUpperTail(support, n, smoothed);
        return (shareInside, shareBaseline, lift, Math.Min(1, p * tests));
    }
}
