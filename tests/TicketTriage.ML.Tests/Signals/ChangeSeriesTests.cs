using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Tests.Signals;

/// <summary>A rollout in batches is one change series; a change may target any attribute, not only servers.</summary>
public sealed class ChangeSeriesTests
{
    private static readonly DateTimeOffset Night1 = new(2024, 3, 5, 7, 0, 0, TimeSpan.Zero);

    private static ChangeEvent Batch(int n, IReadOnlyList<string> servers) =>
        new($"b{n}", $"migration batch {n}", "upgrade", Night1.AddDays(n - 1), Night1.AddDays(n - 1).AddHours(2),
            new Dictionary<string, IReadOnlyList<string>> { [AttributeKeys.Server] = servers })
        { Series = "php81-rollout" };

    private static IReadOnlyDictionary<string, string> Ticket(string server, string shard = "us-1") =>
        new Dictionary<string, string> { [AttributeKeys.Server] = server, ["authShard"] = shard };

    // 40 servers, 2,000 ordinary tickets evenly over them and over five shards.
    private static AttributeBaseline Reference()
    {
        var reference = new AttributeBaseline();
        string[] shards = ["us-1", "us-2", "eu-1", "eu-2", "ap-1"];
        for (var i = 0; i < 2000; i++)
        {
            reference.Add(Ticket($"sh-{i % 40 + 1:00}", shards[i % 5]));
        }

        return reference;
    }

    [Fact]
    public void A_bug_that_follows_a_rollout_from_batch_to_batch_is_linked_to_the_series()
    {
        // Batches of 3, 6 and 8 servers; the bug's 30 tickets spread over all 17, so no single batch holds half of them.
        var batches = new[]
        {
            Batch(1, ["sh-01", "sh-02", "sh-03"]),
            Batch(2, ["sh-04", "sh-05", "sh-06", "sh-07", "sh-08", "sh-09"]),
            Batch(3, ["sh-10", "sh-11", "sh-12", "sh-13", "sh-14", "sh-15", "sh-16", "sh-17"]),
        };
        var members = Enumerable.Range(0, 30).Select(i => Ticket($"sh-{i % 17 + 1:00}")).ToList();
        var onset = Night1.AddHours(1.5);

        var early = ChangeCorrelation.Link(onset, members, Reference(), batches, new ChangeCorrelationOptions(ReferenceIncludesMembers: false), asOf: onset);
        var late = ChangeCorrelation.Link(onset, members, Reference(), batches, new ChangeCorrelationOptions(ReferenceIncludesMembers: false), asOf: Night1.AddDays(2.5));

        Assert.Null(early?.Series); // at its onset only batch 1 had run: the series is not yet more than the batch
        Assert.NotNull(late);
        Assert.Equal("php81-rollout", late.Series);
        Assert.Equal(3, late.Batches);
        Assert.Equal("b1", late.Change.Id); // the latest batch before the onset
        Assert.Equal(1.0, late.ShareInside);
        Assert.Equal("onset 90 min after migration batch 1 of rollout php81-rollout; 100% of tickets on the 17 servers of its 3 batches vs 42% baseline", late.Evidence);
    }

    [Fact]
    public void A_rollout_or_a_change_over_most_of_the_fleet_is_linked_without_doubling_its_share()
    {
        // Two batches reach 26 of 40 servers (65% of the traffic): a bug on all of them cannot double that share. The
        // same servers changed at once are the same evidence (a single change used to need the lift of 2, against a
        // flap in one of its datacenters: that case has a test of its own now, ChangeCorrelationTests).
        var servers = Enumerable.Range(1, 26).Select(i => $"sh-{i:00}").ToList();
        var batches = new[] { Batch(1, servers[..10]), Batch(2, servers[10..]) };
        var whole = new ChangeEvent("big-bang", "all at once", "upgrade", Night1, null,
            new Dictionary<string, IReadOnlyList<string>> { [AttributeKeys.Server] = servers });
        var members = Enumerable.Range(0, 40).Select(i => Ticket(servers[i % 26])).ToList();
        var options = new ChangeCorrelationOptions(ReferenceIncludesMembers: false);

        var series = ChangeCorrelation.Link(Night1.AddHours(2), members, Reference(), batches, options, asOf: Night1.AddDays(2));
        var single = ChangeCorrelation.Link(Night1.AddHours(2), members, Reference(), [whole], options);

        Assert.Equal("php81-rollout", series?.Series);
        Assert.True(series!.Lift < 2);
        Assert.Equal("big-bang", single?.Change.Id);
        Assert.True(single!.Lift < 2);
    }

