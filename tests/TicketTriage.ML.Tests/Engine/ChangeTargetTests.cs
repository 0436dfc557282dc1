using TicketTriage.ML.Engine;
using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Tests.Engine;

/// <summary>Each ticket is tagged with the change whose targets hold it (EngineOptions.ChangeTargetBurst).</summary>
public sealed class ChangeTargetTests
{
    private static readonly DateTimeOffset Deploy = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static ChangeEvent Push(string id, DateTimeOffset start, string shard, string? series = null) =>
        new(id, $"config push {id}", "config", start, null, new Dictionary<string, IReadOnlyList<string>> { ["authShard"] = [shard] }) { Series = series };

    // Tickets 0…5: before the push on eu-2; after it on eu-2, eu-1, eu-2 (a rollout's next batch), and past the look-back.
    private static readonly (TimeSpan After, string Shard)[] Tickets =
    [
        (TimeSpan.FromHours(-1), "eu-2"),
        (TimeSpan.FromMinutes(20), "eu-2"),
        (TimeSpan.FromMinutes(25), "eu-1"),
        (TimeSpan.FromHours(3), "eu-2"),
        (TimeSpan.FromHours(4), "eu-3"),
        (TimeSpan.FromHours(100), "eu-2"),
    ];

    private static ChangeEvent[] Changes =>
    [
        Push("push-1", Deploy, "eu-2"),
        Push("batch-a", Deploy.AddHours(2), "eu-3", series: "rollout-7"),
    ];

    private static void Feed(TriageEngine engine, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            var (after, shard) = Tickets[i];
            engine.Triage(new EngineTicket(i, $"Sign-in fails with an error, ticket {i}", Deploy + after, new Dictionary<string, string> { ["authShard"] = shard }));
        }
    }

    private static string?[] Tags(TriageEngine engine) => Enumerable.Range(0, Tickets.Length).Select(i => engine.ChangeTargetOf(i)).ToArray();

    [Fact]
    public void A_ticket_from_a_change_target_within_the_look_back_carries_the_change_or_its_rollout()
    {
        var engine = TriageEngine.Create(new EngineOptions(), [], null);
        Array.ForEach(Changes, c => engine.AddChange(c));
        Feed(engine, 0, Tickets.Length);

        Assert.Equal(new[] { null, "push-1", null, "push-1", "rollout-7", null }.AsEnumerable(), Tags(engine));
    }

    [Fact]
    public void Tickets_that_came_before_the_engine_learned_of_the_change_are_tagged_when_it_does()
    {
        var engine = TriageEngine.Create(new EngineOptions(), [], null);
        Feed(engine, 0, 4);
        Assert.All(Tags(engine), Assert.Null);

        Array.ForEach(Changes, c => engine.AddChange(c));
        Feed(engine, 4, Tickets.Length);

        Assert.Equal(new[] { null, "push-1", null, "push-1", "rollout-7", null }.AsEnumerable(), Tags(engine));
    }

    [Fact]
    public void Off_no_ticket_is_tagged()
    {
        var engine = TriageEngine.Create(new EngineOptions { ChangeTargetBurst = false }, [], null);
        Array.ForEach(Changes, c => engine.AddChange(c));
        Feed(engine, 0, Tickets.Length);

        Assert.All(Tags(engine), Assert.Null);
    }

    [Fact]
    public void The_change_a_ticket_came_from_is_never_reported_as_a_concentration()
    {
        var members = new AttributeBaseline();
        var reference = new AttributeBaseline();
        for (var i = 0; i < 20; i++)
        {
            members.Add(new Dictionary<string, string> { [AttributeKeys.ChangeTarget] = "push-1", ["authShard"] = "eu-2" });
            reference.Add(new Dictionary<string, string> { ["authShard"] = i % 4 == 0 ? "eu-2" : "eu-1" });
        }

        var found = AttributeConcentration.Find(members, reference, new ConcentrationOptions(ReferenceIncludesMembers: false));

        Assert.Contains(found, c => c.Key == "authShard");
        Assert.DoesNotContain(found, c => c.Key == AttributeKeys.ChangeTarget);
    }
}
