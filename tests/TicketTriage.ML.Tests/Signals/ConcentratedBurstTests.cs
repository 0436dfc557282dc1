using TicketTriage.ML.Clustering;
using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Tests.Signals;

public sealed class ConcentratedBurstTests
{
    private static readonly DateTimeOffset Start = new(2024, 3, 4, 0, 0, 0, TimeSpan.Zero);
    private static readonly EmergenceOptions Options = new(Threshold: 4);

    private static Dictionary<string, string> Ticket(int server, string user) => new(StringComparer.Ordinal)
    {
        [AttributeKeys.Server] = $"node-{server:00}",
        [AttributeKeys.Username] = user,
    };

    /// <summary>A day of background, one ticket a minute, spread evenly over 25 servers (4% each).</summary>
    private static ConcentratedBurst Background(out DateTimeOffset end)
    {
        var streams = new ConcentratedBurst([AttributeKeys.Server]);
        var random = new Random(7);
        var t = Start;
        for (var i = 0; i < 24 * 60; i++, t = t.AddMinutes(1))
        {
            streams.Add(t, Ticket(random.Next(25), $"user{i}"));
        }

        end = t;
        return streams;
    }

    /// <summary>Five similar tickets, one every <paramref name="minutesApart"/> minutes, from <paramref name="server"/> (−1: a different server each).</summary>
    private static List<BurstTicket> Burst(ConcentratedBurst streams, DateTimeOffset from, int server, Func<int, string>? user = null, int minutesApart = 6)
    {
        var burst = new List<BurstTicket>();
        for (var k = 0; k < 5; k++)
        {
            var attributes = Ticket(server >= 0 ? server : k * 5, user?.Invoke(k) ?? $"writer{k}");
            var at = from.AddMinutes(minutesApart * k + 0.5);
            streams.Add(at, attributes);
            burst.Add(new BurstTicket(at, attributes));
        }

        return burst;
    }

    [Fact]
    public void Similar_tickets_all_on_one_small_server_are_a_burst()
    {
        var streams = Background(out var end);
        var burst = Burst(streams, end, server: 9);

        // Such tickets are 3% of traffic: five in 30 minutes of the whole stream is ordinary, five of node-09's
        // handful is not.
        var assessment = streams.Assess(burst, share: 0.03, burst[^1].At, Options);

        Assert.True(assessment.Score >= Options.Threshold, assessment.Evidence);
        Assert.Contains("node-09", assessment.Evidence);
    }

    [Fact]
    public void The_same_tickets_spread_over_the_fleet_stay_quiet()
    {
        var streams = Background(out var end);
        var burst = Burst(streams, end, server: -1);

        Assert.True(streams.Assess(burst, share: 0.03, burst[^1].At, Options).Score < Options.Threshold);
    }

    [Fact]
    public void A_customer_writing_again_counts_once()
    {
        var streams = Background(out var end);
        var burst = Burst(streams, end, server: 9, user: k => k < 3 ? "same-customer" : $"writer{k}");

        // Three distinct writers remain; on their own, at this share, not enough.
        Assert.True(streams.Assess(burst, share: 0.03, burst[^1].At, Options).Score < Options.Threshold);
    }

    [Fact]
    public void Steady_traffic_with_similar_tickets_scattered_over_servers_raises_nothing()
    {
        // A day of background in which 3% of tickets are "similar", on random servers; every arrival assessed.
        var streams = new ConcentratedBurst([AttributeKeys.Server]);
        var random = new Random(11);
        var similar = new List<BurstTicket>();
        var t = Start;
        var loud = 0;
        for (var i = 0; i < 3 * 24 * 60; i++, t = t.AddMinutes(random.NextDouble() * 2))
        {
            var attributes = Ticket(random.Next(25), $"user{random.Next(5000)}");
            streams.Add(t, attributes);
            if (random.NextDouble() < 0.03)
            {
                similar.Add(new BurstTicket(t, attributes));
                var window = similar.Where(s => s.At >= t.AddHours(-2)).ToList();
                if (t > Start.AddDays(1) && streams.Assess(window, 0.03, t, Options).Score >= Options.Threshold)
                {
                    loud++;
                }
            }
        }

        Assert.Equal(0, loud);
    }

