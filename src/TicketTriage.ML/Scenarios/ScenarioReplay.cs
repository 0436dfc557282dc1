using TicketTriage.ML.Engine;
using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Scenarios;

/// <summary>Settings of a replay: the engine's own settings, so the replay measures what the app runs.</summary>
public sealed record ReplayOptions
{
    /// <summary>The engine's settings; the defaults are the app's.</summary>
    public EngineOptions Engine { get; init; } = new();

    /// <summary>Days of incident-free history the featurizer (IDF, LSA) is fitted on.</summary>
    public double HistoryDays { get; init; } = 7;

    /// <summary>Share of a flagged pattern's tickets that must be one incident's for the flag to count as its detection.</summary>
    public double DetectionMajority { get; init; } = 0.5;
}

/// <summary>How the engine did on one planted incident.</summary>
/// <param name="DetectedAfterTickets">The incident's tickets that had arrived when its pattern was first flagged emerging (null: never).</param>
/// <param name="DetectedAfterSeconds">Simulated seconds from the incident's first ticket to the flag.</param>
/// <param name="SecondsAfterFifthTicket">Flag time minus the time of the incident's 5th ticket (negative: flagged before it).</param>
/// <param name="Purity">Of the pattern holding most of the incident's tickets: the share of its tickets that are the incident's.</param>
/// <param name="Recall">The share of the incident's tickets in that pattern.</param>
/// <param name="ChangeFound">The change linked to the pattern is the planted one (or its rollout series, when the planted truth names the series) — or, when none was planted, no change was linked.</param>
/// <param name="Fragments">Patterns holding at least 3 of the incident's tickets and at least 5% of them: 1 when it was kept as one pattern.</param>
public sealed record IncidentResult(
    string Name,
    int Tickets,
    int? DetectedAfterTickets,
    double? DetectedAfterSeconds,
    double? SecondsAfterFifthTicket,
    double Purity,
    double Recall,
    bool ConcentrationFound,
    bool ChangeFound,
    int PatternId,
    string PatternTitle,
    int PatternSize,
    string? EmergenceEvidence,
    IReadOnlyList<string> ExpectedConcentrations,
    IReadOnlyList<string> Concentrations,
    string? ExpectedChange,
    string? LinkedChange,
    string? ChangeEvidence,
    int Fragments = 1);

/// <summary>One transition of a pattern into "emerging", and what the pattern held at that moment.</summary>
public sealed record EmergenceFlag(DateTimeOffset At, int PatternId, int Size, string? MajorityIncident, double MajorityShare, string Evidence);

public sealed record ScenarioReport(
    string Scenario,
    int Tickets,
    double SimulatedDays,
    IReadOnlyList<IncidentResult> Incidents,
    IReadOnlyList<EmergenceFlag> Flags,
    int FalseAlarms,
    double FalseAlarmsPerDay,
    int Patterns,
    double TicketsPerSecond,
    int Refits = 0,
    int HistorySize = 0)
{
    /// <summary>Every planted incident ended up mostly in a pattern of its own (Webmail's two "can't get email" incidents).</summary>
    public bool IncidentsSeparated => Incidents.Select(i => i.PatternId).Distinct().Count() == Incidents.Count;
}

