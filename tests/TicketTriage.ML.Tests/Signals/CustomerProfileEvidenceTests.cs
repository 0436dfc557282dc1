using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Tests.Signals;

/// <summary>
/// Who wrote a burst beside where it lives: a restore failing for usernames a–b on one node sends tickets that look
/// like everyday restore requests from a server with a few percent of traffic; writers all in a–b are what tells.
/// </summary>
public sealed class CustomerProfileEvidenceTests
{
    private static readonly DateTimeOffset Start = new(2024, 3, 4, 0, 0, 0, TimeSpan.Zero);
    private static readonly EmergenceOptions Options = new(Threshold: 4);
    private static readonly ProfileEvidenceOptions Profile = new(ProfileEvidenceOptions.DefaultKeys);

    private static Dictionary<string, string> Ticket(int server, string user) => new(StringComparer.Ordinal)
    {
        [AttributeKeys.Server] = $"node-{server:00}",
        [AttributeKeys.Username] = user,
        [AttributeKeys.UsernameInitial] = TicketAttributes.UsernameInitial(user),
    };

    /// <summary>A day of background, one ticket a minute over 25 servers, writers' initials uniform over a–z.</summary>
    private static (ConcentratedBurst Streams, AttributeBaseline Customers, DateTimeOffset End) Background(int seed = 7)
    {
        var streams = new ConcentratedBurst([AttributeKeys.Server]);
        var customers = new AttributeBaseline();
        var random = new Random(seed);
        var t = Start;
        for (var i = 0; i < 24 * 60; i++, t = t.AddMinutes(1))
        {
            var ticket = Ticket(random.Next(25), $"{(char)('a' + random.Next(26))}user{i}");
            streams.Add(t, ticket);
            customers.Add(ticket);
        }

        return (streams, customers, t);
    }

    /// <summary>Four similar tickets on node-09, one every eight minutes, from the writers <paramref name="initials"/> names.</summary>
    private static List<BurstTicket> Burst(ConcentratedBurst streams, DateTimeOffset from, string initials)
    {
        var burst = new List<BurstTicket>();
        for (var k = 0; k < initials.Length; k++)
        {
            var attributes = Ticket(9, $"{initials[k]}writer{k}");
            var at = from.AddMinutes(8 * k + 0.5);
            streams.Add(at, attributes);
            burst.Add(new BurstTicket(at, attributes));
        }

        return burst;
    }

    [Fact]
    public void Writers_in_one_username_range_turn_a_weak_location_burst_into_a_flag()
    {
        var (streams, customers, end) = Background();
        var burst = Burst(streams, end, "abab");

        // Such tickets are 5% of traffic: four of node-09's handful is suggestive, not enough alone.
        var alone = streams.Assess(burst, share: 0.05, burst[^1].At, Options);
        var withWriters = streams.Assess(burst, share: 0.05, burst[^1].At, Options, (Profile, () => customers));

        Assert.True(alone.Score < Options.Threshold, alone.Evidence);
        Assert.True(withWriters.Score >= Options.Threshold, withWriters.Evidence);
        Assert.Contains("usernames a–b", withWriters.Evidence);
    }

    [Fact]
    public void Writers_of_every_kind_add_nothing()
    {
        var (streams, customers, end) = Background();
        var burst = Burst(streams, end, "akrw");

        var withWriters = streams.Assess(burst, share: 0.05, burst[^1].At, Options, (Profile, () => customers));

        Assert.True(withWriters.Score < Options.Threshold, withWriters.Evidence);
        Assert.DoesNotContain("usernames", withWriters.Evidence);
    }

    [Fact]
    public void A_weighted_split_charges_the_location_test_its_share_and_no_more()
    {
        var (streams, customers, end) = Background();
        var burst = Burst(streams, end, "akrw");

        var alone = streams.Assess(burst, share: 0.05, burst[^1].At, Options);
        var weighted = streams.Assess(burst, share: 0.05, burst[^1].At, Options, (Profile with { Weight = 0.2 }, () => customers));

        Assert.Equal(alone.Score - Math.Log10(1 / 0.8), weighted.Score, 6);
    }

