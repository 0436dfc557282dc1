using TicketTriage.ML.Engine;
using TicketTriage.ML.Scenarios;
using TicketTriage.ML.Signals;
using TicketTriage.ML.Tests.Scenarios;

namespace TicketTriage.ML.Tests.Engine;

/// <summary>
/// The engine's results are a function of the ticket stream alone: how the app happens to feed it — changes learned
/// late or sent again, the state saved and restored mid-stream, a crash that loses the tickets triaged after the last
/// save (re-fed after the restore, with every known change added again, as the triage worker does at start-up) —
/// must end in the same patterns, members, flags and signals as one uninterrupted run.
/// </summary>
public sealed class StreamDeterminismTests
{
    // Two changes on one server and two incidents after them (the second after both): the ranking between the two
    // changes is what a restart once got wrong in the app.
    private static readonly Lazy<(GeneratedScenario Scenario, List<string> History)> Shipped = new(() =>
    {
        var path = Path.Combine(ScenarioFilesTests.ScenarioDirectory(), "smilingpeanut-os-upgrade.json");
        var scenario = ScenarioJson.Parse(File.ReadAllText(path));
        return (ScenarioGenerator.Generate(scenario), ScenarioReplay.History(scenario, 3).Tickets.Select(t => t.Text).ToList());
    });

    private static readonly EngineOptions Options = new EngineOptions() is var o
        ? o with { Featurizer = o.Featurizer with { LatentDimensions = 64 } }
        : null!;

    // Saved every 97 tickets; at ticket 400 (the first incident under way) the process dies 60 tickets after its
    // last save, and at 700 (the second incident's first tickets) 45 after: the restored engine is fed every change
    // again and then the lost tickets.
    [Fact]
    public void Saves_restores_and_a_crash_with_re_feed_end_in_the_same_patterns_as_one_uninterrupted_run()
    {
        var (scenario, history) = Shipped.Value;
        Assert.Equal(Uninterrupted(scenario, history, "melvin-plesk-migration"), Crashed(scenario, history, [400, 700]));
    }

    // A slow burn's flagged fragments wait as long as the incident's pace says (EngineOptions.PaceOfTicketsLikeIt), a
    // figure the state does not keep: the restored engine counts it again when a flagged pattern next takes a ticket.
    // Twelve crashes through the burn end where the uninterrupted run does.
    [Fact]
    public void A_restore_in_the_middle_of_a_slow_burn_keeps_its_fragments_pace()
    {
        var path = Path.Combine(ScenarioFilesTests.ScenarioDirectory(), "probes", "yahoo-slow-burn-patch-tuesday.json");
        var parsed = ScenarioJson.Parse(File.ReadAllText(path));
        var (scenario, history) = (ScenarioGenerator.Generate(parsed), ScenarioReplay.History(parsed, 3).Tickets.Select(t => t.Text).ToList());
        Assert.Equal(Uninterrupted(scenario, history, "yahoo.com"), Crashed(scenario, history, [.. Enumerable.Range(0, 12).Select(k => 2000 + (k * 170))]));
    }

    // A rollout in four batches (data/scenarios/php-rollout-batches.json): its incident's fragments fold by the gates
    // of the rollout's places, compared without a gate another implies (EngineOptions.KindsWithoutImpliedGates: the
    // implied values are learned again from the tickets after a restore), its pattern judged on the batches started by
    // its onset (ChangeCorrelationOptions.SeriesPlacesAtOnset), its silences counted in the stream's time. Twelve
    // crashes through the rollout, each batch's changes re-sent, end where the uninterrupted run does. Found failing
    // (2026-12-07): restored at ticket 1358, the php.ini incident took none of the next 200 tickets itself (they went to
    // its fragments), so its incident pace (EngineOptions.PaceOfTicketsLikeIt), then not saved, was never counted
    // again; on its own pace it closed, and ticket 1555 started another fragment. The pace is saved now.
    [Fact]
    public void A_restore_in_the_middle_of_a_rollout_ends_where_the_uninterrupted_run_does()
    {
        var path = Path.Combine(ScenarioFilesTests.ScenarioDirectory(), "php-rollout-batches.json");
        var parsed = ScenarioJson.Parse(File.ReadAllText(path));
        var (scenario, history) = (ScenarioGenerator.Generate(parsed), ScenarioReplay.History(parsed, 3).Tickets.Select(t => t.Text).ToList());
        Assert.Equal(Uninterrupted(scenario, history, "php81-rollout"), Crashed(scenario, history, [.. Enumerable.Range(0, 12).Select(k => 1000 + (k * 200))]));
    }

