using TicketTriage.ML.Engine;
using TicketTriage.ML.Scenarios;

namespace TicketTriage.ML.Tests.Scenarios;

public sealed class ScenarioReplayTests
{
    [Fact]
    public void The_small_scenario_is_detected_concentrated_and_tied_to_its_change()
    {
        // A smaller latent block and a shorter history than the defaults keep the test fast (below ~48 dimensions everything looks alike).
        var engine = new EngineOptions();
        var options = new ReplayOptions { Engine = engine with { Featurizer = engine.Featurizer with { LatentDimensions = 64 } }, HistoryDays = 3 };
        var report = ScenarioReplay.Run(ScenarioGenerator.Generate(ScenarioJson.Parse(SmallScenario.Json)), options);

        var incident = Assert.Single(report.Incidents);
        Assert.Equal("quota bug", incident.Name);
        Assert.NotNull(incident.DetectedAfterTickets);
        Assert.True(incident.DetectedAfterTickets <= 5, $"flagged after {incident.DetectedAfterTickets} tickets");
        Assert.True(incident.Purity >= 0.9, $"purity {incident.Purity}");
        Assert.True(incident.ConcentrationFound, string.Join("; ", incident.Concentrations));
        Assert.Contains(incident.Concentrations, c => c.StartsWith("usernames a–b: 100% vs", StringComparison.Ordinal));
        Assert.True(incident.ChangeFound, incident.ChangeEvidence);
        Assert.StartsWith("onset ", incident.ChangeEvidence);
        Assert.Contains("after upgrade of node-03 and node-04", incident.ChangeEvidence);
        Assert.True(report.FalseAlarmsPerDay <= 1, $"{report.FalseAlarms} false alarms in {report.SimulatedDays} days");
    }

    [Fact]
    public void The_history_used_to_fit_the_featurizer_has_no_incident_and_precedes_the_scenario()
    {
        var scenario = ScenarioJson.Parse(SmallScenario.Json);
        var history = ScenarioReplay.History(scenario);
        Assert.All(history.Truth, t => Assert.Null(t.Incident));
        Assert.All(history.Tickets, t => Assert.True(t.Time < scenario.Start));
    }
}
