using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Tests.Signals;

public sealed class ImpliedValuesTests
{
    private static readonly string[] Servers = ["server"];

    private static Dictionary<string, string> Ticket(string server, string datacenter, string plan) =>
        new(StringComparer.Ordinal) { ["server"] = server, ["datacenter"] = datacenter, ["plan"] = plan };

    private static Dictionary<string, IReadOnlyList<string>> Targets(params string[] servers) =>
        new(StringComparer.Ordinal) { ["server"] = servers };

    private static ImpliedValues Learned()
    {
        var implied = new ImpliedValues(minTickets: 3);
        string[] plans = ["Basic", "Pro", "Agency"];
        for (var i = 0; i < 3; i++)
        {
            implied.Observe(Ticket("sh-01", "chi1", plans[i]), Servers);
            implied.Observe(Ticket("sh-25", "dfw1", plans[i]), Servers);
        }

        implied.Observe(Ticket("sh-30", "dfw1", "Pro"), Servers); // one ticket: too little to say
        return implied;
    }

    [Fact]
    public void A_rollouts_servers_imply_the_datacenters_they_are_in()
    {
        Assert.Equal(["chi1", "dfw1"], Learned().Of("datacenter", Targets("sh-01", "sh-25")).Order());
    }

    [Fact]
    public void A_key_the_servers_tickets_disagree_on_is_not_implied()
    {
        Assert.Empty(Learned().Of("plan", Targets("sh-01", "sh-25")));
    }

    [Fact]
    public void A_value_seen_on_too_few_tickets_or_never_is_skipped()
    {
        Assert.Equal(["chi1"], Learned().Of("datacenter", Targets("sh-01", "sh-30", "sh-99")));
    }

    [Fact]
    public void A_key_one_of_the_values_came_without_is_not_implied()
    {
        var implied = Learned();
        for (var i = 0; i < 3; i++)
        {
            implied.Observe(new Dictionary<string, string>(StringComparer.Ordinal) { ["server"] = "sh-40", ["plan"] = "Pro" }, Servers);
        }

        Assert.Empty(implied.Of("datacenter", Targets("sh-01", "sh-40")));
    }

    // Saved with the engine's state (format 5): learned again from the tickets after a restore, three tickets of a
    // server that happen to share a plan would imply it, where every ticket seen before said otherwise.
    [Fact]
    public void What_was_learned_is_read_back_as_it_was_written()
    {
        using var stream = new MemoryStream();
        Learned().Write(new BinaryWriter(stream));
        stream.Position = 0;
        var restored = new ImpliedValues(minTickets: 3);
        restored.Read(new BinaryReader(stream));

        var relearned = new ImpliedValues(minTickets: 3);
        for (var i = 0; i < 3; i++)
        {
            relearned.Observe(Ticket("sh-01", "chi1", "Pro"), Servers);
        }

        Assert.Empty(restored.Of("plan", Targets("sh-01")));
        Assert.Equal(["chi1", "dfw1"], restored.Of("datacenter", Targets("sh-01", "sh-25")).Order());
        Assert.Equal(["chi1"], restored.Of("datacenter", Targets("sh-01", "sh-30"))); // sh-30's one ticket still too few
        Assert.Equal(["Pro"], relearned.Of("plan", Targets("sh-01")));
    }
}
