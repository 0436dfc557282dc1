using TicketTriage.ML.Engine;
using TicketTriage.ML.Scenarios;
using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Tests.Engine;

/// <summary>
/// A flagged pattern gated on the group its concentration names (EngineOptions.GateMembership), and flagged fragments
/// of one group folded together (EngineOptions.FoldFlaggedFragments), on small replays.
/// </summary>
public sealed class MembershipGateTests
{
    private static readonly EngineOptions Options = new EngineOptions() is var o
        ? o with { Featurizer = o.Featurizer with { LatentDimensions = 64 } }
        : null!;

    // Two days of a small host whose customers write about passwords all the time; on day two, codes sent to the
    // Microsoft mailboxes stop arriving — worded like the everyday "the reset e-mail never arrives".
    private const string MailJson = """
    {
      "name": "mail-gate", "title": "Codes to three mail domains refused", "randomSeed": 5,
      "start": "2024-03-04T00:00:00+00:00", "durationHours": 48, "utcOffsetHours": 0,
      "fleet": {
        "serverGroups": [ { "prefix": "app-", "from": 1, "count": 6, "digits": 2, "datacenter": "eu" } ],
        "customers": 3000,
        "plans": { "Basic": 0.7, "Pro": 0.3 },
        "emailProviders": { "gmail.com": 0.3, "outlook.com": 0.08, "hotmail.com": 0.05, "live.com": 0.03, "yahoo.com": 0.05, "own": 0.49 }
      },
      "background": { "ticketsPerHour": 16, "categories": { "account-access": 4, "email": 2, "billing": 1, "website-down": 1 } },
      "changes": [],
      "incidents": [ {
        "name": "codes to Microsoft mailboxes",
        "onset": "2024-03-05T09:00:00+00:00", "durationHours": 10, "ticketsPerHour": 12, "rampMinutes": 20,
        "affected": { "emailDomains": ["outlook.com", "hotmail.com", "live.com"] },
        "symptoms": {
          "subjects": ["Password reset email never arrives", "No login code", "Verification email not arriving"],
          "openings": ["The password reset email never arrives at {email}, I tried three times.",
                       "I never get the login code at {email}, so I cannot sign in.",
                       "The verification code email does not arrive in my inbox {email}."],
          "details": ["Nothing in spam either.", "It worked fine last week."]
        },
        "expect": { "concentrations": [ { "attribute": "emailDomain", "value": "outlook.com" } ] }
      } ]
    }
    """;

    private static ScenarioReport Replay(string json, EngineOptions engine) =>
        ScenarioReplay.Run(ScenarioGenerator.Generate(ScenarioJson.Parse(json)), new ReplayOptions { Engine = engine, HistoryDays = 2 });

    [Fact]
    public void An_incident_on_three_mail_domains_keeps_everyday_tickets_of_other_domains_out_of_its_pattern()
    {
        var gated = Replay(MailJson, Options);
        var open = Replay(MailJson, Options with { GateMembership = false, FoldFlaggedFragments = false });

        var incident = Assert.Single(gated.Incidents);
        var before = Assert.Single(open.Incidents);
        Assert.NotNull(incident.DetectedAfterTickets);
        Assert.Contains(incident.Concentrations, c => c.StartsWith("e-mail at ", StringComparison.Ordinal) && c.Contains(" or ", StringComparison.Ordinal));
        Assert.True(incident.Purity >= 0.9, $"purity {incident.Purity:0.00} gated, {before.Purity:0.00} not");
        Assert.True(incident.Purity >= before.Purity, $"purity {incident.Purity:0.00} gated, {before.Purity:0.00} not");
    }

    [Fact]
    public void A_gated_pattern_is_never_joined_by_a_ticket_outside_its_group_after_the_gate_is_set()
    {
        var scenario = ScenarioJson.Parse(MailJson);
        var generated = ScenarioGenerator.Generate(scenario);
        var engine = TriageEngine.Create(Options, ScenarioReplay.History(scenario, 2).Tickets.Select(t => t.Text).ToList(), null);
        var gates = new Dictionary<int, Concentration>();
        var violations = new List<string>();
        for (var i = 0; i < generated.Tickets.Count; i++)
        {
            var t = generated.Tickets[i];
            var outcome = engine.Triage(new EngineTicket(i, t.Text, t.Time, t.Attributes));
            var derived = TicketAttributes.Derive(t.Attributes, t.Time);
            var pattern = engine.Resolve(outcome.PatternId);
            if (gates.TryGetValue(pattern, out var gate) && !outcome.StartedPattern && !gate.Matches(derived))
            {
                violations.Add($"{t.Time:HH:mm} {derived[AttributeKeys.EmailDomain]} joined {gate.Evidence}");
            }

            foreach (var report in outcome.Events.OfType<PatternSignalsChanged>().Select(e => engine.Describe(engine.Resolve(e.PatternId))).Where(p => p.Emerging))
            {
                if (report.Concentrations.FirstOrDefault(c => c.Key == AttributeKeys.EmailDomain && c.ShareInside >= Options.GateMinShare) is { } set)
                {
                    gates[report.Id] = set;
                }
            }
        }

        Assert.NotEmpty(gates);
        Assert.Empty(violations);
    }
}