/// <summary>
/// Runs the triage engine (<see cref="TriageEngine"/>, the app's) over a generated scenario on its simulated clock,
/// offline, and scores it against the planted truth. Each ticket goes through <see cref="TriageEngine.Triage"/>; the
/// scorer follows the engine's outcomes and events (assignments, merges, flags) to know which tickets each pattern
/// holds. A flag is raised on the arrival that crosses the threshold, so detection delay is measured in the
/// incident's own tickets and in simulated seconds. Concentration and change are the engine's, assessed at the end
/// for the pattern holding most of each incident's tickets.
/// <para>
/// The featurizer's IDF is fitted on a week of the same company's ordinary tickets generated with another seed
/// and no incidents — the history a support desk has before its bad week — never on the replayed stream itself.
/// The scenario's changes are known to the engine from the start, as an app learns them from its change feed.
/// </para>
/// </summary>
public static class ScenarioReplay
{
    public static ScenarioReport Run(GeneratedScenario generated, ReplayOptions? options = null, TimeProvider? clock = null)
    {
        options ??= new ReplayOptions();
        clock ??= TimeProvider.System;
        var scenario = generated.Scenario;
        var tickets = generated.Tickets;

        var history = History(scenario, options.HistoryDays).Tickets.Select(t => t.Text).ToList();
        var engine = TriageEngine.Create(options.Engine, history, classifier: null);
        var started = clock.GetTimestamp();
        foreach (var change in generated.Changes)
        {
            engine.AddChange(change);
        }

        var members = new Dictionary<int, List<int>>();
        var flags = new List<EmergenceFlag>();
        var refits = 0;
        for (var i = 0; i < tickets.Count; i++)
        {
            var ticket = tickets[i];
            var outcome = engine.Triage(new EngineTicket(i, ticket.Text, ticket.Time, ticket.Attributes));
            // As the app does: the texts held are the history and every ticket fed so far; the most recent of them
            // outside emerging patterns are refitted on.
            if (engine.RefitDue(history.Count + i + 1))
            {
                engine.Refit(RecentTexts(history, tickets, i + 1, Surging(engine, members), options.Engine.RefitMaxHistory));
                refits++;
            }

            if (!members.TryGetValue(outcome.PatternId, out var list))
            {
                list = [];
                members[outcome.PatternId] = list;
            }

            list.Add(i);
            foreach (var e in outcome.Events)
            {
                switch (e)
                {
                    case PatternsMerged merge when members.Remove(merge.From, out var absorbed):
                        if (!members.TryGetValue(merge.Into, out var into))
                        {
                            into = [];
                            members[merge.Into] = into;
                        }

                        into.AddRange(absorbed);
                        into.Sort();
                        break;
                    case PatternEmerging flag:
                        var (majority, share) = Majority(members[flag.PatternId], generated.Truth);
                        flags.Add(new EmergenceFlag(flag.At, flag.PatternId, members[flag.PatternId].Count, majority, share, flag.Evidence));
                        break;
                }
            }
        }

        var elapsed = clock.GetElapsedTime(started).TotalSeconds;
        var days = scenario.DurationHours / 24;
        var results = scenario.Incidents.Select(incident => Score(incident, generated, engine, members, flags, options)).ToList();
        var falseAlarms = flags.Count(f => f.MajorityIncident is null);
        return new ScenarioReport(scenario.Name, tickets.Count, days, results, flags, falseAlarms, falseAlarms / days,
            members.Count, tickets.Count / Math.Max(elapsed, 1e-9), refits, engine.HistorySize);
    }

    // Tickets of the patterns flagged emerging: a surge is what must stand out from the history, not part of it.
    private static HashSet<int> Surging(TriageEngine engine, Dictionary<int, List<int>> members) =>
        [.. engine.Patterns(liveOnly: false).Where(p => p.Emerging).SelectMany(p => members.GetValueOrDefault(p.Id) ?? [])];

    // The most recent `max` texts: the first `fed` tickets of the stream (but the surging ones) after the history.
    private static List<string> RecentTexts(List<string> history, IReadOnlyList<ScenarioTicket> tickets, int fed, HashSet<int> surging, int max)
    {
        var fromStream = new List<string>();
        for (var k = fed - 1; k >= 0 && fromStream.Count < max; k--)
        {
            if (!surging.Contains(k))
            {
                fromStream.Add(tickets[k].Text);
            }
        }

        fromStream.Reverse();
        var fromHistory = Math.Min(history.Count, max - fromStream.Count);
        return [.. history.Skip(history.Count - fromHistory), .. fromStream];
    }

