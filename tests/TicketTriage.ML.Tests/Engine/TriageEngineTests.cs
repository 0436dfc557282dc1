using TicketTriage.ML.Classification;
using TicketTriage.ML.Engine;
using TicketTriage.ML.Scenarios;
using TicketTriage.ML.Tests.Scenarios;

namespace TicketTriage.ML.Tests.Engine;

public sealed class TriageEngineTests
{
    // A smaller latent block and a shorter history than the defaults keep the tests fast.
    private static readonly EngineOptions Options = new EngineOptions() is var o
        ? o with { Featurizer = o.Featurizer with { LatentDimensions = 64 } }
        : null!;

    private static (GeneratedScenario Scenario, List<string> History) Small()
    {
        var scenario = ScenarioJson.Parse(SmallScenario.Json);
        return (ScenarioGenerator.Generate(scenario), ScenarioReplay.History(scenario, 3).Tickets.Select(t => t.Text).ToList());
    }

    private static EngineTicket Ticket(GeneratedScenario s, int i) =>
        new(i, s.Tickets[i].Text, s.Tickets[i].Time, s.Tickets[i].Attributes);

    [Fact]
    public void A_restored_engine_triages_the_next_tickets_exactly_as_the_original()
    {
        var (scenario, history) = Small();
        var original = TriageEngine.Create(Options, history, null);
        foreach (var change in scenario.Changes)
        {
            original.AddChange(change);
        }

        // Cut inside the incident, so flags, merges and signals are in flight.
        var incidentStart = Enumerable.Range(0, scenario.Tickets.Count).First(i => scenario.Truth[i].Incident is not null);
        var cut = incidentStart + 3;
        for (var i = 0; i < cut; i++)
        {
            original.Triage(Ticket(scenario, i));
        }

        using var saved = new MemoryStream();
        original.Save(saved);
        saved.Position = 0;
        var restored = TriageEngine.Load(saved, Options, null);
        Assert.Equal(original.TicketsSeen, restored.TicketsSeen);

        var events = 0;
        for (var i = cut; i < scenario.Tickets.Count; i++)
        {
            var a = original.Triage(Ticket(scenario, i));
            var b = restored.Triage(Ticket(scenario, i));
            Assert.Equal((a.PatternId, a.Similarity, a.StartedPattern), (b.PatternId, b.Similarity, b.StartedPattern));
            Assert.Equal(a.Events, b.Events);
            events += a.Events.Count;
        }

        Assert.True(events > 0, "the continuation should have merged or flagged something");
        Assert.Contains(original.Patterns(), p => p.Emerging);
        Assert.Equal(Describe(original.Patterns(liveOnly: false)), Describe(restored.Patterns(liveOnly: false)));

        using var again = new MemoryStream();
        using var againRestored = new MemoryStream();
        original.Save(again);
        restored.Save(againRestored);
        Assert.Equal(again.ToArray(), againRestored.ToArray());
    }

    private static List<string> Describe(IReadOnlyList<PatternReport> patterns) =>
        patterns.Select(p => $"{p.Id} {p.Title} {p.Size} {p.Emerging} {p.EmergenceEvidence} " +
            $"{string.Join(";", p.Concentrations.Select(c => c.Evidence))} {p.LikelyChange?.Evidence}").ToList();

    [Fact]
    public void An_emerging_pattern_reports_its_concentration_and_likely_change()
    {
        var (scenario, history) = Small();
        var engine = TriageEngine.Create(Options, history, null);
        foreach (var change in scenario.Changes)
        {
            engine.AddChange(change);
        }

        var emerging = new List<PatternEmerging>();
        var signals = new List<PatternSignalsChanged>();
        for (var i = 0; i < scenario.Tickets.Count; i++)
        {
            var outcome = engine.Triage(Ticket(scenario, i));
            emerging.AddRange(outcome.Events.OfType<PatternEmerging>());
            signals.AddRange(outcome.Events.OfType<PatternSignalsChanged>());
        }

        var incident = engine.Patterns().Where(p => p.Emerging).OrderByDescending(p => p.Size).First();
        Assert.Contains(emerging, e => engine.Resolve(e.PatternId) == incident.Id);
        Assert.Contains(signals, s => engine.Resolve(s.PatternId) == incident.Id);
        Assert.Contains(incident.Concentrations, c => c.Evidence.StartsWith("usernames a–b", StringComparison.Ordinal));
        Assert.Equal("up-1", incident.LikelyChange?.Change.Id);
        Assert.NotNull(incident.EmergingSince);
    }

