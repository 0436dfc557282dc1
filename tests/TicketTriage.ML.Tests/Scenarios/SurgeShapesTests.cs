using TicketTriage.ML.Scenarios;
using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Tests.Scenarios;

/// <summary>
/// The scenario format's newer shapes: rollouts in batches, changes to any attribute, mail providers, weekly
/// rhythms — and a quiet week replayed through the engine without an alarm on its Monday morning.
/// </summary>
public sealed class SurgeShapesTests
{
    private static readonly Scenario Small = ScenarioJson.Parse(SmallScenario.Json);

    private static ChangeSpec Batch(string id, DateTimeOffset start, params string[] servers) =>
        new() { Id = id, Title = id, Start = start, Series = "rollout", Targets = new TargetSpec { Servers = servers } };

    [Fact]
    public void A_bug_that_follows_a_rollout_reaches_each_batch_only_after_that_batch_ran()
    {
        var b1 = Small.Start.AddHours(10);
        var b2 = Small.Start.AddHours(30);
        var scenario = Small with
        {
            Changes = [Batch("b1", b1, "node-01", "node-02"), Batch("b2", b2, "node-05", "node-06", "node-07")],
            Incidents = [Small.Incidents[0] with
            {
                Onset = b1.AddHours(1),
                DurationHours = 40,
                FollowsRollout = true,
                Affected = new AffectedSpec { TargetsOfChanges = ["b1", "b2"] },
                Expect = new ExpectationSpec { Change = "rollout" },
            }],
        };

        var g = ScenarioGenerator.Generate(ScenarioJson.Validate(scenario));
        var own = g.Tickets.Where((_, i) => g.Truth[i].Incident is not null).ToList();

        Assert.Contains(own, t => t.Attributes[AttributeKeys.Server] is "node-05" or "node-06" or "node-07");
        Assert.All(own.Where(t => t.Attributes[AttributeKeys.Server] is "node-05" or "node-06" or "node-07"),
            t => Assert.True(t.Time >= b2.AddHours(1), $"{t.Time:O}: before batch 2 reached its server"));
        var events = g.Changes.ToDictionary(c => c.Id);
        Assert.Equal("rollout", events["b2"].Series);
    }

    [Fact]
    public void A_change_may_target_a_customer_attribute_and_its_incident_hits_only_those_customers()
    {
        var scenario = Small with
        {
            Changes = [new ChangeSpec
            {
                Id = "cgi-config", Title = "CGI handler config push", Start = Small.Start.AddHours(20),
                Targets = new TargetSpec { Attributes = new Dictionary<string, IReadOnlyList<string>> { ["stack"] = ["cgi"] } },
            }],
            Incidents = [Small.Incidents[0] with
            {
                Onset = Small.Start.AddHours(21),
                Affected = new AffectedSpec { TargetsOfChanges = ["cgi-config"] },
                Expect = new ExpectationSpec { Change = "cgi-config" },
            }],
        };

        var g = ScenarioGenerator.Generate(ScenarioJson.Validate(scenario));

        Assert.Equal(["cgi"], g.Changes.Single().Targets["stack"]);
        Assert.All(g.Tickets.Where((_, i) => g.Truth[i].Incident is not null), t => Assert.Equal("cgi", t.Attributes["stack"]));
    }

