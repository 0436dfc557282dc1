using TicketTriage.ML.Clustering;
using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Scenarios;

/// <summary>Settings of a replay: the engine's own settings, so the replay measures what the app would run.</summary>
/// <param name="ClusterKeys">Attributes handed to the pattern detector (it penalizes joining a pattern concentrated elsewhere).</param>
/// <param name="MergeEvery">Assignments between merge passes (the replay runs them itself to hear about every merge).</param>
public sealed record ReplayOptions
{
    /// <summary>
    /// With the base share of <see cref="SimilarityBaseRate"/> guarding everyday topics, a genuinely new pattern can
    /// start from a smaller prior and a lower threshold than <see cref="EmergenceOptions"/>' stand-alone defaults.
    /// </summary>
    public EmergenceOptions Emergence { get; init; } = new(Threshold: 4, PriorShare: 0.002);

    /// <summary>Tested against the ordinary tickets before the pattern's onset (a reference disjoint from the pattern).</summary>
    public ConcentrationOptions Concentration { get; init; } = new(ReferenceIncludesMembers: false);

    public ChangeCorrelationOptions Change { get; init; } = new(ReferenceIncludesMembers: false);

    /// <summary>How far before a pattern's onset its reference population reaches.</summary>
    public TimeSpan ReferenceWindow { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Looser than the detector's defaults (tuned on BANKING77's one-line texts): support tickets are long and varied,
    /// two tickets about one bug share far fewer words, so the join threshold is lower, merges run more often, and the
    /// candidate lookup reads more terms — a long ticket's strongest 16 terms are often its names and domains, and an
    /// incident's first tickets then miss each other and split into fragments.
    /// </summary>
    public PatternDetectorOptions Patterns { get; init; } = new()
    {
        JoinThreshold = 0.25f,
        MergeThreshold = 0.55f,
        QueryTerms = 32,
        IndexedTermsPerPattern = 32,
        CandidatesScored = 12,
        MaxCentroidTerms = 192,
    };

    /// <summary>The pattern branch's recipe: TF-IDF plus a 128-dimension LSA block weighted 1.5.</summary>
    public PatternFeaturizerOptions Featurizer { get; init; } = new() { LatentDimensions = 128, LatentWeight = 1.5f };

    public IReadOnlyList<string> ClusterKeys { get; init; } = [AttributeKeys.Server, AttributeKeys.Datacenter];

    public int MergeEvery { get; init; } = 10;

    /// <summary>Recent tickets against which a new pattern's base share is measured (<see cref="SimilarityBaseRate"/>).</summary>
    public int BaseRateTickets { get; init; } = 4000;

    /// <summary>Days of incident-free history the featurizer (IDF, LSA) is fitted on.</summary>
    public double HistoryDays { get; init; } = 7;