    [Fact]
    public void The_profile_test_holds_its_level_on_random_writers()
    {
        // Under the null (writers drawn like everyone else), a p-value below 5% comes at most about 5% of the time:
        // the ranges tried are paid for.
        var (_, customers, _) = Background();
        var random = new Random(11);
        var below = 0;
        const int Trials = 400;
        for (var trial = 0; trial < Trials; trial++)
        {
            var writers = Enumerable.Range(0, 5)
                .Select(k => (IReadOnlyDictionary<string, string>)Ticket(9, $"{(char)('a' + random.Next(26))}w{trial}-{k}"))
                .ToList();
            if (CustomerProfileEvidence.Profile(writers, customers, Profile, minSupport: 3) is { P: < 0.05 })
            {
                below++;
            }
        }

        Assert.True(below <= Trials * 0.05, $"{below} of {Trials} random bursts below p 0.05");
    }

    [Fact]
    public void A_key_of_many_values_costs_a_key_of_few_at_most_the_number_of_keys()
    {
        // A day of customers with e-mail addresses at 1,000 domains (a fleet's small businesses) beside their
        // usernames: the domains' thousand hypotheses must not be charged to the username ranges.
        var customers = new AttributeBaseline();
        var random = new Random(7);
        for (var i = 0; i < 24 * 60; i++)
        {
            customers.Add(new Dictionary<string, string>(Ticket(random.Next(25), $"{(char)('a' + random.Next(26))}user{i}"), StringComparer.Ordinal)
            {
                [AttributeKeys.EmailDomain] = $"shop{random.Next(1000)}.example",
            });
        }

        var writers = "abab".Select((initial, k) => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(Ticket(9, $"{initial}writer{k}"), StringComparer.Ordinal)
        {
            [AttributeKeys.EmailDomain] = $"writer{k}.example",
        }).ToList();

        var usernamesOnly = CustomerProfileEvidence.Profile(writers, customers, new ProfileEvidenceOptions([AttributeKeys.UsernameInitial]), minSupport: 3);
        var besideDomains = CustomerProfileEvidence.Profile(writers, customers, Profile, minSupport: 3);

        Assert.NotNull(usernamesOnly);
        Assert.NotNull(besideDomains);
        Assert.Contains("usernames a–b", besideDomains.Value.Evidence);
        Assert.Equal(2, besideDomains.Value.P / usernamesOnly.Value.P, 6); // two keys tested: half the level each (pooled, it was 8.7)
    }

    /// <summary>A day of customers at mail providers and their own domains, one ticket a minute over 25 servers.</summary>
    private static (ConcentratedBurst Streams, AttributeBaseline Customers, DateTimeOffset End) MailBackground()
    {
        var streams = new ConcentratedBurst([AttributeKeys.Server]);
        var customers = new AttributeBaseline();
        var random = new Random(7);
        var t = Start;
        string[] providers = ["gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com"];
        for (var i = 0; i < 24 * 60; i++, t = t.AddMinutes(1))
        {
            // Half write from a provider (yahoo.com a tenth of all), half from a domain of their own.
            var domain = random.Next(2) == 0 ? providers[random.Next(providers.Length)] : $"shop{i}.example";
            var ticket = new Dictionary<string, string>(Ticket(random.Next(25), $"{(char)('a' + random.Next(26))}user{i}"), StringComparer.Ordinal)
            {
                [AttributeKeys.EmailDomain] = domain,
            };
            streams.Add(t, ticket);
            customers.Add(ticket);
        }

        return (streams, customers, t);
    }

