using TicketTriage.ML.Scenarios;
using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Tests.Scenarios;

public sealed class ScenarioGeneratorTests
{
    private static readonly Scenario Small = ScenarioJson.Parse(SmallScenario.Json);

    private static string Fingerprint(GeneratedScenario g) => string.Join("\n", g.Tickets.Select((t, i) =>
        $"{t.Id}|{t.Time:O}|{t.Subject}|{t.Body}|{string.Join(",", t.Attributes.OrderBy(a => a.Key).Select(a => a.Key + "=" + a.Value))}|{g.Truth[i].Incident}"));

    [Fact]
    public void The_same_seed_gives_the_same_stream()
    {
        Assert.Equal(Fingerprint(ScenarioGenerator.Generate(Small)), Fingerprint(ScenarioGenerator.Generate(Small)));
    }

    [Fact]
    public void Another_seed_gives_another_stream()
    {
        Assert.NotEqual(Fingerprint(ScenarioGenerator.Generate(Small)), Fingerprint(ScenarioGenerator.Generate(Small, seedOverride: 43)));
    }

    [Fact]
    public void A_busier_desk_brings_three_times_the_everyday_tickets_and_the_same_incidents()
    {
        var usual = ScenarioGenerator.Generate(Small);
        var busier = ScenarioGenerator.Generate(Small.WithBackgroundScaled(3));
        int Everyday(GeneratedScenario g) => g.Truth.Count(t => t.Incident is null);
        IEnumerable<(string?, int)> Incidents(GeneratedScenario g) => g.Truth.Where(t => t.Incident is not null)
            .GroupBy(t => t.Incident).Select(x => (x.Key, x.Count())).OrderBy(x => x.Key);

        Assert.InRange(Everyday(busier) / (double)Everyday(usual), 2.7, 3.3);
        Assert.Equal(Incidents(usual).Select(i => i.Item1), Incidents(busier).Select(i => i.Item1));
        Assert.All(Incidents(busier), i => Assert.True(i.Item2 > 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Small.WithBackgroundScaled(0));
    }

    [Fact]
    public void Tickets_are_in_time_order_with_ids_in_sequence_and_truth_beside_them()
    {
        var g = ScenarioGenerator.Generate(Small);
        Assert.True(g.Tickets.Count > 500);
        Assert.Equal(g.Tickets.Count, g.Truth.Count);
        for (var i = 1; i < g.Tickets.Count; i++)
        {
            Assert.True(g.Tickets[i].Time >= g.Tickets[i - 1].Time);
            Assert.Equal(i + 1, g.Tickets[i].Id);
            Assert.Equal(g.Tickets[i].Id, g.Truth[i].TicketId);
        }

        Assert.All(g.Tickets, t => Assert.InRange(t.Time, Small.Start, Small.End));
    }

    [Fact]
    public void Incident_tickets_come_only_from_the_affected_customers_inside_its_window()
    {
        var g = ScenarioGenerator.Generate(Small);
        var incident = Small.Incidents[0];
        var own = g.Tickets.Where((_, i) => g.Truth[i].Incident == incident.Name).ToList();

        // 30/h for 6 h with a 5-minute ramp: about 180.
        Assert.InRange(own.Count, 130, 230);
        Assert.All(own, t =>
        {
            Assert.Contains(t.Attributes[AttributeKeys.Server], new[] { "node-03", "node-04" });
            Assert.Contains(t.Attributes[AttributeKeys.Username][0], "ab");
            Assert.Equal("v2", t.Attributes[AttributeKeys.ProductVersion]);
            Assert.InRange(t.Time, incident.Onset, incident.Onset.AddHours(incident.DurationHours));
            Assert.Contains("quota", t.Text, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public void Servers_carry_their_change_only_after_it()
    {
        var g = ScenarioGenerator.Generate(Small);
        var change = Small.Changes[0].Start;
        foreach (var t in g.Tickets.Where(t => t.Attributes[AttributeKeys.Server] is "node-03" or "node-04"))
        {
            Assert.Equal(t.Time >= change ? "v2" : "v1", t.Attributes[AttributeKeys.ProductVersion]);
            Assert.Equal(t.Time >= change, t.Attributes.ContainsKey(AttributeKeys.ServerChangedAt));
        }
    }

    [Fact]
    public void Background_follows_the_daily_rhythm()
    {
        var g = ScenarioGenerator.Generate(Small);
        var background = g.Tickets.Where((_, i) => g.Truth[i].Incident is null).ToList();
        int LocalHourCount(Func<int, bool> hours) => background.Count(t => hours(t.Time.ToOffset(TimeSpan.FromHours(-6)).Hour));
        var night = LocalHourCount(h => h is >= 1 and < 5);
        var morning = LocalHourCount(h => h is >= 9 and < 13);
        Assert.True(morning > 4 * night, $"morning {morning}, night {night}");
    }

    [Fact]
    public void Changes_become_signal_events_with_server_targets()
    {
        var change = Assert.Single(ScenarioGenerator.Generate(Small).Changes);
        Assert.Equal("up-1", change.Id);
        Assert.Equal(["node-03", "node-04"], change.Targets[AttributeKeys.Server]);
    }
}
