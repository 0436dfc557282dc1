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

    // Three datacenters: 10 servers in Ashburn, 8 in Los Angeles, 16 in Reston; ordinary tickets evenly over the 34.
    private static readonly (string Server, string Datacenter)[] Fleet =
    [
        .. Enumerable.Range(1, 10).Select(i => ($"ash-{i:00}", "ashburn")),
        .. Enumerable.Range(1, 8).Select(i => ($"lax-{i:00}", "los-angeles")),
        .. Enumerable.Range(1, 16).Select(i => ($"rst-{i:00}", "reston")),
    ];

    private static readonly ChangeCorrelationOptions Engine = new(ReferenceIncludesMembers: false);

    private static KeyValuePair<string, string>[] Ticket((string Server, string Datacenter) at) =>
        [new(AttributeKeys.Server, at.Server), new(AttributeKeys.Datacenter, at.Datacenter)];

    private static ChangeLink? LinkOf(IReadOnlyList<KeyValuePair<string, string>[]> members, ChangeEvent change, bool withTickets)
    {
        var reference = Enumerable.Range(0, 3400).Select(i => Ticket(Fleet[i % Fleet.Length])).ToList();
        var (memberCounts, referenceCounts) = (new AttributeBaseline(), new AttributeBaseline());
        members.ToList().ForEach(memberCounts.Add);
        reference.ForEach(referenceCounts.Add);
        return ChangeCorrelation.Link(change.Start.AddMinutes(45), memberCounts, referenceCounts, [change], Engine,
            tickets: withTickets ? new TicketsOf(members, reference) : null);
    }

    private static ChangeEvent Maintenance(params string[] datacenters) => Batch("kernel", "kernel reboots", BatchStart,
        [.. Fleet.Where(f => datacenters.Contains(f.Datacenter)).Select(f => f.Server)]);

    [Fact]
    public void A_change_to_half_the_fleet_is_named_for_a_pattern_all_on_it_although_the_lift_is_under_two()
    {
        // Reston's 16 servers and two in Los Angeles: 18 of 34 servers, 53% of the ordinary tickets, so a pattern all on
        // them has a lift of 1.9 — it is 100% against 53%, and spread over both datacenters.
        var change = Batch("kernel", "kernel reboots", BatchStart, [.. Fleet.Where(f => f.Datacenter == "reston").Select(f => f.Server), "lax-01", "lax-02"]);
        var members = Enumerable.Range(0, 60).Select(i => Ticket(Fleet.Where(f => change.Targets[AttributeKeys.Server].Contains(f.Server)).ElementAt(i % 18))).ToList();

        var link = LinkOf(members, change, withTickets: true);

        Assert.NotNull(link);
        Assert.InRange(link.Lift, 1.5, 2.0);
    }

    [Fact]
    public void A_change_to_two_datacenters_is_not_named_for_a_pattern_in_one_of_them()
    {
        // The flapping router: every ticket in Ashburn, none in Los Angeles, after maintenance of both.
        var change = Maintenance("ashburn", "los-angeles");
        var flap = Enumerable.Range(0, 60).Select(i => Ticket(Fleet[i % 10])).ToList();
        // A bug the maintenance brought: in both.
        var bug = Enumerable.Range(0, 60).Select(i => Ticket(Fleet[i % 18])).ToList();

        Assert.NotNull(LinkOf(flap, change, withTickets: false)); // the targets alone hold it (100% vs 53%)
        Assert.Null(LinkOf(flap, change, withTickets: true));
        Assert.NotNull(LinkOf(bug, change, withTickets: true));
    }

    [Fact]
    public void A_few_tickets_in_one_datacenter_of_a_change_prove_no_other_place_yet()
    {
        // Three servers in Ashburn and two in Los Angeles; Los Angeles's two write 6% of the ordinary tickets.
        var change = Batch("patch", "patch", BatchStart, ["ash-01", "ash-02", "ash-03", "lax-01", "lax-02"]);
        List<KeyValuePair<string, string>[]> InAshburn(int count) => [.. Enumerable.Range(0, count).Select(i => Ticket(Fleet[i % 3]))];

        // None of 20 there is 1 chance in 3 for ordinary tickets: no sign the pattern shuns them. None of 150 is.
        Assert.NotNull(LinkOf(InAshburn(20), change, withTickets: true));
        Assert.Null(LinkOf(InAshburn(150), change, withTickets: true));
    }

    [Fact]
    public void A_fragment_of_the_change_that_holds_its_other_places_as_often_as_usual_is_still_the_changes()
    {
        // The fragment of an incident split roughly by datacenter: 8 of 60 in Los Angeles, about the ordinary share.
        var change = Maintenance("ashburn", "los-angeles");
        var fragment = Enumerable.Range(0, 60).Select(i => Ticket(i < 8 ? Fleet[10 + i] : Fleet[i % 10])).ToList();

        Assert.NotNull(LinkOf(fragment, change, withTickets: true));
    }
}