    // One ticket a minute over the whole stream, and each server's share of a reference day of it.
    private static PlaceVolume OneTicketAMinute(IEnumerable<Dictionary<string, string>> referenceTickets, DateTimeOffset now)
    {
        var reference = new AttributeBaseline();
        foreach (var ticket in referenceTickets)
        {
            reference.Add(ticket.Where(kv => kv.Key != AttributeKeys.Username));
        }

        return new PlaceVolume(start => (now.UtcTicks - start) / (double)TimeSpan.TicksPerMinute, reference);
    }

    private static List<Dictionary<string, string>> ReferenceDay()
    {
        var random = new Random(7);
        return Enumerable.Range(0, 24 * 60).Select(i => Ticket(random.Next(25), $"user{i}")).ToList();
    }

    [Fact]
    public void A_flood_on_one_server_worded_like_everyday_tickets_is_judged_by_what_the_server_usually_brings()
    {
        var streams = Background(out var end);
        var flood = Burst(streams, end, server: 9, minutesApart: 2);
        var now = flood[^1].At;

        // node-09 usually brings 4% of a ticket a minute: 0.3 tickets in these 8 minutes, 0.08 of them worded so.
        // Among its own tickets of the window — the five — the test sees only that all five are alike (0.25⁴).
        var usual = streams.Assess(flood, share: 0.25, now, Options, profile: null, OneTicketAMinute(ReferenceDay(), now));
        var among = streams.Assess(flood, share: 0.25, now, Options);

        Assert.True(usual.Score >= Options.Threshold, usual.Evidence);
        Assert.Contains("node-09", usual.Evidence);
        Assert.True(among.Score < Options.Threshold, among.Evidence);
    }

    [Fact]
    public void A_server_whose_traffic_just_rose_is_judged_by_its_recent_rate()
    {
        // A batch of customers moved onto node-09 two hours ago: it writes 30 tickets an hour of every kind (its
        // reference share said 2.4). Then five alike tickets in 8 minutes, none of its other tickets between them.
        var streams = Background(out var end);
        var t = end;
        for (var i = 0; i < 60; i++, t = t.AddMinutes(2))
        {
            streams.Add(t, Ticket(9, $"moved{i}"));
        }

        var flood = Burst(streams, t, server: 9, minutesApart: 2);
        var now = flood[^1].At;

        var assessment = streams.Assess(flood, share: 0.25, now, Options, profile: null, OneTicketAMinute(ReferenceDay(), now));

        Assert.True(assessment.Score < Options.Threshold, assessment.Evidence);
    }

    [Fact]
    public void A_server_without_reference_tickets_is_judged_among_its_own_tickets()
    {
        var streams = Background(out var end);
        var flood = Burst(streams, end, server: 9, minutesApart: 2);
        var now = flood[^1].At;
        var withoutNode09 = ReferenceDay().Where(t => t[AttributeKeys.Server] != "node-09");

        var usual = streams.Assess(flood, share: 0.25, now, Options, profile: null, OneTicketAMinute(withoutNode09, now));
        var among = streams.Assess(flood, share: 0.25, now, Options);

        Assert.Equal(among.Score, usual.Score);
    }

    [Fact]
    public void Steady_traffic_judged_by_usual_volume_raises_nothing()
    {
        // As the steady-traffic test above, each arrival also judged against each server's usual volume.
        var streams = new ConcentratedBurst([AttributeKeys.Server]);
        var random = new Random(11);
        var similar = new List<BurstTicket>();
        var reference = new List<Dictionary<string, string>>();
        var t = Start;
        var loud = 0;
        for (var i = 0; i < 3 * 24 * 60; i++, t = t.AddMinutes(random.NextDouble() * 2))
        {
            var attributes = Ticket(random.Next(25), $"user{random.Next(5000)}");
            streams.Add(t, attributes);
            if (t < Start.AddDays(1))
            {
                reference.Add(attributes);
            }

            if (random.NextDouble() < 0.03)
            {
                similar.Add(new BurstTicket(t, attributes));
                var window = similar.Where(s => s.At >= t.AddHours(-2)).ToList();
                if (t > Start.AddDays(1) && streams.Assess(window, 0.03, t, Options, profile: null, OneTicketAMinute(reference, t)).Score >= Options.Threshold)
                {
                    loud++;
                }
            }
        }

        Assert.Equal(0, loud);
    }