    /// <summary>How far back tickets resembling a young pattern are counted as its burst.</summary>
    public TimeSpan BurstWindow { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Cosine with a new pattern's centroid at which a past ticket counts as the same kind.</summary>
    public float BaseRateSimilarity { get; init; } = 0.4f;

    /// <summary>
    /// Attributes on which a burst of similar tickets is also tested for concentration (<see cref="ConcentratedBurst"/>):
    /// where an incident lives. Empty: text alone.
    /// </summary>
    public IReadOnlyList<string> BurstKeys { get; init; } =
        [AttributeKeys.Server, AttributeKeys.Datacenter];

    /// <summary>Members a young pattern needs before tickets resembling it are counted as a candidate burst.</summary>
    public int BurstMinMembers { get; init; } = 2;

    /// <summary>
    /// Centroid cosine at which two young patterns count as fragments of one candidate burst (the join threshold's
    /// order: two tickets a pattern would take in are about this close).
    /// </summary>
    public float NeighbourSimilarity { get; init; } = 0.25f;

    /// <summary>Bonferroni factor the burst tests pay on top of the threshold (3 would count every test run on an arrival).</summary>
    public double BurstTestFamily { get; init; } = 1;

    /// <summary>Patterns with at most this many tickets are young: their fragments may add up to a burst.</summary>
    public int YoungMaxTickets { get; init; } = 20;

    /// <summary>Called after each ticket (index, assignment, assessment): for tracing a replay.</summary>
    public Action<int, PatternAssignment, EmergenceAssessment>? Trace { get; init; }

    /// <summary>Share of a flagged pattern's tickets that must be one incident's for the flag to count as its detection.</summary>
    public double DetectionMajority { get; init; } = 0.5;
}

/// <summary>How the engine did on one planted incident.</summary>
/// <param name="DetectedAfterTickets">The incident's tickets that had arrived when its pattern was first flagged emerging (null: never).</param>
/// <param name="DetectedAfterSeconds">Simulated seconds from the incident's first ticket to the flag.</param>
/// <param name="SecondsAfterFifthTicket">Flag time minus the time of the incident's 5th ticket (negative: flagged before it).</param>
/// <param name="Purity">Of the pattern holding most of the incident's tickets: the share of its tickets that are the incident's.</param>
/// <param name="Recall">The share of the incident's tickets in that pattern.</param>
/// <param name="ChangeFound">The change linked to the pattern is the planted one — or, when none was planted, no change was linked.</param>
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
    string? ChangeEvidence);

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
    double TicketsPerSecond)
{
    /// <summary>Every planted incident ended up mostly in a pattern of its own (Webmail's two "can't get email" incidents).</summary>
    public bool IncidentsSeparated => Incidents.Select(i => i.PatternId).Distinct().Count() == Incidents.Count;
}

