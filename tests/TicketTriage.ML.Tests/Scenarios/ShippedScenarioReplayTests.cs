using TicketTriage.ML.Engine;
using TicketTriage.ML.Scenarios;

namespace TicketTriage.ML.Tests.Scenarios;

/// <summary>
/// The five shipped scenarios replayed through the whole engine with its default settings, as
/// <c>triage eval scenario</c> does — a regression guard on the figures in docs/benchmarks.md. Concentration, change,
/// purity, false alarms and separation are held to the design's bars (docs/benchmarks.md, "Against the bars"). Detection is held to what the engine reaches today
/// (the 6th ticket at worst, within 60 s of the 5th) because the Dulles surge still misses the bar of 5 by one ticket
/// at the file seed; tighten <see cref="DetectionPinnedAtTickets"/> to 5 when it no longer does.
/// </summary>
public sealed class ShippedScenarioReplayTests
{
    private const int DetectionPinnedAtTickets = 6;

    [Theory]
    [MemberData(nameof(ScenarioFilesTests.Files), MemberType = typeof(ScenarioFilesTests))]
    public void The_engine_finds_every_planted_incident_of_the_scenario(string file)
    {
        using var stream = File.OpenRead(Path.Combine(ScenarioFilesTests.ScenarioDirectory(), file));
        var report = ScenarioReplay.Run(ScenarioGenerator.Generate(ScenarioJson.Parse(stream)));

        Assert.All(report.Incidents, incident =>
        {
            Assert.True(incident.DetectedAfterTickets is not null, $"{incident.Name}: never flagged");
            Assert.True(incident.DetectedAfterTickets <= DetectionPinnedAtTickets, $"{incident.Name}: flagged after {incident.DetectedAfterTickets} tickets");
            Assert.True(incident.SecondsAfterFifthTicket <= 60, $"{incident.Name}: flagged {incident.SecondsAfterFifthTicket:0} s after its 5th ticket");
            Assert.True(incident.Purity >= 0.9, $"{incident.Name}: purity {incident.Purity:0.00}");
            Assert.True(incident.ConcentrationFound, $"{incident.Name}: found {string.Join("; ", incident.Concentrations)}");
            Assert.True(incident.ChangeFound, $"{incident.Name}: expected {incident.ExpectedChange}, linked {incident.LinkedChange}");
        });
        Assert.True(report.FalseAlarmsPerDay <= 1, $"{report.FalseAlarms} false alarms in {report.SimulatedDays:0.0} days");
        Assert.True(report.IncidentsSeparated, "two planted incidents share one pattern");
    }

    // WestHost's batch 2 upgraded ws-02..04: its forced-password tickets are spread over three servers (too few on
    // each for the per-server test early on) inside a datacenter of forty. Tagged with the change whose targets hold
    // them, they are one place (ChangeTargetBurst), and the batch is flagged tickets earlier (docs/benchmarks.md,
    // "Change targets").
    [Fact]
    public void Tickets_on_an_upgrade_batch_are_tested_as_one_place()
    {
        using var stream = File.OpenRead(Path.Combine(ScenarioFilesTests.ScenarioDirectory(), "westhost-batch-upgrade.json"));
        var generated = ScenarioGenerator.Generate(ScenarioJson.Parse(stream));
        int? Batch2(bool changeTargets) => Assert.Single(
            ScenarioReplay.Run(generated, new ReplayOptions { Engine = new EngineOptions { ChangeTargetBurst = changeTargets } }).Incidents,
            i => i.Name.StartsWith("batch-2", StringComparison.Ordinal)).DetectedAfterTickets;

        var (with, without) = (Batch2(true), Batch2(false));
        Assert.True(with <= 4, $"flagged after {with} tickets with change targets");
        Assert.True(without is null || without > with, $"flagged after {without} tickets without them, {with} with");
    }

    // On this seed the routing-database failure is flagged in fragments, and the merge pass used to fold them into a
    // login pattern flagged (falsely) the day before: the incident then had that pattern's onset, no change and 61%
    // purity. KeepIncidentsApart holds them apart (docs/benchmarks.md, "Usual volume").
    [Fact]
    public void An_incident_is_not_merged_into_yesterdays_pattern_worded_like_it()
    {
        using var stream = File.OpenRead(Path.Combine(ScenarioFilesTests.ScenarioDirectory(), "webmail-surge-then-db.json"));
        var report = ScenarioReplay.Run(ScenarioGenerator.Generate(ScenarioJson.Parse(stream), seedOverride: 2));

        var failure = Assert.Single(report.Incidents, i => i.Name == "routing database failure");
        Assert.True(failure.Purity >= 0.9, $"purity {failure.Purity:0.00}");
        Assert.True(failure.ChangeFound, $"expected {failure.ExpectedChange}, linked {failure.LinkedChange}");
        Assert.True(failure.DetectedAfterTickets <= 5, $"flagged after {failure.DetectedAfterTickets} tickets");
    }
}
