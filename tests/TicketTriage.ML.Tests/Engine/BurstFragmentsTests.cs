using TicketTriage.ML.Engine;
using TicketTriage.ML.Scenarios;
using TicketTriage.ML.Tests.Scenarios;

namespace TicketTriage.ML.Tests.Engine;

/// <summary>When a burst made of young fragments is flagged, the fragments become one pattern (EngineOptions.AbsorbBurstFragments).</summary>
public sealed class BurstFragmentsTests
{
    private static readonly EngineOptions Options = new EngineOptions() is var o
        ? o with { Featurizer = o.Featurizer with { LatentDimensions = 64 } }
        : null!;

    private static (List<PatternEmerging> Flags, List<PatternsMerged> AtFlag, ScenarioReport Report) Replay(bool absorb)
    {
        var scenario = ScenarioJson.Parse(SmallScenario.Json);
        var generated = ScenarioGenerator.Generate(scenario);
        var engine = TriageEngine.Create(Options with { AbsorbBurstFragments = absorb }, ScenarioReplay.History(scenario, 3).Tickets.Select(t => t.Text).ToList(), null);
        var flags = new List<PatternEmerging>();
        var atFlag = new List<PatternsMerged>();
        for (var i = 0; i < generated.Tickets.Count; i++)
        {
            var t = generated.Tickets[i];
            var events = engine.Triage(new EngineTicket(i, t.Text, t.Time, t.Attributes)).Events;
            var flagged = events.OfType<PatternEmerging>().ToList();
            flags.AddRange(flagged);
            atFlag.AddRange(events.OfType<PatternsMerged>().Where(m => flagged.Any(f => f.PatternId == m.Into)));
        }

        var report = ScenarioReplay.Run(generated, new ReplayOptions { Engine = Options with { AbsorbBurstFragments = absorb }, HistoryDays = 3 });
        return (flags, atFlag, report);
    }

    [Fact]
    public void The_fragments_of_a_flagged_burst_fold_into_the_flagged_pattern_on_the_arrival_that_flags_it()
    {
        var (flags, atFlag, report) = Replay(absorb: true);
        var (_, atFlagOff, reportOff) = Replay(absorb: false);

        Assert.NotEmpty(flags);
        Assert.Empty(atFlagOff);
        Assert.NotEmpty(atFlag);
        var incident = Assert.Single(report.Incidents);
        Assert.Equal(1, incident.Fragments);
        Assert.True(incident.Recall >= reportOff.Incidents[0].Recall, $"recall {incident.Recall:0.00} vs {reportOff.Incidents[0].Recall:0.00} without");
        Assert.True(incident.Purity >= 0.9, $"purity {incident.Purity:0.00}");
    }
}