    [Fact]
    public void A_change_that_arrives_after_its_tickets_is_still_linked()
    {
        var (scenario, history) = Small();
        var engine = TriageEngine.Create(Options, history, null);
        for (var i = 0; i < scenario.Tickets.Count; i++)
        {
            engine.Triage(Ticket(scenario, i));
        }

        var incident = engine.Patterns().Where(p => p.Emerging).OrderByDescending(p => p.Size).First();
        Assert.Null(incident.LikelyChange);

        var events = engine.AddChange(scenario.Changes.Single());
        Assert.Contains(events, e => e is PatternSignalsChanged s && s.PatternId == incident.Id);
        Assert.Equal("up-1", engine.Describe(incident.Id).LikelyChange?.Change.Id);
    }

    [Fact]
    public void A_dismissed_pattern_is_never_flagged_emerging_again()
    {
        var (scenario, history) = Small();
        var first = TriageEngine.Create(Options, history, null);
        int? flaggedAt = null;
        var flagged = -1;
        for (var i = 0; i < scenario.Tickets.Count && flaggedAt is null; i++)
        {
            if (first.Triage(Ticket(scenario, i)).Events.OfType<PatternEmerging>().FirstOrDefault() is { } e)
            {
                (flaggedAt, flagged) = (i, e.PatternId);
            }
        }

        Assert.NotNull(flaggedAt);
        first.Dismiss(flagged);
        Assert.False(first.Describe(flagged).Emerging);
        Assert.True(first.Describe(flagged).Dismissed);
        for (var i = flaggedAt.Value + 1; i < scenario.Tickets.Count; i++)
        {
            var outcome = first.Triage(Ticket(scenario, i));
            Assert.DoesNotContain(outcome.Events, e => e is PatternEmerging p && p.PatternId == flagged);
        }

        Assert.False(first.Describe(flagged).Emerging);
    }

    [Fact]
    public void The_lead_merges_two_patterns_and_the_absorbed_one_resolves_to_the_survivor()
    {
        var (scenario, history) = Small();
        var engine = TriageEngine.Create(Options, history, null);
        for (var i = 0; i < 200; i++)
        {
            engine.Triage(Ticket(scenario, i));
        }

        var live = engine.Patterns();
        var (from, into) = (live[^1].Id, live[0].Id);
        var size = live[0].Size + live[^1].Size;
        var events = engine.MergePatterns(from, into, scenario.Tickets[199].Time);

        Assert.Contains(new PatternsMerged(from, into, scenario.Tickets[199].Time), events);
        Assert.Equal(into, engine.Resolve(from));
        Assert.False(engine.Describe(from).IsLive);
        Assert.Equal(size, engine.Describe(into).Size);
    }

    [Fact]
    public void With_no_history_the_engine_still_groups_tickets_and_with_a_classifier_it_abstains_below_the_threshold()
    {
        var engine = TriageEngine.Create(new EngineOptions(), [], new FixedClassifier());
        var at = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        var attributes = new Dictionary<string, string> { ["server"] = "web-1" };
        var a = engine.Triage(new EngineTicket(1, TriageText.Compose("Cannot log in", "My password is refused since this morning"), at, attributes));
        var b = engine.Triage(new EngineTicket(2, TriageText.Compose("Cannot log in", "The password is refused since this morning"), at.AddMinutes(1), attributes));
        var c = engine.Triage(new EngineTicket(3, TriageText.Compose("Invoice", "Please send the invoice for March as PDF"), at.AddMinutes(2), attributes));

        Assert.Equal(a.PatternId, b.PatternId);
        Assert.NotEqual(a.PatternId, c.PatternId);
        Assert.Equal(("access", false), (a.Category, a.NeedsReview));
        Assert.Equal(("billing", true), (c.Category, c.NeedsReview));
        Assert.Equal(3, engine.TicketsSeen);

        engine.SetClassifier(null);
        var d = engine.Triage(new EngineTicket(4, "Invoice again", at.AddMinutes(3), attributes));
        Assert.Null(d.Category);
        Assert.False(d.NeedsReview);
    }

    private sealed class FixedClassifier : ITextClassifier
    {
        public IReadOnlyList<string> Classes { get; } = ["access", "billing"];

        public float AbstainThreshold => 0.5f;

        public ClassificationResult Predict(string text, int top = 3) =>
            text.Contains("password", StringComparison.Ordinal)
                ? new ClassificationResult("access", 0.9f, false, [])
                : new ClassificationResult("billing", 0.3f, true, []);
    }
}
