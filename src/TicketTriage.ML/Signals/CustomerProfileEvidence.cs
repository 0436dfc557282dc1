namespace TicketTriage.ML.Signals;

/// <summary>Settings of <see cref="CustomerProfileEvidence"/>.</summary>
/// <param name="Keys">
/// Attributes of the customer that neither where the ticket lives nor when it was written changes (a username's
/// initial, an e-mail domain): under the null hypothesis they are independent of what the ticket says and of its
/// server, so a burst whose writers share one of them is evidence of its own.
/// </param>
/// <param name="Weight">
/// Weighted Bonferroni share of the sub-burst's two tests given to "location and profile together" (the location
/// test alone keeps 1 − Weight). Null, the default: neither is charged here; the combined test is one more of the
/// burst tests run on an arrival, whose family the engine accounts for as a whole (EngineOptions.BurstTestFamily,
/// 1 as measured). Measured 2026-12-03: at 0.2 the location test's factor 1.25 cost Smiling Peanut's "files missing"
/// its flag on the 4th ticket (6th, 137 s after the 5th) — that flag sat 0.1 above the threshold.
/// </param>
/// <param name="MaxRangeWidth">Widest range of an ordinal key's values tested ("usernames a–d").</param>
public sealed record ProfileEvidenceOptions(IReadOnlyList<string> Keys, double? Weight = null, int MaxRangeWidth = 4)
{
    public static readonly IReadOnlyList<string> DefaultKeys = [AttributeKeys.UsernameInitial, AttributeKeys.EmailDomain];
}

/// <summary>
/// Who wrote a burst, as a second, independent piece of evidence beside where it lives. A restore that fails for
/// "usernames starting with a or b" on node-209 sends tickets that look like everyday restore requests (a few
/// percent of traffic) from a server that carries a few percent of it — neither alone is surprising after five
/// tickets; five writers who are also all in a–b (12% of customers) are. The profile test asks whether the burst's
/// distinct writers share a value (or an ordinal range) far more than the customers of recent traffic do, paying
/// for every value and range the reference allows; it is combined with the location test by
/// Fisher's method (for two independent p-values the combined tail is P·(1 − ln P), P their product), and the
/// family — location alone, location and profile — is paid for by weighted Bonferroni.
/// </summary>
public static class CustomerProfileEvidence
{
    /// <summary>
    /// The strongest profile concentration of <paramref name="writers"/> against <paramref name="reference"/> (binomial
    /// at the reference share), or null. Bonferroni over every hypothesis the reference allows, not only those the
    /// writers happen to hit: each value of a key, and for an ordinal key each contiguous range up to the width.
    /// The level is split evenly between the keys tested, each key's share over its own hypotheses: pooled, the
    /// e-mail domains (1,600 on NameHero's fleet) charged a username range 17 times what its own 100 ranges did, and
    /// four writers all in a–b (13% of customers) said nothing; split, a wide key costs a narrow one at most a
    /// factor of the number of keys.
    /// </summary>
    public static (double P, string Evidence)? Profile(
        IReadOnlyList<IReadOnlyDictionary<string, string>> writers,
        AttributeBaseline reference,
        ProfileEvidenceOptions options,
        int minSupport)
    {
        if (writers.Count < minSupport || reference.Count == 0)
        {
            return null;
        }

        var n = writers.Count;
        var hypotheses = new List<(string Key, string Label, int Support, int InReference)>();
        var familyOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var key in options.Keys)
        {
            var family = 0;
            var inside = writers.Where(w => w.ContainsKey(key)).GroupBy(w => w[key], StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var width = ConcentrationOptions.DefaultOrdinalKeys.Contains(key) ? Math.Max(1, options.MaxRangeWidth) : 1;
            var known = reference.ValuesOf(key);
            if (width == 1)
            {
                // Single values only: the family is every value either side has, the hypotheses the writers' own (in
                // the order the ranges below would list them). Sorting a reference of hundreds of e-mail domains on
                // every burst test was a tenth of a warm engine's time.
                family += known.Count + inside.Keys.Count(v => !known.ContainsKey(v));
                foreach (var value in inside.Keys.Where(v => inside[v] >= minSupport).Order(StringComparer.Ordinal))
                {
                    hypotheses.Add((key, value, inside[value], reference.CountOf(key, value)));
                }

                familyOf[key] = family;
                continue;
            }

            var universe = known.Keys.Concat(inside.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            for (var start = 0; start < universe.Length; start++)
            {
                var (support, inReference) = (0, 0);
                for (var end = start; end < universe.Length && end - start < width; end++)
                {
                    family++;
                    support += inside.GetValueOrDefault(universe[end]);
                    inReference += reference.CountOf(key, universe[end]);
                    if (support >= minSupport && inside.ContainsKey(universe[start]) && inside.ContainsKey(universe[end]))
                    {
                        hypotheses.Add((key, start == end ? universe[start] : $"{universe[start]}–{universe[end]}", support, inReference));
                    }
                }
            }

            familyOf[key] = family;
        }

        var keysTested = familyOf.Values.Count(f => f > 0);
        var best = (P: 1.0, Evidence: "");
        foreach (var (key, label, support, inReference) in hypotheses)
        {
            // Half a ticket of smoothing keeps the share above zero for a value the reference never saw.
            var share = (inReference + 0.5) / (reference.Count + 1.0);
            var p = Math.Min(1, Probability.BinomialUpperTail(support, n, share) * familyOf[key] * keysTested);
            if (p < best.P)
            {
                best = (p, $"{AttributeConcentration.Describe(key, label)}: {support} of {n} vs {AttributeConcentration.Percent(share)}");
            }
        }

        return best.P < 1 ? best : null;
    }

    /// <summary>Fisher's combination of two independent p-values: P(χ²₄ ≥ −2 ln(p1·p2)) = P·(1 − ln P).</summary>
    public static double Fisher(double p1, double p2)
    {
        var product = Math.Max(p1 * p2, 1e-300);
        return Math.Min(1, product * (1 - Math.Log(product)));
    }
}
