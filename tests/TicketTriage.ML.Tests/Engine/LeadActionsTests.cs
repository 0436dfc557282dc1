using TicketTriage.ML.Engine;
using TicketTriage.ML.Scenarios;
using TicketTriage.ML.Tests.Scenarios;

namespace TicketTriage.ML.Tests.Engine;

public sealed class LeadActionsTests
{
    private static readonly EngineOptions Options = new EngineOptions() is var o
        ? o with { Featurizer = o.Featurizer with { LatentDimensions = 64 } }
        : null!;

    /// <summary>The small scenario triaged whole: the engine, the tickets and each ticket's final pattern.</summary>
    private static (TriageEngine Engine, List<EngineTicket> Tickets, List<int> Patterns) Triaged()
    {
        var scenario = ScenarioJson.Parse(SmallScenario.Json);
        var generated = ScenarioGenerator.Generate(scenario);
        var history = ScenarioReplay.History(scenario, 3).Tickets.Select(t => t.Text).ToList();
        var engine = TriageEngine.Create(Options, history, null);
        foreach (var change in generated.Changes)
        {
            engine.AddChange(change);
        }

        var tickets = generated.Tickets.Select((t, i) => new EngineTicket(i, t.Text, t.Time, t.Attributes)).ToList();
        var assigned = tickets.Select(t => engine.Triage(t).PatternId).ToList();
        return (engine, tickets, assigned.Select(engine.Resolve).ToList());
    }

    private static int Largest(List<int> patterns) => patterns.GroupBy(p => p).OrderByDescending(g => g.Count()).First().Key;

    [Fact]
    public void Splitting_tickets_out_makes_a_new_pattern_of_them_and_shrinks_the_source_by_as_many()
    {
        var (engine, tickets, patterns) = Triaged();
        var source = Largest(patterns);
        var before = engine.Describe(source).Size;
        var chosen = tickets.Where((_, i) => patterns[i] == source).Take(3).ToList();

        var (created, events) = engine.MoveTickets(source, null, chosen);

        Assert.NotEqual(source, created);
        Assert.Equal(3, engine.Describe(created).Size);
        Assert.Equal(before - 3, engine.Describe(source).Size);
        Assert.Equal(3, engine.TrackedSize(created));
        Assert.Equal(before - 3, engine.TrackedSize(source));
        Assert.Contains(new PatternSignalsChanged(created, events[^1].At), events);
        Assert.Contains(events, e => e is PatternSignalsChanged c && c.PatternId == source);
        Assert.True(engine.Describe(created).IsLive);
    }

    [Fact]
    public void Moving_tickets_to_another_pattern_changes_both_sizes_and_a_ticket_like_them_then_joins_the_target()
    {
        var (engine, tickets, patterns) = Triaged();
        var source = Largest(patterns);
        var other = patterns.First(p => p != source && engine.Describe(p).IsLive);
        var (sourceSize, otherSize) = (engine.Describe(source).Size, engine.Describe(other).Size);
        var moving = tickets.Where((_, i) => patterns[i] == source).ToList();

        var (into, _) = engine.MoveTickets(source, other, moving);

        Assert.Equal(other, into);
        Assert.Equal(otherSize + moving.Count, engine.Describe(other).Size);
        Assert.Equal(sourceSize - moving.Count, engine.Describe(source).Size);
        Assert.False(engine.Describe(source).IsLive);
        // The target's centroid now carries the moved topic: a ticket like them joins it.
        var again = moving[^1] with { Id = 10_000, Time = moving[^1].Time.AddMinutes(1) };
        Assert.Equal(other, engine.Resolve(engine.Triage(again).PatternId));
    }

    [Fact]
    public void Moving_every_ticket_out_retires_the_source()
    {
        var (engine, tickets, patterns) = Triaged();
        var source = patterns.GroupBy(p => p).Where(g => g.Count() is >= 2 and <= 10).Select(g => g.Key).First();
        var (created, _) = engine.MoveTickets(source, null, tickets.Where((_, i) => patterns[i] == source).ToList());

        Assert.False(engine.Describe(source).IsLive);
        Assert.Equal(0, engine.Describe(source).Size);
        Assert.DoesNotContain(engine.Patterns(), p => p.Id == source);
        Assert.Contains(engine.Patterns(), p => p.Id == created);
    }

    [Fact]
    public void Verdicts_flag_unflag_and_dismiss_a_pattern()
    {
        var (engine, _, patterns) = Triaged();
        var quiet = patterns.Distinct().First(p => !engine.Describe(p).Emerging && engine.Describe(p).IsLive);

        engine.SetVerdict(quiet, PatternVerdict.Confirmed);
        Assert.True(engine.Describe(quiet).Emerging);

        engine.SetVerdict(quiet, PatternVerdict.Resolved);
        Assert.False(engine.Describe(quiet).Emerging);
        Assert.False(engine.Describe(quiet).Dismissed);

        engine.SetVerdict(quiet, PatternVerdict.Dismissed);
        Assert.True(engine.Describe(quiet).Dismissed);
        engine.SetVerdict(quiet, PatternVerdict.Confirmed);
        Assert.False(engine.Describe(quiet).Dismissed);
    }

    [Fact]
    public void Lead_actions_survive_a_save_and_load()
    {
        var (engine, tickets, patterns) = Triaged();
        var source = Largest(patterns);
        var (created, _) = engine.MoveTickets(source, null, tickets.Where((_, i) => patterns[i] == source).Take(2).ToList());
        using var saved = new MemoryStream();
        engine.Save(saved);
        saved.Position = 0;

        var restored = TriageEngine.Load(saved, Options, null);

        Assert.Equal(engine.Describe(created).Size, restored.Describe(created).Size);
        Assert.Equal(engine.Describe(source).Size, restored.Describe(source).Size);
        Assert.Equal(engine.TrackedSize(created), restored.TrackedSize(created));
    }
}