    [Fact]
    public void A_key_that_repeats_another_is_one_test_not_two()
    {
        // "rack" names each server's rack one to one: its groups are the servers' groups again, so testing it as
        // well must not cost the burst a second Bonferroni factor.
        static Dictionary<string, string> WithRack(Dictionary<string, string> a) => new(a, StringComparer.Ordinal) { ["rack"] = "r-" + a[AttributeKeys.Server] };
        ConcentratedBurst Streams(params string[] keys)
        {
            var streams = new ConcentratedBurst(keys);
            var random = new Random(7);
            var t = Start;
            for (var i = 0; i < 24 * 60; i++, t = t.AddMinutes(1))
            {
                streams.Add(t, WithRack(Ticket(random.Next(25), $"user{i}")));
            }

            return streams;
        }

        var end = Start.AddMinutes(24 * 60);
        var burst = Enumerable.Range(0, 5).Select(k => new BurstTicket(end.AddMinutes(6 * k + 0.5), WithRack(Ticket(9, $"writer{k}")))).ToList();
        var alone = Streams(AttributeKeys.Server);
        var twice = Streams(AttributeKeys.Server, "rack");
        foreach (var ticket in burst)
        {
            alone.Add(ticket.At, ticket.Attributes);
            twice.Add(ticket.At, ticket.Attributes);
        }

        var once = alone.Assess(burst, share: 0.03, burst[^1].At, Options);
        var repeated = twice.Assess(burst, share: 0.03, burst[^1].At, Options);

        Assert.Equal(once.PValue, repeated.PValue, 12);

        // A key that really is a second test (every server in one datacenter: another stream, busier than the
        // server's) is paid for.
        var datacenter = new ConcentratedBurst([AttributeKeys.Server, AttributeKeys.Datacenter]);
        var serverOnly = new ConcentratedBurst([AttributeKeys.Server]);
        var r = new Random(7);
        var inDc = new List<BurstTicket>();
        var at = Start;
        for (var i = 0; i < 24 * 60; i++, at = at.AddMinutes(1))
        {
            var a = Ticket(r.Next(25), $"user{i}");
            if (i >= 23 * 60 && i % 6 == 0 && inDc.Count < 5)
            {
                a = Ticket(9, $"writer{i}");
                inDc.Add(new BurstTicket(at, a));
            }

            a[AttributeKeys.Datacenter] = "ams";
            datacenter.Add(at, a);
            serverOnly.Add(at, a);
        }

        var (single, both) = (serverOnly.Assess(inDc, 0.03, inDc[^1].At, Options), datacenter.Assess(inDc, 0.03, inDc[^1].At, Options));
        Assert.Contains("node-09", both.Evidence);
        Assert.Equal(2 * single.PValue, both.PValue, 12);
    }

    [Fact]
    public void A_loose_group_is_measured_without_its_members_own_pull()
    {
        // Three orthogonal tickets: each has cosine 0.58 with the mean of all three, 0 with the mean of the others.
        ClusterItem[] orthogonal = [new([1], [1f]), new([2], [1f]), new([3], [1f])];
        Assert.Equal(0, SimilarityBaseRate.LoosestMember(orthogonal), 6);

        ClusterItem[] same = [new([1, 2], [1f, 1f]), new([1, 2], [2f, 2f])];
        Assert.Equal(1, SimilarityBaseRate.LoosestMember(same), 6);
    }

    [Fact]
    public void Two_young_patterns_alike_have_a_high_centroid_cosine_and_unrelated_ones_none()
    {
        ClusterItem[] a = [new([1, 2], [1f, 1f]), new([1, 3], [1f, 1f])];
        ClusterItem[] b = [new([1, 2, 4], [1f, 1f, 0.2f])];
        ClusterItem[] c = [new([7, 8], [1f, 1f])];

        Assert.True(SimilarityBaseRate.CentroidCosine(a, b) > 0.7);
        Assert.Equal(0, SimilarityBaseRate.CentroidCosine(a, c), 6);
    }
}
