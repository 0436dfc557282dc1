using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Tests.Signals;

public sealed class AttributeConcentrationTests
{
    private const string Initials = "aabbcdeefghijjkllmmnopprssttw";

    private static Dictionary<string, string> Ticket(Random random, string? server = null, char? initial = null) => new()
    {
        [AttributeKeys.Server] = server ?? $"node-{201 + random.Next(30)}",
        [AttributeKeys.Plan] = random.Next(3) switch { 0 => "Starter", 1 => "Plus", _ => "Turbo" },
        [AttributeKeys.UsernameInitial] = (initial ?? Initials[random.Next(Initials.Length)]).ToString(),
        [AttributeKeys.Username] = "user" + random.Next(100_000),
    };

    private static (List<IReadOnlyDictionary<string, string>> Members, AttributeBaseline Baseline) Population(
        int seed, int background, Func<Random, Dictionary<string, string>> member, int members)
    {
        var random = new Random(seed);
        var baseline = new AttributeBaseline();
        for (var i = 0; i < background; i++)
        {
            baseline.Add(Ticket(random));
        }

        var list = new List<IReadOnlyDictionary<string, string>>();
        for (var i = 0; i < members; i++)
        {
            var m = member(random);
            baseline.Add(m);
            list.Add(m);
        }

        return (list, baseline);
    }

    [Fact]
    public void A_planted_node_and_username_band_are_found_with_readable_evidence()
    {
        // Restores failing on node-209 for usernames starting with a or b.
        var (members, baseline) = Population(1, 3000, r => Ticket(r, "node-209", r.Next(2) == 0 ? 'a' : 'b'), 25);

        var found = AttributeConcentration.Find(members, baseline);

        var node = Assert.Single(found, c => c.Key == AttributeKeys.Server);
        Assert.Equal("node-209", node.Value);
        Assert.Equal(1.0, node.ShareInside);
        Assert.Matches(@"^on node-209: 100% vs [2-5]% baseline$", node.Evidence);
        var band = Assert.Single(found, c => c.Key == AttributeKeys.UsernameInitial);
        Assert.Equal("a–b", band.Value);
        Assert.Matches(@"^usernames a–b: 100% vs 1[0-9]% baseline$", band.Evidence);
        Assert.True(band.PValue < 1e-10);
        Assert.DoesNotContain(found, c => c.Key == AttributeKeys.Plan || c.Key == AttributeKeys.Username);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Members_drawn_like_the_baseline_show_no_concentration(int seed)
    {
        var (members, baseline) = Population(seed, 3000, r => Ticket(r), 60);
        Assert.Empty(AttributeConcentration.Find(members, baseline));
    }

    [Fact]
    public void Too_few_tickets_are_never_a_concentration()
    {
        var (members, baseline) = Population(5, 3000, r => Ticket(r, "node-209"), 2);
        Assert.Empty(AttributeConcentration.Find(members, baseline));
    }

    [Fact]
    public void A_dominant_value_of_a_large_share_of_the_baseline_counts_when_the_rest_is_absent()
    {
        // Dulles holds 57% of all tickets: it cannot double, but a pattern with no ticket from anywhere else is concentrated.
        var baseline = new AttributeBaseline();
        for (var i = 0; i < 1000; i++)
        {
            baseline.Add(new Dictionary<string, string> { [AttributeKeys.Datacenter] = i % 100 < 57 ? "dulles" : "san-antonio" });
        }

        var members = Enumerable.Range(0, 40)
            .Select(_ => (IReadOnlyDictionary<string, string>)new Dictionary<string, string> { [AttributeKeys.Datacenter] = "dulles" })
            .ToList();
        var found = AttributeConcentration.Find(members, baseline, new ConcentrationOptions(ReferenceIncludesMembers: false));

        var dc = Assert.Single(found);
        Assert.Equal("datacenter dulles: 100% vs 57% baseline", dc.Evidence);
    }

    [Fact]
    public void A_disjoint_reference_uses_its_own_share_as_the_baseline()
    {
        var random = new Random(9);
        var reference = new AttributeBaseline();
        for (var i = 0; i < 2000; i++)
        {
            reference.Add(Ticket(random));
        }

        var members = Enumerable.Range(0, 12).Select(_ => (IReadOnlyDictionary<string, string>)Ticket(random, "node-209")).ToList();
        var found = AttributeConcentration.Find(members, reference, new ConcentrationOptions(ReferenceIncludesMembers: false));

        var node = Assert.Single(found, c => c.Key == AttributeKeys.Server);
        Assert.Equal(reference.CountOf(AttributeKeys.Server, "node-209") / 2000.0, node.ShareBaseline, 12);
    }
}
