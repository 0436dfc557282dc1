using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Tests.Signals;

/// <summary>A concentration over a set of values of one attribute: the smallest group that explains the pattern.</summary>
public sealed class ValueSetConcentrationTests
{
    // Everyday mail providers, and half the customers on a domain of their own (one value per customer).
    private static readonly (string Domain, double Weight)[] Providers =
        [("gmail.com", 0.30), ("outlook.com", 0.07), ("hotmail.com", 0.04), ("live.com", 0.02), ("yahoo.com", 0.05), ("own", 0.52)];

    private static Dictionary<string, string> Ticket(Random random, string? domain = null)
    {
        if (domain is null)
        {
            var x = random.NextDouble();
            foreach (var (d, w) in Providers)
            {
                domain = d;
                if ((x -= w) < 0)
                {
                    break;
                }
            }
        }

        if (domain == "own")
        {
            domain = $"shop{random.Next(400)}.example";
        }

        return new()
        {
            [AttributeKeys.EmailDomain] = domain!,
            [AttributeKeys.Plan] = random.Next(3) == 0 ? "Pro" : "Basic",
            [AttributeKeys.Username] = "user" + random.Next(100_000),
        };
    }

    private static AttributeBaseline Reference(Random random, int count)
    {
        var reference = new AttributeBaseline();
        for (var i = 0; i < count; i++)
        {
            reference.Add(Ticket(random));
        }

        return reference;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void An_incident_on_three_mail_domains_is_found_as_one_set_that_covers_it(int seed)
    {
        var random = new Random(seed);
        var reference = Reference(random, 3000);
        var members = new AttributeBaseline();
        string[] microsoft = ["outlook.com", "hotmail.com", "live.com"];
        for (var i = 0; i < 30; i++)
        {
            members.Add(Ticket(random, microsoft[random.Next(3)]));
        }

        for (var i = 0; i < 8; i++)
        {
            members.Add(Ticket(random)); // everyday tickets worded alike that joined the pattern
        }

        var set = Assert.Single(ValueSetConcentration.Find(members, reference), c => c.Key == AttributeKeys.EmailDomain);

        Assert.Equal(microsoft.Order(), set.Value.Split(ValueSetConcentration.Separator).Order());
        Assert.True(set.ShareInside >= 0.78, set.Evidence);
        Assert.Matches(@"^e-mail at [a-z.]+, [a-z.]+ or [a-z.]+: \d+% vs 1[0-9]% baseline$", set.Evidence);
        Assert.True(set.Matches(new Dictionary<string, string> { [AttributeKeys.EmailDomain] = "live.com" }));
        Assert.False(set.Matches(new Dictionary<string, string> { [AttributeKeys.EmailDomain] = "gmail.com" }));
    }

    [Fact]
    public void A_pattern_drawn_from_ordinary_traffic_has_no_set_on_any_of_many_seeds()
    {
        for (var seed = 0; seed < 40; seed++)
        {
            var random = new Random(seed);
            var reference = Reference(random, 3000);
            var members = new AttributeBaseline();
            for (var i = 0; i < 40; i++)
            {
                members.Add(Ticket(random));
            }

            Assert.Empty(ValueSetConcentration.Find(members, reference));
        }
    }

    [Fact]
    public void Repeat_writers_on_their_own_domains_do_not_make_a_set()
    {
        // Customers on domains never seen in the reference write twice each: every value has an enormous lift, but
        // together they are a handful of tickets; the set must be the provider the incident hit.
        var random = new Random(7);
        var reference = Reference(random, 3000);
        var members = new List<Dictionary<string, string>>();
        for (var i = 0; i < 20; i++)
        {
            members.Add(Ticket(random, i % 2 == 0 ? "outlook.com" : "hotmail.com"));
        }

        for (var i = 0; i < 3; i++)
        {
            var own = Ticket(random, $"repeat{i}.example");
            members.Add(own);
            members.Add(own);
        }

        var set = Assert.Single(ValueSetConcentration.Find(members, reference));

        Assert.Equal(["hotmail.com", "outlook.com"], set.Value.Split(ValueSetConcentration.Separator).Order());
    }

    [Fact]
    public void A_set_that_leaves_out_values_over_represented_too_is_not_the_group()
    {
        // Seven servers of a batch are hit alike; four have several writers, three have two each. The set of four
        // would cover 70% of the pattern, but the three left out are as over-represented: no set is the group yet.
        var reference = new AttributeBaseline();
        for (var i = 0; i < 4000; i++)
        {
            reference.Add(new Dictionary<string, string> { [AttributeKeys.Server] = $"ws-{i % 40:00}" });
        }

        var members = new List<Dictionary<string, string>>();
        var writer = 0;
        foreach (var (server, count) in new[] { ("ws-05", 5), ("ws-06", 5), ("ws-07", 4), ("ws-08", 4), ("ws-09", 2), ("ws-10", 2), ("ws-11", 2) })
        {
            for (var i = 0; i < count; i++)
            {
                members.Add(new() { [AttributeKeys.Server] = server, [AttributeKeys.Username] = $"u{writer++}" });
            }
        }

        Assert.Empty(ValueSetConcentration.Find(members, reference)); // six at most: any six leave one out
        var set = Assert.Single(ValueSetConcentration.Find(members, reference, new ValueSetOptions(MaxValues: 8)));
        Assert.Equal(7, set.Value.Split(ValueSetConcentration.Separator).Length);
        members.RemoveAll(m => m[AttributeKeys.Server] is "ws-09" or "ws-10" or "ws-11");
        members.Add(new() { [AttributeKeys.Server] = "ws-09", [AttributeKeys.Username] = "late1" });
        members.Add(new() { [AttributeKeys.Server] = "ws-09", [AttributeKeys.Username] = "late2" });
        members.Add(new() { [AttributeKeys.Server] = "ws-10", [AttributeKeys.Username] = "late3" });
        members.Add(new() { [AttributeKeys.Server] = "ws-10", [AttributeKeys.Username] = "late4" });
        members.Add(new() { [AttributeKeys.Server] = "ws-01", [AttributeKeys.Username] = "stray" });
        Assert.DoesNotContain(ValueSetConcentration.Find(members, reference, new ValueSetOptions(MaxValues: 4)), c => c.Key == AttributeKeys.Server);
    }
}