    /// <summary>A week of the company's ordinary tickets before the scenario: same fleet and traffic, no incidents, another seed.</summary>
    public static GeneratedScenario History(Scenario scenario, double days = 7) =>
        ScenarioGenerator.Generate(
            scenario with
            {
                Start = scenario.Start - TimeSpan.FromDays(days),
                DurationHours = days * 24,
                Changes = [],
                Incidents = [],
            },
            unchecked(scenario.RandomSeed * 31 + 7919));

    private static IncidentResult Score(
        IncidentSpec incident,
        GeneratedScenario generated,
        TriageEngine engine,
        Dictionary<int, List<int>> members,
        List<EmergenceFlag> flags,
        ReplayOptions options)
    {
        var own = Enumerable.Range(0, generated.Tickets.Count).Where(i => generated.Truth[i].Incident == incident.Name).ToList();
        var expectedConcentrations = incident.Expect.Concentrations.Select(c => AttributeConcentration.Describe(c.Attribute, c.Value)).ToList();
        if (own.Count == 0)
        {
            return new IncidentResult(incident.Name, 0, null, null, null, 0, 0, false, false, -1, "", 0, null, expectedConcentrations, [], incident.Expect.Change, null, null);
        }

        // Its pattern: the one holding most of its tickets.
        var (patternId, inPattern) = members
            .Select(m => (Id: m.Key, Count: m.Value.Count(i => generated.Truth[i].Incident == incident.Name)))
            .OrderByDescending(m => m.Count)
            .ThenBy(m => m.Id)
            .First();
        var patternMembers = members[patternId];
        var purity = (double)inPattern / patternMembers.Count;
        var recall = (double)inPattern / own.Count;

        // Detection: the first flag raised on a pattern that then held mostly this incident's tickets.
        var first = generated.Tickets[own[0]].Time;
        var flag = flags.FirstOrDefault(f => f.MajorityIncident == incident.Name && f.MajorityShare > options.DetectionMajority);
        int? afterTickets = flag is null ? null : own.Count(i => generated.Tickets[i].Time <= flag.At);
        double? afterSeconds = flag is null ? null : (flag.At - first).TotalSeconds;
        double? afterFifth = flag is null || own.Count < 5 ? null : (flag.At - generated.Tickets[own[4]].Time).TotalSeconds;

        var report = engine.Assess(patternId);
        var concentrationFound = incident.Expect.Concentrations.All(e =>
            report.Concentrations.Any(c => c.Key == e.Attribute && c.Value == e.Value));
        var link = report.LikelyChange;
        var changeFound = incident.Expect.Change is { } expected
            ? link is not null && (link.Change.Id == expected || link.Series == expected)
            : link is null;
        var fragments = members.Count(m =>
        {
            var n = m.Value.Count(i => generated.Truth[i].Incident == incident.Name);
            return n >= 3 && n >= 0.05 * own.Count;
        });

        return new IncidentResult(
            incident.Name, own.Count, afterTickets, afterSeconds, afterFifth, purity, recall, concentrationFound, changeFound,
            patternId, report.Title, patternMembers.Count, flag?.Evidence, expectedConcentrations,
            report.Concentrations.Select(c => c.Evidence).ToList(), incident.Expect.Change, link?.Series ?? link?.Change.Id, link?.Evidence, fragments);
    }

    private static (string? Incident, double Share) Majority(List<int> members, IReadOnlyList<TicketTruth> truth)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var background = 0;
        foreach (var i in members)
        {
            if (truth[i].Incident is { } name)
            {
                counts[name] = counts.GetValueOrDefault(name) + 1;
            }
            else
            {
                background++;
            }
        }

        var best = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).FirstOrDefault();
        return best.Key is not null && best.Value > background
            ? (best.Key, (double)best.Value / members.Count)
            : (null, (double)background / members.Count);
    }
}
