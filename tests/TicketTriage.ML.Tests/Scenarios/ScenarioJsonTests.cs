using System.Text.Json;
using TicketTriage.ML.Scenarios;

namespace TicketTriage.ML.Tests.Scenarios;

public sealed class ScenarioJsonTests
{
    [Fact]
    public void Parse_reads_every_part_of_a_scenario()
    {
        var s = ScenarioJson.Parse(SmallScenario.Json);

        Assert.Equal("small", s.Name);
        Assert.Equal(new DateTimeOffset(2024, 3, 4, 6, 0, 0, TimeSpan.Zero), s.Start.ToUniversalTime());
        Assert.Equal(2, s.Fleet.ServerGroups.Count);
        Assert.Equal(0.3, s.Fleet.CustomerAttributes["stack"]["cgi"]);
        var change = Assert.Single(s.Changes);
        Assert.Equal(["node-03", "node-04"], change.Targets.Servers);
        Assert.Equal("v2", change.SetsProductVersion);
        var incident = Assert.Single(s.Incidents);
        Assert.Equal("ab", incident.Affected.UsernameInitials);
        Assert.Equal("a–b", Assert.Single(incident.Expect.Concentrations).Value);
        Assert.Equal("up-1", incident.Expect.Change);
    }

    [Fact]
    public void Serialize_then_parse_round_trips()
    {
        var first = ScenarioJson.Parse(SmallScenario.Json);
        var json = ScenarioJson.Serialize(first);
        var second = ScenarioJson.Parse(json);

        Assert.Equal(json, ScenarioJson.Serialize(second));
        Assert.Equal(first.Start, second.Start);
        Assert.Equal(first.Incidents[0].Symptoms.Openings, second.Incidents[0].Symptoms.Openings);
        Assert.Equal(
            ScenarioGenerator.Generate(first).Tickets.Select(t => t.Text),
            ScenarioGenerator.Generate(second).Tickets.Select(t => t.Text));
    }

    [Fact]
    public void Parse_from_a_stream_equals_parse_from_a_string()
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(SmallScenario.Json));
        Assert.Equal(ScenarioJson.Serialize(ScenarioJson.Parse(SmallScenario.Json)), ScenarioJson.Serialize(ScenarioJson.Parse(stream)));
    }

    [Fact]
    public void A_misspelled_field_is_an_error_not_a_silent_default()
    {
        var json = SmallScenario.Json.Replace("\"ticketsPerHour\": 12", "\"ticketPerHour\": 12", StringComparison.Ordinal);
        Assert.ThrowsAny<JsonException>(() => ScenarioJson.Parse(json));
    }

    [Theory]
    [InlineData("\"servers\": [\"node-03\", \"node-04\"]", "\"servers\": [\"node-03\", \"node-99\"]", "unknown server 'node-99'")]
    [InlineData("\"targetsOfChanges\": [\"up-1\"]", "\"targetsOfChanges\": [\"up-2\"]", "unknown change 'up-2'")]
    [InlineData("\"durationHours\": 60", "\"durationHours\": 0", "durationHours must be positive")]
    public void Validation_names_the_inconsistency(string from, string to, string message)
    {
        var error = Assert.Throws<FormatException>(() => ScenarioJson.Parse(SmallScenario.Json.Replace(from, to, StringComparison.Ordinal)));
        Assert.Contains(message, error.Message);
    }
}
