using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Tests.Signals;

public sealed class ChangeCorrelationTests
{
    private static readonly DateTimeOffset BatchStart = new(2003, 9, 3, 15, 0, 0, TimeSpan.Zero);
    private static readonly string[] BatchServers = ["ws-05", "ws-06", "ws-07", "ws-08", "ws-09", "ws-10", "ws-11"];

    private static ChangeEvent Batch(string id, string title, DateTimeOffset start, IReadOnlyList<string> servers) =>
        new(id, title, "upgrade", start, start.AddHours(4), new Dictionary<string, IReadOnlyList<string>> { [AttributeKeys.Server] = servers });

    private static IReadOnlyDictionary<string, string> On(string server) =>
        new Dictionary<string, string> { [AttributeKeys.Server] = server };

    /// <summary>2,000 ordinary tickets spread evenly over 40 servers, then the pattern's members.</summary>
    private static AttributeBaseline Baseline(IEnumerable<IReadOnlyDictionary<string, string>> members)
    {
        var baseline = new AttributeBaseline();
        for (var i = 0; i < 2000; i++)
        {
            baseline.Add(On($"ws-{i % 40 + 1:00}"));
        }

        foreach (var m in members)
        {
            baseline.Add(m);
        }

        return baseline;
    }

    [Fact]
    public void A_pattern_starting_after_a_change_and_concentrated_on_its_targets_is_linked()
    {
        // 22 of 25 tickets on the batch's servers, 3 elsewhere (customers mis-attribute their trouble too).
        var members = Enumerable.Range(0, 25).Select(i => On(i < 22 ? BatchServers[i % 7] : $"ws-{30 + i}")).ToList();
        var changes = new[]
        {
            Batch("batch-2", "upgrade batch 2", BatchStart.AddDays(-1), ["ws-02", "ws-03", "ws-04"]),
            Batch("batch-3", "upgrade batch 3", BatchStart, BatchServers),
        };

        var link = ChangeCorrelation.Link(BatchStart.AddMinutes(35), members, Baseline(members), changes);

        Assert.NotNull(link);
        Assert.Equal("batch-3", link.Change.Id);
        Assert.Equal(TimeSpan.FromMinutes(35), link.OnsetLag);
        Assert.Equal(22, link.OnTargets);
        Assert.Equal("onset 35 min after upgrade batch 3; 88% of tickets on its 7 servers vs 18% baseline", link.Evidence);
    }

    [Fact]
    public void A_pattern_that_began_before_the_change_is_not_linked()
    {
        var members = Enumerable.Range(0, 25).Select(i => On(BatchServers[i % 7])).ToList();
        var changes = new[] { Batch("batch-3", "upgrade batch 3", BatchStart, BatchServers) };
        Assert.Null(ChangeCorrelation.Link(BatchStart.AddMinutes(-20), members, Baseline(members), changes));
    }

    [Fact]
    public void A_pattern_spread_over_the_fleet_is_not_linked_to_a_change_just_before_it()
    {
        var members = Enumerable.Range(0, 40).Select(i => On($"ws-{i % 40 + 1:00}")).ToList();
        var changes = new[] { Batch("batch-3", "upgrade batch 3", BatchStart, BatchServers) };
        Assert.Null(ChangeCorrelation.Link(BatchStart.AddMinutes(10), members, Baseline(members), changes));
    }

    [Fact]
    public void A_change_long_before_the_onset_is_not_linked()
    {
        var members = Enumerable.Range(0, 25).Select(i => On(BatchServers[i % 7])).ToList();
        var changes = new[] { Batch("batch-3", "upgrade batch 3", BatchStart, BatchServers) };
        Assert.Null(ChangeCorrelation.Link(BatchStart.AddDays(5), members, Baseline(members), changes));
    }

    [Fact]
    public void Of_two_changes_to_the_same_servers_the_more_recent_one_is_named()
    {
        var members = Enumerable.Range(0, 20).Select(_ => On("melvin")).ToList();
        var reference = new AttributeBaseline();
        for (var i = 0; i < 500; i++)
        {
            reference.Add(On(i % 5 < 2 ? "melvin" : "oscar"));
        }

        var upgrade = Batch("os-upgrade", "OS upgrade of melvin", BatchStart, ["melvin"]);
        var migration = Batch("migration", "Plesk migration on melvin", BatchStart.AddHours(11), ["melvin"]);
        var link = ChangeCorrelation.Link(BatchStart.AddHours(30), members, reference, [upgrade, migration],
            new ChangeCorrelationOptions(ReferenceIncludesMembers: false));

        Assert.Equal("migration", link?.Change.Id);
        Assert.Equal("onset 19 h after Plesk migration on melvin; 100% of tickets on its server vs 40% baseline", link?.Evidence);
    }
}