    [Fact]
    public void Mail_providers_give_customers_addresses_there_and_an_incident_can_hit_one_providers_customers()
    {
        var scenario = Small with
        {
            Fleet = Small.Fleet with { EmailProviders = new Dictionary<string, double> { ["outlook.com"] = 0.2, ["gmail.com"] = 0.3, [ScenarioGenerator.OwnDomain] = 0.5 } },
            Changes = [],
            Incidents = [Small.Incidents[0] with { Affected = new AffectedSpec { EmailDomains = ["outlook.com"] }, Expect = new ExpectationSpec() }],
        };

        var g = ScenarioGenerator.Generate(ScenarioJson.Validate(scenario));
        var background = g.Tickets.Where((_, i) => g.Truth[i].Incident is null).ToList();
        double Share(Func<ScenarioTicket, bool> which) => background.Count(which) / (double)background.Count;

        Assert.InRange(Share(t => TicketAttributes.EmailDomain(t.Attributes[AttributeKeys.Email]) == "outlook.com"), 0.12, 0.28);
        Assert.InRange(Share(t => TicketAttributes.EmailDomain(t.Attributes[AttributeKeys.Email]) == t.Attributes["domain"]), 0.4, 0.6);
        Assert.All(g.Tickets.Where((_, i) => g.Truth[i].Incident is not null),
            t => Assert.EndsWith("@outlook.com", t.Attributes[AttributeKeys.Email], StringComparison.Ordinal));
    }

    [Fact]
    public void Weekends_are_quiet_Mondays_busy_and_a_category_can_have_its_own_weekday()
    {
        var scenario = QuietWeek();
        var g = ScenarioGenerator.Generate(scenario);
        var byDay = g.Tickets.GroupBy(t => (t.Time + TimeSpan.FromHours(scenario.UtcOffsetHours)).DayOfWeek).ToDictionary(d => d.Key, d => d.ToList());
        var access = g.Tickets.Select((t, i) => (t, g.Truth[i].Topic)).Where(x => x.Topic == "account-access")
            .GroupBy(x => (x.t.Time + TimeSpan.FromHours(scenario.UtcOffsetHours)).DayOfWeek).ToDictionary(d => d.Key, d => d.Count());

        Assert.True(byDay[DayOfWeek.Monday].Count > 3 * byDay[DayOfWeek.Sunday].Count);
        // Monday's password tickets at 2.2 times their weight: about twice their share on the other days (2.2/15.2 vs 1/14).
        var monday = access[DayOfWeek.Monday] / (double)byDay[DayOfWeek.Monday].Count;
        var others = access.Where(a => a.Key != DayOfWeek.Monday).Sum(a => a.Value) / (double)byDay.Where(d => d.Key != DayOfWeek.Monday).Sum(d => d.Value.Count);
        Assert.True(monday > 1.4 * others, $"account access: {monday:P1} of Monday's tickets vs {others:P1} of the other days'");
    }

    /// <summary>
    /// Expected arrivals follow the stream: a pattern's expectation is its share of all tickets, so a Monday morning
    /// at three times Sunday's volume, and Monday's doubled password tickets, raise no alarm.
    /// </summary>
    [Fact]
    public void A_quiet_week_with_a_weekly_rhythm_raises_no_more_than_one_false_alarm_a_day()
    {
        var report = ScenarioReplay.Run(ScenarioGenerator.Generate(QuietWeek()), new ReplayOptions { HistoryDays = 2 });

        Assert.Empty(report.Incidents);
        Assert.True(report.FalseAlarmsPerDay <= 1, $"{report.FalseAlarms} false alarms in {report.SimulatedDays:0.#} days: " +
            string.Join("; ", report.Flags.Select(f => $"{f.At:ddd HH:mm} {f.Evidence}")));
    }

    // Saturday to Tuesday at 10 tickets/h on average: weekends at a third of a weekday, Monday morning's peak.
    private static Scenario QuietWeek() => ScenarioJson.Validate(Small with
    {
        Start = new DateTimeOffset(2024, 3, 9, 0, 0, 0, TimeSpan.FromHours(-6)),
        DurationHours = 96,
        Background = new BackgroundSpec
        {
            TicketsPerHour = 10,
            WeeklyRhythm = [1.6, 1.1, 1.0, 1.0, 0.9, 0.35, 0.35],
            CategoryWeekdays = new Dictionary<string, IReadOnlyList<double>> { ["account-access"] = [2.2, 1, 1, 1, 1, 0.7, 0.7] },
        },
        Changes = [],
        Incidents = [],
    });
}
