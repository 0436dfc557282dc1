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

    // Purity is not asserted here: in this small replay half of the background is worded like the incident, an
    // everyday "reset e-mail never arrives" pattern takes the incident over before any gate is set, and purity is
    // 0.82 gated vs 0.91 not (docs/benchmarks.md, "branch detect-shapes"). What the gate guarantees is the next test.
    [Fact]
    public void An_incident_on_three_mail_domains_is_described_by_one_set_and_detected_as_early_as_without_gates()
    {
        var gated = Replay(MailJson, Options);
        var open = Replay(MailJson, Options with { GateMembership = false, FoldFlaggedFragments = false });

        var incident = Assert.Single(gated.Incidents);
        var before = Assert.Single(open.Incidents);
        Assert.NotNull(incident.DetectedAfterTickets);
        Assert.True(incident.DetectedAfterTickets <= before.DetectedAfterTickets, $"{incident.DetectedAfterTickets} vs {before.DetectedAfterTickets}");
        Assert.Contains(incident.Concentrations, c => c.StartsWith("e-mail at ", StringComparison.Ordinal) && c.Contains(" or ", StringComparison.Ordinal));
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

    // Three days of a small host; from the second morning certificates in one datacenter expire one by one, slowly
    // more each hour, in many wordings: the first tickets, hours apart, start patterns of their own.
    private const string SlowBurnJson = """
    {
      "name": "slow-burn", "title": "Certificates not renewed in one datacenter", "randomSeed": 11,
      "start": "2024-10-07T00:00:00+00:00", "durationHours": 84, "utcOffsetHours": 0,
      "fleet": {
        "serverGroups": [ { "prefix": "ams-", "from": 1, "count": 6, "digits": 2, "datacenter": "ams" },
                          { "prefix": "fra-", "from": 1, "count": 12, "digits": 2, "datacenter": "fra" } ],
        "customers": 3000,
        "plans": { "Basic": 0.7, "Pro": 0.3 }
      },
      "background": { "ticketsPerHour": 14 },
      "changes": [],
      "incidents": [ {
        "name": "certificates expire",
        "onset": "2024-10-08T09:00:00+00:00", "durationHours": 60, "ticketsPerHour": 4, "rampMinutes": 2880,
        "affected": { "datacenters": ["ams"], "share": 0.6 },
        "symptoms": {
          "subjects": ["SSL certificate expired", "Security warning on my site", "Certificate not renewed", "https broken"],
          "openings": ["Visitors get a security warning on {domain}, the certificate expired yesterday.",
                       "The SSL certificate for {domain} was not renewed, the panel says renewal attempt pending.",
                       "Browsers say the connection is not private on {domain}; the certificate expired.",
                       "My shop shows a certificate error since this morning, renewal never happened."],
          "details": ["The panel says next renewal attempt: pending.", "It always renewed by itself before."]
        },
        "expect": { "concentrations": [ { "attribute": "datacenter", "value": "ams" } ] }
      } ]
    }
    """;

    [Fact]
    public void Flagged_fragments_of_a_slow_burn_that_share_its_datacenter_fold_into_one_pattern()
    {
        var folded = Assert.Single(Replay(SlowBurnJson, Options).Incidents);
        var apart = Assert.Single(Replay(SlowBurnJson, Options with { FoldFlaggedFragments = false }).Incidents);

        Assert.True(folded.Fragments <= apart.Fragments, $"{folded.Fragments} fragments folded vs {apart.Fragments} apart");
        Assert.True(folded.Recall >= apart.Recall, $"recall {folded.Recall:0.00} folded vs {apart.Recall:0.00} apart");
        Assert.True(folded.Purity >= 0.9, $"purity {folded.Purity:0.00}");
    }
}
