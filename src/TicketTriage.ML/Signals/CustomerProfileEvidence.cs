namespace TicketTriage.ML.Signals;

/// <summary>Settings of <see cref="CustomerProfileEvidence"/>.</summary>
/// <param name="Keys">
/// Attributes of the customer that neither where the ticket lives nor when it was written changes (a username's
/// initial, an e-mail domain): under the null hypothesis they are independent of what the ticket says and of its
/// server, so a burst whose writers share one of them is evidence of its own.
/// </param>
/// <param name="Weight">
/// Weighted Bonferroni share of the test family given to "location and profile together"; the location test alone
/// keeps 1 − Weight. Small: most incidents follow where tickets live, not who writes them, and the plain test
/// should lose little.
/// </param>
public sealed record ProfileEvidenceOptions(IReadOnlyList<string> Keys, double Weight = 0.2)
{
    public static readonly IReadOnlyList<string> DefaultKeys = [AttributeKeys.UsernameInitial, AttributeKeys.EmailDomain];
}

/// <summary>
/// Who wrote a burst, as a second, independent piece of evidence beside where it lives. A restore that fails for
/// "usernames starting with a or b" on node-209 sends tickets that look like everyday restore requests (a few
/// percent of traffic) from a server that carries a few percent of it — neither alone is surprising after five
/// tickets; five writers who are also all in a–b (12% of customers) are. The profile test is the concentration test
/// of <see cref="AttributeConcentration"/> on the burst's distinct writers against the customers of recent traffic
/// (values and ordinal ranges, Bonferroni-corrected over every one tried); it is combined with the location test by
/// Fisher's method (for two independent p-values the combined tail is P·(1 − ln P), P their product), and the
/// family — location alone, location and profile — is paid for by weighted Bonferroni.
/// </summary>
public static class CustomerProfileEvidence
{
    /// <summary>The strongest profile concentration of <paramref name="writers"/> against <paramref name="reference"/>, or null.</summary>
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

        var keys = options.Keys.ToHashSet(StringComparer.Ordinal);
        var members = writers.Select(w => (IReadOnlyDictionary<string, string>)w.Where(kv => keys.Contains(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal)).ToList();
        var found = AttributeConcentration.Find(members, reference, new ConcentrationOptions(
            MinSupport: minSupport, MinLift: 1, MinShare: 0, DominantShare: 2, MaxPValue: 1, ReferenceIncludesMembers: false));
        return found.Count == 0 ? null : (found[0].PValue, found[0].Evidence);
    }

    /// <summary>Fisher's combination of two independent p-values: P(χ²₄ ≥ −2 ln(p1·p2)) = P·(1 − ln P).</summary>
    public static double Fisher(double p1, double p2)
    {
        var product = Math.Max(p1 * p2, 1e-300);
        return Math.Min(1, product * (1 - Math.Log(product)));
    }
}