    [Fact]
    public void An_incident_on_one_batch_of_a_series_is_linked_to_that_batch()
    {
        var batches = new[] { Batch(1, ["sh-01", "sh-02", "sh-03"]), Batch(2, ["sh-04", "sh-05", "sh-06", "sh-07", "sh-08", "sh-09"]) };
        var members = Enumerable.Range(0, 20).Select(i => Ticket($"sh-{i % 6 + 4:00}")).ToList();

        var link = ChangeCorrelation.Link(Night1.AddDays(1).AddHours(1), members, Reference(), batches,
            new ChangeCorrelationOptions(ReferenceIncludesMembers: false), asOf: Night1.AddDays(1.5));

        Assert.NotNull(link);
        Assert.Equal("b2", link.Change.Id);
        Assert.Null(link.Series);
    }

    [Fact]
    public void A_change_to_an_auth_shard_is_linked_when_the_pattern_lives_on_that_shard()
    {
        var rotation = new ChangeEvent("saml-eu2", "SAML certificate rotation on eu-2", "config", Night1, null,
            new Dictionary<string, IReadOnlyList<string>> { ["authShard"] = ["eu-2"] });
        var members = Enumerable.Range(0, 15).Select(i => Ticket($"sh-{i % 40 + 1:00}", i < 14 ? "eu-2" : "us-1")).ToList();

        var link = ChangeCorrelation.Link(Night1.AddMinutes(25), members, Reference(), [rotation], new ChangeCorrelationOptions(ReferenceIncludesMembers: false));

        Assert.NotNull(link);
        Assert.Equal("authShard", link.TargetKey);
        Assert.StartsWith("onset 25 min after SAML certificate rotation on eu-2; 93% of tickets on its authShard vs 20% baseline", link.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void The_look_back_is_a_setting_a_change_three_days_before_the_onset_is_still_named()
    {
        var update = new ChangeEvent("panel-ams", "panel update in ams", "upgrade", Night1, null,
            new Dictionary<string, IReadOnlyList<string>> { [AttributeKeys.Server] = ["sh-01", "sh-02", "sh-03", "sh-04"] });
        var members = Enumerable.Range(0, 12).Select(i => Ticket($"sh-{i % 4 + 1:00}")).ToList();
        var onset = Night1.AddDays(3);

        Assert.Equal("panel-ams", ChangeCorrelation.Link(onset, members, Reference(), [update], new ChangeCorrelationOptions(ReferenceIncludesMembers: false))?.Change.Id);
        Assert.Null(ChangeCorrelation.Link(onset, members, Reference(), [update], new ChangeCorrelationOptions(MaxLagHours: 48, ReferenceIncludesMembers: false)));
    }

    // The PHP rollout's shape: batches 1 and 2 on nine servers in chi1, batch 3 on eight in dfw1 two days later. The
    // incident began after batch 1; its pattern, gated on chi1, holds none of batch 3's tickets yet.
    [Fact]
    public void A_rollouts_incident_is_not_taken_for_one_places_when_a_later_batch_goes_to_another_datacenter()
    {
        static KeyValuePair<string, string>[] At(int server) =>
            [new(AttributeKeys.Server, $"sh-{server:00}"), new(AttributeKeys.Datacenter, server <= 24 ? "chi1" : "dfw1")];
        var batches = new[]
        {
            Batch(1, ["sh-01", "sh-02", "sh-03"]),
            Batch(2, ["sh-04", "sh-05", "sh-06", "sh-07", "sh-08", "sh-09"]),
            Batch(3, ["sh-25", "sh-26", "sh-27", "sh-28", "sh-29", "sh-30", "sh-31", "sh-32"]),
        };
        var members = Enumerable.Range(0, 50).Select(i => At(i % 9 + 1)).ToList();
        var reference = Enumerable.Range(0, 3600).Select(i => At(i % 36 + 1)).ToList();
        var (memberCounts, referenceCounts) = (new AttributeBaseline(), new AttributeBaseline());
        members.ForEach(memberCounts.Add);
        reference.ForEach(referenceCounts.Add);
        ChangeLink? LinkAfterBatch3(bool placesAtOnset) => ChangeCorrelation.Link(Night1.AddHours(7), memberCounts, referenceCounts, batches,
            new ChangeCorrelationOptions(ReferenceIncludesMembers: false, SeriesPlacesAtOnset: placesAtOnset),
            asOf: Night1.AddDays(2.5), tickets: new TicketsOf(members, reference));

        Assert.Equal("php81-rollout", LinkAfterBatch3(placesAtOnset: true)?.Series);
        Assert.Null(LinkAfterBatch3(placesAtOnset: false)); // batch 3's datacenter shunned: "one place explains"
    }
}