    /// <summary>Six similar tickets over a day, each on another server, from writers at <paramref name="domains"/>.</summary>
    private static List<BurstTicket> SpreadBurst(ConcentratedBurst streams, DateTimeOffset from, params string[] domains)
    {
        var burst = new List<BurstTicket>();
        for (var k = 0; k < domains.Length; k++)
        {
            var attributes = new Dictionary<string, string>(Ticket(3 * k, $"{(char)('c' + 3 * k)}writer{k}"), StringComparer.Ordinal)
            {
                [AttributeKeys.EmailDomain] = domains[k],
            };
            var at = from.AddHours(3 * k + 0.5);
            streams.Add(at, attributes);
            burst.Add(new BurstTicket(at, attributes));
        }

        return burst;
    }

    // The burst's own arrival test over the whole stream: suggestive (p 0.001), under the threshold alone.
    private static EmergenceAssessment Arrivals(int tickets, double p) =>
        new(false, false, Probability.Score(p), p, tickets, 1_000, TimeSpan.FromHours(16), 1.0, $"{tickets} tickets of the last 1000 in 16 h vs 1.0 expected");

    [Fact]
    public void Writers_at_one_mail_provider_turn_a_weak_burst_on_every_server_into_a_flag()
    {
        var (streams, customers, end) = MailBackground();
        var burst = SpreadBurst(streams, end, "yahoo.com", "yahoo.com", "yahoo.com", "yahoo.com", "yahoo.com", "yahoo.com");
        var text = Arrivals(burst.Count, 1e-3);

        // No server holds three of them: the place test has nothing to ask the writers about.
        var places = streams.Assess(burst, share: 0.01, burst[^1].At, Options, (Profile, () => customers));
        var everywhere = streams.Everywhere(text, burst, Options, (Profile, () => customers));

        Assert.True(places.Score < Options.Threshold, places.Evidence);
        Assert.True(everywhere.Score >= Options.Threshold, everywhere.Evidence);
        Assert.Contains("e-mail at yahoo.com", everywhere.Evidence);
        Assert.StartsWith(text.Evidence, everywhere.Evidence);
        Assert.Equal(CustomerProfileEvidence.Fisher(text.PValue, CustomerProfileEvidence.Profile(
            burst.Select(b => b.Attributes).ToList(), customers, Profile, Options.MinTickets)!.Value.P), everywhere.PValue, 12);
    }

    [Fact]
    public void Writers_at_every_kind_of_address_add_nothing_everywhere()
    {
        var (streams, customers, end) = MailBackground();
        var burst = SpreadBurst(streams, end, "gmail.com", "own1.example", "yahoo.com", "outlook.com", "own2.example", "gmail.com");

        var everywhere = streams.Everywhere(Arrivals(burst.Count, 1e-3), burst, Options, (Profile, () => customers));

        Assert.True(everywhere.Score < Options.Threshold, everywhere.Evidence);
    }

    [Fact]
    public void Arrivals_past_the_profile_gate_are_not_asked_about_their_writers()
    {
        var (streams, customers, end) = MailBackground();
        var burst = SpreadBurst(streams, end, "yahoo.com", "yahoo.com", "yahoo.com", "yahoo.com", "yahoo.com", "yahoo.com");
        var asked = false;

        var everywhere = streams.Everywhere(Arrivals(burst.Count, 0.2), burst, Options, (Profile, () => { asked = true; return customers; }));

        Assert.Same(EmergenceAssessment.Quiet, everywhere);
        Assert.False(asked);
    }

    [Theory]
    [InlineData(0.01, 0.01, 1.02e-3)]
    [InlineData(0.5, 1.0, 0.5 * (1 - -0.6931))]
    [InlineData(1.0, 1.0, 1.0)]
    public void Fisher_combines_two_p_values_as_chi_square_with_four_degrees(double p1, double p2, double expected) =>
        Assert.Equal(expected, CustomerProfileEvidence.Fisher(p1, p2), 2);
}