    private static List<string> Crashed(GeneratedScenario scenario, List<string> history, int[] crashAt)
    {
        var engine = TriageEngine.Create(Options, history, null);
        var assigned = new int[scenario.Tickets.Count];
        var changes = ChangesInTime(scenario);
        byte[] saved = [];
        var savedAt = 0;
        var crashes = new Queue<int>(crashAt);
        for (var i = 0; i < scenario.Tickets.Count; i++)
        {
            changes.AddDue(engine, scenario.Tickets[i].Time);
            assigned[i] = engine.Triage(Ticket(scenario, i)).PatternId;
            if ((i + 1) % 97 == 0)
            {
                (saved, savedAt) = (Save(engine), i + 1);
            }

            if (crashes.TryPeek(out var crash) && i + 1 == crash)
            {
                crashes.Dequeue();
                engine = TriageEngine.Load(new MemoryStream(saved), Options, null);
                foreach (var change in changes.Known)
                {
                    engine.AddChange(Copy(change));
                }

                for (var k = savedAt; k <= i; k++)
                {
                    assigned[k] = engine.Triage(Ticket(scenario, k)).PatternId;
                }
            }
        }

        return Outcome(engine, scenario, assigned);
    }

    [Fact]
    public void Changes_learned_late_or_sent_again_end_in_the_same_patterns_as_changes_known_from_the_start()
    {
        var (scenario, history) = Shipped.Value;
        var expected = Uninterrupted(scenario, history, "melvin-plesk-migration");

        // Each change reaches the engine 150 tickets after it started (the app learns of it from a feed that lags),
        // and every change is sent again every 50 tickets (the replay posts it again; the API is idempotent).
        var engine = TriageEngine.Create(Options, history, null);
        var assigned = new int[scenario.Tickets.Count];
        var pending = scenario.Changes.OrderBy(c => c.Start).ToList();
        var known = new List<ChangeEvent>();
        var dueAt = new Dictionary<string, int>();
        for (var i = 0; i < scenario.Tickets.Count; i++)
        {
            foreach (var change in pending.Where(c => c.Start <= scenario.Tickets[i].Time && !dueAt.ContainsKey(c.Id)))
            {
                dueAt[change.Id] = i + 150;
            }

            foreach (var change in pending.Where(c => dueAt.GetValueOrDefault(c.Id, int.MaxValue) == i).ToList())
            {
                engine.AddChange(change);
                known.Add(change);
                pending.Remove(change);
            }

            if (i % 50 == 0)
            {
                known.ForEach(c => engine.AddChange(Copy(c)));
            }

            assigned[i] = engine.Triage(Ticket(scenario, i)).PatternId;
        }

        pending.ForEach(c => engine.AddChange(c));
        Assert.Equal(expected, Outcome(engine, scenario, assigned));
    }

    // teeth: what the outcome must name (a change linked, a group found) for the comparison to mean something.
    private static List<string> Uninterrupted(GeneratedScenario scenario, List<string> history, string teeth)
    {
        var engine = TriageEngine.Create(Options, history, null);
        foreach (var change in scenario.Changes)
        {
            engine.AddChange(change);
        }

        var assigned = new int[scenario.Tickets.Count];
        for (var i = 0; i < scenario.Tickets.Count; i++)
        {
            assigned[i] = engine.Triage(Ticket(scenario, i)).PatternId;
        }

        var outcome = Outcome(engine, scenario, assigned);
        Assert.Contains(outcome, line => line.Contains(teeth, StringComparison.Ordinal)); // the test has teeth
        return outcome;
    }

    /// <summary>Every pattern's members (ticket indexes), flag and signals as the app would show them.</summary>
    private static List<string> Outcome(TriageEngine engine, GeneratedScenario scenario, int[] assigned)
    {
        var members = Enumerable.Range(0, scenario.Tickets.Count).GroupBy(i => engine.Resolve(assigned[i]));
        return members.OrderBy(g => g.Key).Select(g =>
        {
            var p = engine.Describe(g.Key);
            return $"#{p.Id} [{string.Join(",", g)}] {p.Emerging} {p.EmergingSince} {p.EmergenceEvidence} " +
                   $"{string.Join(";", p.Concentrations.Select(c => c.Evidence))} {p.LikelyChange?.Change.Id} {p.LikelyChange?.Evidence}";
        }).ToList();
    }

    private static EngineTicket Ticket(GeneratedScenario s, int i) => new(i, s.Tickets[i].Text, s.Tickets[i].Time, s.Tickets[i].Attributes);

    private static byte[] Save(TriageEngine engine)
    {
        using var stream = new MemoryStream();
        engine.Save(stream);
        return stream.ToArray();
    }

    // The same change as a new object, as the app reads it back from its database.
    private static ChangeEvent Copy(ChangeEvent c) =>
        new(c.Id, c.Title, c.Kind, c.Start, c.End, c.Targets.ToDictionary(t => t.Key, t => (IReadOnlyList<string>)[.. t.Value])) { Series = c.Series };

    private static ChangeFeed ChangesInTime(GeneratedScenario scenario) => new([.. scenario.Changes.OrderBy(c => c.Start)]);

    /// <summary>Changes handed to the engine when the stream reaches their start, as the app's change feed does.</summary>
    private sealed class ChangeFeed(List<ChangeEvent> pending)
    {
        public List<ChangeEvent> Known { get; } = [];

        public void AddDue(TriageEngine engine, DateTimeOffset now)
        {
            while (pending.Count > 0 && pending[0].Start <= now)
            {
                engine.AddChange(pending[0]);
                Known.Add(pending[0]);
                pending.RemoveAt(0);
            }
        }
    }
}
