namespace TicketTriage.ML.Signals;

/// <summary>Thresholds of <see cref="ValueSetConcentration"/>.</summary>
/// <param name="MaxValues">Largest set tried (a concentration over more values than this explains little).</param>
/// <param name="MinValueSupport">
/// Fewest pattern tickets a value needs to enter a set: a value one ticket carries (one customer's own domain) is no
/// evidence that the value belongs to the incident.
/// </param>
/// <param name="MinShare">Fewest of the pattern's tickets the set must cover.</param>
/// <param name="MinLift">Share inside ÷ share in the reference.</param>
/// <param name="MaxPValue">Binomial p-value, corrected for every set that could have been chosen (see the class).</param>
/// <param name="IgnoredKeys">Keys never tested; null means <see cref="TicketAttributes.NotConcentrations"/>.</param>
public sealed record ValueSetOptions(
    int MaxValues = 6,
    int MinValueSupport = 2,
    double MinShare = 0.5,
    double MinLift = 2.0,
    double MaxPValue = 1e-4,
    IReadOnlySet<string>? IgnoredKeys = null);

/// <summary>
/// A concentration over a SET of values of one attribute: "e-mail at outlook.com, hotmail.com or live.com: 94% vs 13%
/// baseline". One incident often hits a group no single value names (a mail provider's several domains, three
/// servers of one batch, two plans on one old stack); per value, each is a partial, weak finding — outlook 35%,
/// hotmail 30% — that cannot say which tickets belong to the incident. The set can.
/// <para>
/// For each attribute, the set is grown greedily from the values present in the pattern (each on at least
/// <see cref="ValueSetOptions.MinValueSupport"/> of its tickets): each step adds the value that makes the set most
/// significant; the candidates are the sets after k = 2 … MaxValues steps. Because the choice is read off the same
/// tickets, a k-set is as good as a free choice among every k-subset of the V values present, so its one-sided
/// binomial p-value (set's support among the pattern's n tickets at the set's reference
/// share) is multiplied by C(V, k), by the MaxValues − 1 sizes tried and by the attributes tested. That is a proper
/// Bonferroni bound for the data-chosen set; it is conservative, which is the side to err on when membership will
/// be gated on the result.
/// </para>
/// </summary>
public static class ValueSetConcentration
{
    /// <summary>Separates the values of a set in <see cref="Concentration.Value"/>.</summary>
    public const char Separator = '|';

    /// <summary>
    /// The best set per attribute among the tickets of <paramref name="members"/>, each customer counted once (by
    /// <paramref name="customerKey"/>): a customer writing again about one problem is one piece of evidence, and a
    /// repeat writer on a domain of their own must not make that domain part of the incident.
    /// </summary>
    public static IReadOnlyList<Concentration> Find(
        IEnumerable<IEnumerable<KeyValuePair<string, string>>> members,
        AttributeBaseline reference,
        ValueSetOptions? options = null,
        string customerKey = AttributeKeys.Username)
    {
        ArgumentNullException.ThrowIfNull(members);
        var writers = new HashSet<string>(StringComparer.Ordinal);
        var distinct = new AttributeBaseline();
        foreach (var member in members)
        {
            var pairs = member as IReadOnlyCollection<KeyValuePair<string, string>> ?? member.ToList();
            var who = pairs.FirstOrDefault(kv => kv.Key == customerKey).Value;
            if (who is null || writers.Add(who))
            {
                distinct.Add(pairs);
            }
        }

        return Find(distinct, reference, options);
    }

    /// <summary>The best set per attribute (at most one each), most significant first; <paramref name="members"/> as counts.</summary>
    public static IReadOnlyList<Concentration> Find(AttributeBaseline members, AttributeBaseline reference, ValueSetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(reference);
        options ??= new ValueSetOptions();
        var ignored = options.IgnoredKeys ?? TicketAttributes.NotConcentrations;
        var n = members.Count;
        if (n == 0 || reference.Count == 0)
        {
            return [];
        }

        var keys = members.Keys.Where(k => !ignored.Contains(k)).Order(StringComparer.Ordinal).ToList();
        var found = new List<Concentration>();
        foreach (var key in keys)
        {
            if (BestSet(key, members, reference, options, keys.Count) is { } set)
            {
                found.Add(set);
            }
        }

        return found.OrderBy(c => c.PValue).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
    }