/// <summary>
/// Runs the triage engine over a generated scenario on its simulated clock, offline, and scores it against the
/// planted truth. The walk of each ticket is the app's: derive attributes → featurize → assign a pattern → count
/// it in the baseline → reassess the pattern's emergence. A flag is raised on the arrival that crosses the
/// threshold, so detection delay is measured in the incident's own tickets and in simulated seconds.
/// <para>
/// Concentration and change are judged against a reference: the tickets of the week before the pattern's onset,
/// without the tickets of patterns already flagged by then — ordinary traffic, not yesterday's incident, which on a
/// small host would otherwise make the broken server look normal.
/// </para>
/// <para>
/// The featurizer's IDF is fitted on a week of the same company's ordinary tickets generated with another seed
/// and no incidents — the history a support desk has before its bad week — never on the replayed stream itself.
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

        var featurizer = PatternFeaturizer.Fit(History(scenario, options.HistoryDays).Tickets.Select(t => t.Text).ToList(), options.Featurizer);
        var detector = new PatternDetector(options.Patterns with { MergeEvery = 0 }, featurizer.LatentDimensions);
        var items = new ClusterItem[tickets.Count];
        var history = new SimilarityBaseRate(options.BaseRateTickets, options.BaseRateSimilarity);
        var members = new Dictionary<int, List<int>>();
        var patternOf = new int[tickets.Count];
        var flagged = new HashSet<int>();
        var emergence = new EmergenceDetector(options.Emergence, (id, before) =>
            history.CountSimilar(members[(int)id].Select(i => items[i]).ToList(), before, tag => flagged.Contains(patternOf[tag])));
        var baseline = new AttributeBaseline();
        var attributes = new IReadOnlyDictionary<string, string>[tickets.Count];
        var flags = new List<EmergenceFlag>();
        var firstFlag = new Dictionary<int, (int Index, EmergenceAssessment Assessment)>();
        var clusterKeys = options.ClusterKeys.ToHashSet(StringComparer.Ordinal);
        var concentrated = new ConcentratedBurst(options.BurstKeys);

        var started = clock.GetTimestamp();
        for (var i = 0; i < tickets.Count; i++)
        {
            var ticket = tickets[i];
            var derived = TicketAttributes.Derive(ticket.Attributes, ticket.Time);
            attributes[i] = derived;
            baseline.Add(derived);
            concentrated.Add(ticket.Time, derived);

            var item = featurizer.Featurize(ticket.Text, detector.Terms); // with term names, so patterns get titles
            items[i] = item;
            history.Add(ticket.Time, item, i);
            var clusterAttributes = derived.Where(kv => clusterKeys.Contains(kv.Key)).ToDictionary(StringComparer.Ordinal);
            var assignment = detector.Assign(ticket.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                item.Indices, item.Values, ticket.Time, clusterAttributes, item.Latent);
            var patternId = assignment.PatternId;

            if (!members.TryGetValue(patternId, out var list))
            {
                list = [];
                members[patternId] = list;
            }

            list.Add(i);
            patternOf[i] = patternId;
            var assessment = emergence.Observe(patternId, ticket.Time);
            options.Trace?.Invoke(i, assignment, assessment);
            if (assessment.BecameEmerging)
            {
                Flag(patternId, i, assessment);
            }
            else if (!flagged.Contains(patternId) && list.Count >= options.BurstMinMembers)
            {
                // The clusterer often splits an incident's first tickets over several young patterns; count the
                // burst by resemblance to this pattern instead, against how common such tickets were before.
                var recent = list.Skip(Math.Max(0, list.Count - 20)).Select(m => items[m]).ToList();
                var tagged = history.SimilarSinceTagged(recent, ticket.Time - options.BurstWindow, AlreadyFlagged);
                var similar = tagged.Select(s => s.At).ToList();
                if (similar.Count >= options.Emergence.MinTickets && emergence.IsWarm(ticket.Time))
                {
                    // Cheap screen first: both tests score at most this much at the flat prior, unless such tickets
                    // were rarer than the prior before (then the base share below is lower, and the screen errs quiet).
                    var burstTickets = tagged.Select(s => new BurstTicket(s.At, attributes[s.Tag])).ToList();
                    var threshold = BurstThreshold();
                    var flat = emergence.ScoreArrivals(similar, options.Emergence.PriorShare, ticket.Time);
                    var flatJoint = concentrated.Assess(burstTickets, options.Emergence.PriorShare, ticket.Time, options.Emergence);
                    if (flat.Score >= threshold || flatJoint.Score >= threshold)
                    {
                        var (seen, total) = history.CountSimilar(recent, similar[0], AlreadyFlagged);
                        var prior = (seen + options.Emergence.PriorWeight * options.Emergence.PriorShare) / (total + options.Emergence.PriorWeight);
                        var burst = emergence.ScoreArrivals(similar, prior, ticket.Time);
                        if (burst.Score >= threshold)
                        {
                            Flag(patternId, i, burst with { Evidence = burst.Evidence + " (tickets like it)" });
                        }
                        else if (concentrated.Assess(burstTickets, prior, ticket.Time, options.Emergence) is { } joint && joint.Score >= threshold)
                        {
                            Flag(patternId, i, joint);
                        }
                    }
                }
            }

            if (!flagged.Contains(patternId) && list.Count <= options.YoungMaxTickets)
            {
                CandidateBurst(patternId, i);
            }

            if (options.MergeEvery > 0 && (i + 1) % options.MergeEvery == 0)
            {
                var survivors = new SortedSet<int>();
                foreach (var merge in detector.MergeNearDuplicates(ticket.Time))
                {
                    if (members.Remove(merge.From, out var absorbed))
                    {
                        if (!members.TryGetValue(merge.Into, out var into))
                        {
                            into = [];
                            members[merge.Into] = into;
                        }

                        into.AddRange(absorbed);
                        into.Sort();
                        foreach (var t in absorbed)
                        {
                            patternOf[t] = merge.Into;
                        }
                    }

                    emergence.Merge(merge.Into, merge.From);
                    if (flagged.Remove(merge.From))
                    {
                        flagged.Add(merge.Into);
                    }

                    if (firstFlag.Remove(merge.From, out var absorbedFlag) &&
                        (!firstFlag.TryGetValue(merge.Into, out var existing) || absorbedFlag.Index < existing.Index))
                    {
                        firstFlag[merge.Into] = absorbedFlag;
                    }

                    survivors.Add(merge.Into);
                    survivors.Remove(merge.From);
                }

                // Fragments of one burst, merged, may together be what none of them was alone.
                foreach (var survivor in survivors)
                {
                    var merged = emergence.Assess(survivor, ticket.Time);
                    if (merged.BecameEmerging)
                    {
                        Flag(survivor, i, merged);
                    }
                }
            }
        }

        var elapsed = clock.GetElapsedTime(started).TotalSeconds;

        // Tickets of incidents already flagged are not ordinary traffic: they neither make a base rate nor a new burst.
        // (The base-rate ring's skip filter takes the tickets to leave out.)
        bool AlreadyFlagged(long ticket) => flagged.Contains(patternOf[ticket]);

        // A candidate burst: this young pattern together with the young patterns near it that took tickets in the
        // burst window. The clusterer splits an incident's first tickets into fragments whose centroids are close
        // but not close enough to merge yet; the burst is their union, judged like one pattern — against how common
        // tickets like the union were before (the base share), and jointly with where its tickets live
        // (ConcentratedBurst). Mature patterns are left to their own history: an everyday topic is one of them.
        void CandidateBurst(int patternId, int index)
        {
            var now = tickets[index].Time;
            var from = now - options.BurstWindow;
            var mine = Recent(members[patternId]);
            var union = new List<int>();
            var seen = new HashSet<int>();
            for (var k = index; k >= 0 && tickets[k].Time >= from; k--)
            {
                var q = patternOf[k];
                if (!seen.Add(q) || flagged.Contains(q) || !members.TryGetValue(q, out var qs) || qs.Count > options.YoungMaxTickets)
                {
                    continue;
                }

                if (q == patternId || SimilarityBaseRate.CentroidCosine(Recent(qs), mine) >= options.NeighbourSimilarity)
                {
                    union.AddRange(qs.Where(m => tickets[m].Time >= from && m <= index));
                }
            }

            if (seen.Count < 2 || union.Count < options.Emergence.MinTickets || !emergence.IsWarm(now))
            {
                return;
            }

            // The burst: every ordinary ticket of the window at least as close to the union's centroid as the union's
            // loosest member; the base share: the past tickets that close. One yardstick for both.
            var unionItems = union.Select(m => items[m]).ToList();
            var floor = SimilarityBaseRate.LoosestMember(unionItems);
            var tagged = history.SimilarSinceTagged(unionItems, from, AlreadyFlagged, floor).Where(t => t.Tag <= index).ToList();
            if (tagged.Count < options.Emergence.MinTickets)
            {
                return;
            }

            var arrivals = tagged.Select(t => t.At).ToList();
            var burstTickets = tagged.Select(t => new BurstTicket(t.At, attributes[t.Tag])).ToList();
            var threshold = BurstThreshold();
            var flatPrior = options.Emergence.PriorShare;
            if (emergence.ScoreArrivals(arrivals, flatPrior, now).Score < threshold &&
                concentrated.Assess(burstTickets, flatPrior, now, options.Emergence).Score < threshold)
            {
                return;
            }

            var (similarBefore, total) = history.CountSimilar(unionItems, arrivals[0], AlreadyFlagged, floor);
            var prior = (similarBefore + options.Emergence.PriorWeight * flatPrior) / (total + options.Emergence.PriorWeight);
            var burst = emergence.ScoreArrivals(arrivals, prior, now);
            if (burst.Score >= threshold)
            {
                Flag(patternId, index, burst with { Evidence = burst.Evidence + " (young patterns alike)" });
            }
            else if (concentrated.Assess(burstTickets, prior, now, options.Emergence) is { } joint && joint.Score >= threshold)
            {
                Flag(patternId, index, joint with { Evidence = joint.Evidence + " (young patterns alike)" });
            }
        }

        // Each arrival is tested three ways — its pattern alone, the tickets resembling it, the young patterns alike.
        // A strict family-wise correction would charge the burst tests a factor 3; measured, it cost detection without
        // curing the one run over the false-alarm bar (docs/benchmarks.md), so the default family is 1.
        double BurstThreshold() => options.Emergence.Threshold + Math.Log10(options.BurstTestFamily);

        List<ClusterItem> Recent(List<int> of) => of.Skip(Math.Max(0, of.Count - 20)).Select(m => items[m]).ToList();

        void Flag(int patternId, int index, EmergenceAssessment assessment)
        {
            if (!flagged.Add(patternId))
            {
                return;
            }

            var (majority, share) = Majority(members[patternId], generated.Truth);
            flags.Add(new EmergenceFlag(tickets[index].Time, patternId, members[patternId].Count, majority, share, assessment.Evidence));
            firstFlag.TryAdd(patternId, (index, assessment));
        }
        var days = scenario.DurationHours / 24;
        var results = scenario.Incidents
            .Select(incident => Score(incident, generated, attributes, members, flags, firstFlag, baseline, detector, options))
            .ToList();
        var falseAlarms = flags.Count(f => f.MajorityIncident is null);
        return new ScenarioReport(scenario.Name, tickets.Count, days, results, flags, falseAlarms, falseAlarms / days,
            members.Count, tickets.Count / Math.Max(elapsed, 1e-9));
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
        IReadOnlyDictionary<string, string>[] attributes,
        Dictionary<int, List<int>> members,
        List<EmergenceFlag> flags,
        Dictionary<int, (int Index, EmergenceAssessment Assessment)> firstFlag,
        AttributeBaseline baseline,
        PatternDetector detector,
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

        // Onset: where the burst that made the pattern emerging began; without a flag, its first ticket.
        var onset = firstFlag.TryGetValue(patternId, out var f0)
            ? generated.Tickets[f0.Index].Time - f0.Assessment.WindowLength
            : generated.Tickets[patternMembers[0]].Time;
        var reference = Reference(onset, patternId, generated, attributes, members, firstFlag, options);

        var memberAttributes = patternMembers.Select(i => attributes[i]).ToList();
        var concentrations = AttributeConcentration.Find(memberAttributes, reference, options.Concentration);
        var concentrationFound = incident.Expect.Concentrations.All(e =>
            concentrations.Any(c => c.Key == e.Attribute && c.Value == e.Value));
        var link = ChangeCorrelation.Link(onset, memberAttributes, reference, generated.Changes, options.Change);
        var changeFound = link?.Change.Id == incident.Expect.Change;

        return new IncidentResult(
            incident.Name, own.Count, afterTickets, afterSeconds, afterFifth, purity, recall, concentrationFound, changeFound,
            patternId, detector.Describe(patternId).Title, patternMembers.Count, flag?.Evidence, expectedConcentrations,
            concentrations.Select(c => c.Evidence).ToList(), incident.Expect.Change, link?.Change.Id, link?.Evidence);
    }

    /// <summary>Ordinary tickets of the window before the onset: neither the pattern's own nor those of patterns flagged by then.</summary>
    private static AttributeBaseline Reference(
        DateTimeOffset onset,
        int patternId,
        GeneratedScenario generated,
        IReadOnlyDictionary<string, string>[] attributes,
        Dictionary<int, List<int>> members,
        Dictionary<int, (int Index, EmergenceAssessment Assessment)> firstFlag,
        ReplayOptions options)
    {
        var excluded = new HashSet<int>(members[patternId]);
        foreach (var (id, flag) in firstFlag)
        {
            if (generated.Tickets[flag.Index].Time < onset)
            {
                excluded.UnionWith(members[id]);
            }
        }

        var reference = new AttributeBaseline();
        var from = onset - options.ReferenceWindow;
        for (var i = 0; i < generated.Tickets.Count && generated.Tickets[i].Time < onset; i++)
        {
            if (generated.Tickets[i].Time >= from && !excluded.Contains(i))
            {
                reference.Add(attributes[i]);
            }
        }

        return reference;
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