    private static Concentration? BestSet(string key, AttributeBaseline members, AttributeBaseline reference, ValueSetOptions options, int keysTested)
    {
        var n = members.Count;
        var rest = reference.Count;
        var present = members.ValuesOf(key)
            .Where(v => v.Value >= options.MinValueSupport)
            .Select(v => (Value: v.Key, Support: v.Value, Reference: reference.CountOf(key, v.Key)))
            .OrderBy(v => v.Value, StringComparer.Ordinal)
            .ToList();
        var v = present.Count;
        if (v < 2)
        {
            return null; // a single value is AttributeConcentration's finding
        }

        // Grown greedily: each step adds the value that makes the set most significant. Ranking values by lift
        // alone would put first the rare values a repeat writer brings (one customer's own domain, twice).
        Concentration? best = null;
        var chosen = new List<string>();
        int support = 0, inReference = 0;
        var left = present.ToList();
        for (var k = 1; k <= Math.Min(options.MaxValues, v); k++)
        {
            var step = left
                .Select(x => (x, LogP: LogBinomialP(support + x.Support, n, Smoothed(inReference + x.Reference, rest))))
                .OrderBy(c => c.LogP)
                .ThenByDescending(c => c.x.Support) // p underflowed: the value that covers more
                .ThenBy(c => c.x.Value, StringComparer.Ordinal)
                .First().x;
            left.Remove(step);
            chosen.Add(step.Value);
            support += step.Support;
            inReference += step.Reference;
            if (k < 2)
            {
                continue;
            }

            var shareInside = (double)support / n;
            var smoothed = Smoothed(inReference, rest);
            var lift = shareInside / smoothed;
            var logP = LogBinomialP(support, n, smoothed)
                + Probability.LogChoose(v, k) + Math.Log(Math.Max(1, options.MaxValues - 1)) + Math.Log(keysTested);
            var p = Math.Min(1, Math.Exp(logP));
            if (shareInside < options.MinShare || lift < options.MinLift || p > options.MaxPValue || (best is not null && p >= best.PValue))
            {
                continue;
            }

            if (LeavesOutPartOfTheGroup(key, members, reference, chosen, options))
            {
                continue;
            }

            var shareReference = (double)inReference / rest;
            best = new Concentration(key, string.Join(Separator, chosen), support, n, shareInside, shareReference, lift, p,
                $"{Describe(key, chosen)}: {AttributeConcentration.Percent(shareInside)} vs {AttributeConcentration.Percent(shareReference)} baseline");
        }

        return best;
    }

    // A set is the group only when no value left out of it is over-represented too: three of a batch's seven
    // servers, found while the other four are over-represented too, are part of the group, and gating on them would
    // cut the incident. As for entering a set, a value needs MinValueSupport writers to count as evidence (one
    // customer on a domain of their own says nothing either way).
    private static bool LeavesOutPartOfTheGroup(string key, AttributeBaseline members, AttributeBaseline reference, List<string> chosen, ValueSetOptions options)
    {
        var rest = reference.Count;
        foreach (var (value, support) in members.ValuesOf(key))
        {
            var inReference = reference.CountOf(key, value);
            if (inReference > 0 && support >= options.MinValueSupport && !chosen.Contains(value, StringComparer.Ordinal) &&
                (double)support / members.Count >= options.MinLift * Smoothed(inReference, rest))
            {
                return true;
            }
        }

        return false;
    }

    // Half a ticket of smoothing, as AttributeConcentration: a value the reference never had keeps a finite lift.
    private static double Smoothed(int inReference, int rest) => (inReference + 0.5) / (rest + 1.0);

    private static double LogBinomialP(int support, int n, double share) =>
        Math.Log(Math.Max(Probability.BinomialUpperTail(support, n, share), 1e-300));

    /// <summary>"e-mail at outlook.com, hotmail.com or live.com".</summary>
    public static string Describe(string key, IReadOnlyList<string> values)
    {
        var list = values.Count == 1 ? values[0] : string.Join(", ", values.Take(values.Count - 1)) + " or " + values[^1];
        return AttributeConcentration.Describe(key, list);
    }

    /// <summary>Whether <paramref name="value"/> is one of the set's values (<paramref name="set"/> as stored in a concentration).</summary>
    public static bool Contains(string set, string value)
    {
        // Asked for every candidate pattern of every ticket once a pattern is gated on a set (a rollout's 24 servers):
        // compared in place, without a string per value.
        var values = set.AsSpan();
        foreach (var part in values.Split(Separator))
        {
            if (values[part].SequenceEqual(value))
            {
                return true;
            }
        }

        return false;
    }
}
