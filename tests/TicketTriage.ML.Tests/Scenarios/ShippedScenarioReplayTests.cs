using TicketTriage.ML.Engine;
using TicketTriage.ML.Scenarios;
using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Tests.Scenarios;

/// <summary>
/// The five shipped scenarios replayed through the whole engine with its default settings, as
/// <c>triage eval scenario</c> does — a regression guard on the figures in docs/benchmarks.md. Concentration, change,
/// purity, false alarms and separation are held to the design's bars (docs/benchmarks.md, "Against the bars"), detection
/// too: every incident by its 5th ticket, within 60 s of it (met at the file seeds since the Dulles surge was judged
/// against the stream's usual volume; seeds 1–3 still miss once in 30, NameHero's restores at seed 3, docs/benchmarks.md).
/// </summary>
public sealed partial class ShippedScenarioReplayTests
{
    private const int DetectionPinnedAtTickets = 5;

    [Theory]
    [MemberData(nameof(ScenarioFilesTests.Files), MemberType = typeof(ScenarioFilesTests))]
    public void The_engine_finds_every_planted_incident_of_the_scenario(string file)
    {
        var report = ScenarioReplay.Run(Generated(file));

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
        var generated = Generated("westhost-batch-upgrade.json");
        int? Batch2(bool changeTargets) => Incident(generated, new EngineOptions { ChangeTargetBurst = changeTargets }, "batch-2").DetectedAfterTickets;

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
        var report = ScenarioReplay.Run(Generated("webmail-surge-then-db.json", seed: 2));

        var failure = Assert.Single(report.Incidents, i => i.Name == "routing database failure");
        Assert.True(failure.Purity >= 0.9, $"purity {failure.Purity:0.00}");
        Assert.True(failure.ChangeFound, $"expected {failure.ExpectedChange}, linked {failure.LinkedChange}");
        Assert.True(failure.DetectedAfterTickets <= 5, $"flagged after {failure.DetectedAfterTickets} tickets");
    }

    // On this seed Smiling Peanut's mailing lists break (the migration) a day after the files went missing (the
    // upgrade), on the same server, long after the files incident took its last ticket. Both gated on melvin and
    // worded close enough, the second used to be folded into the first as a late fragment: purity 0.11, the
    // migration never named (centroid cosine 0.49). FoldOnlyWhileGoing folds only into an incident still going, or
    // one alike enough for the merge pass (docs/benchmarks.md, "A second incident on one server").
    [Fact]
    public void A_second_incident_on_the_server_of_a_finished_one_is_its_own_pattern()
    {
        var generated = Generated("smilingpeanut-os-upgrade.json", seed: 4);
        IncidentResult Lists(bool onlyWhileGoing, bool wholeWording) =>
            Incident(generated, new EngineOptions { FoldOnlyWhileGoing = onlyWhileGoing, FoldOnWholeWording = wholeWording }, "mailing lists broken");

        var kept = Lists(true, true);
        Assert.True(kept.Purity >= 0.9, $"purity {kept.Purity:0.00}");
        Assert.True(kept.ChangeFound, $"expected {kept.ExpectedChange}, linked {kept.LinkedChange}");
        Assert.True(kept.ConcentrationFound, $"found {string.Join("; ", kept.Concentrations)}");

        // Comparing by the whole wording (FoldOnWholeWording, later) keeps them apart too: each rule alone suffices.
        var (whileGoingOnly, wordingOnly, neither) = (Lists(true, false), Lists(false, true), Lists(false, false));
        Assert.True(whileGoingOnly.Purity >= 0.9 && wordingOnly.Purity >= 0.9, $"purity {whileGoingOnly.Purity:0.00} by the lull alone, {wordingOnly.Purity:0.00} by the wording alone");
        Assert.True(neither.Purity < 0.5, $"without either rule: purity {neither.Purity:0.00} (the case this test was written for is gone)");
    }

    // The other side of the rule: on this seed NameHero's restores stop for three hours and come back (cosine 0.94 to
    // the pattern flagged first). Kept apart for the lull alone, they were three patterns, the flagged one holding 46%
    // of the incident; folded as the same failure, two, the flagged one holding 73%.
    [Fact]
    public void The_same_failure_back_after_a_lull_is_folded_into_the_first_flag()
    {
        var generated = Generated("namehero-lost-node.json", seed: 1);

        var restores = Assert.Single(ScenarioReplay.Run(generated, new ReplayOptions()).Incidents, i => i.Name.StartsWith("restores", StringComparison.Ordinal));

        Assert.True(restores.Recall >= 0.6, $"recall {restores.Recall:0.00} in {restores.Fragments} fragments");
        Assert.True(restores.Fragments <= 2, $"{restores.Fragments} fragments");
    }

    // On this seed Reston writes 51% of ServInt's ordinary tickets and Ashburn with Los Angeles 50%: the reboot tickets,
    // all in Reston after its maintenance, have a lift of 1.96 and were left unlinked, and the flap, all in Ashburn 45 h
    // after maintenance of Ashburn and Los Angeles, reached 2.0 and was blamed on it. A change over half the fleet is
    // named when most of the pattern is on it, unless the pattern shuns the change's other places (docs/benchmarks.md,
    // "Change links at the edge of the lift").
    [Fact]
    public void A_change_over_half_the_fleet_is_named_and_a_flap_in_one_of_its_datacenters_is_not_blamed_on_it()
    {
        var generated = Generated("servint-flapping-network.json", seed: 5);

        var incidents = ScenarioReplay.Run(generated, new ReplayOptions()).Incidents;

        Assert.All(incidents, i => Assert.True(i.ChangeFound, $"{i.Name}: expected {i.ExpectedChange ?? "none"}, linked {i.LinkedChange ?? "none"}"));
    }

    // The cert slow burn's first tickets, hours before the body of the incident, were flagged as fragments of one or
    // two tickets, too few for any concentration, and never folded: the incident's pattern began 96.6 h after the
    // change, past the look-back, and the change went unnamed (recall 0.64). Folded when their tickets hold the
    // incident's group, they give it its onset (docs/benchmarks.md, "Places against their usual volume").
    [Fact]
    public void A_slow_burns_first_tiny_fragments_fold_into_it_and_its_change_is_named()
    {
        var incident = Assert.Single(ScenarioReplay.Run(Generated("cert-renewal-slow-burn.json")).Incidents);

        Assert.True(incident.ChangeFound, $"expected {incident.ExpectedChange}, linked {incident.LinkedChange ?? "none"}");
        Assert.True(incident.Recall >= 0.85, $"recall {incident.Recall:0.00} in {incident.Fragments} fragments");
        Assert.True(incident.Purity >= 0.9, $"purity {incident.Purity:0.00}");
    }

    // On this seed NameHero's restores (usernames a–b) were flagged in fragments gated on "usernames b" and on
    // "usernames a–b", worded alike (cosine 0.9): neither holds the other's group both ways, so they stayed three
    // patterns, the reported one holding 44%. Gated on the same kinds, one group within the other, they fold.
    [Fact]
    public void Fragments_gated_on_a_username_range_and_on_a_letter_within_it_fold()
    {
        var generated = Generated("namehero-lost-node.json", seed: 3);

        var report = ScenarioReplay.Run(generated, new ReplayOptions());
        var restores = Assert.Single(report.Incidents, i => i.Name.StartsWith("restores", StringComparison.Ordinal));

        Assert.True(restores.Fragments <= 2, $"{restores.Fragments} fragments");
        Assert.True(restores.Recall >= 0.6, $"recall {restores.Recall:0.00}");
        Assert.True(restores.ConcentrationFound, $"found {string.Join("; ", restores.Concentrations)}");
        Assert.True(report.IncidentsSeparated, "the restores folded into the node-209 outage on the same server");
    }

    // The same seed with silences in the stream's time: the restores' pattern stayed open through the night and took
    // the tickets a fragment gated on node-209 and usernames "b" would have grown on; the fragment never gained the
    // datacenter gate the incident had ("dallas", which node-209 is in), so the two were not the same kinds and did not
    // fold (three patterns, 0.78). Compared without the gates another gate implies, they are (KindsWithoutImpliedGates).
    [Fact]
    public void A_gate_another_gate_implies_does_not_keep_two_fragments_apart()
    {
        var generated = Generated("namehero-lost-node.json", seed: 3);
        IncidentResult Restores(bool withoutImplied) => Incident(generated, new EngineOptions { KindsWithoutImpliedGates = withoutImplied }, "restores");

        var (essential, every) = (Restores(true), Restores(false));
        Assert.True(essential.Fragments <= 2 && essential.Recall >= 0.8, $"{essential.Fragments} fragments, recall {essential.Recall:0.00}");
        Assert.True(every.Fragments > essential.Fragments, $"{every.Fragments} fragments comparing every gate");
    }

    // A probe written after the engine was tuned (data/scenarios/probes): a DDoS on one of 30 servers whose tickets
    // read like everyday "my site is down". Judged among the server's own tickets of the window, which are the flood,
    // it was flagged at the 7th ticket; judged against what the server usually brings (PlaceUsualVolume), by the 5th.
    [Fact]
    public void A_flood_on_one_server_worded_like_everyday_tickets_is_judged_against_the_servers_usual_volume()
    {
        var generated = Generated(Path.Combine("probes", "ddos-and-plan-quota.json"));
        int? Ddos(bool usualVolume) => Incident(generated, new EngineOptions { PlaceUsualVolume = usualVolume }, "DDoS").DetectedAfterTickets;

        var (usual, among) = (Ddos(true), Ddos(false));
        Assert.True(usual <= 5, $"flagged after {usual} tickets against the usual volume");
        Assert.True(among is null || among > usual, $"flagged after {among} tickets among its own, {usual} against the usual volume");
    }

    // Webmail's Dulles surge at seed 1: its first five tickets sit in three young patterns, and the union of every
    // fragment near the newest one took in everyday mail trouble and a billing pattern too. Judged by that union's
    // loosest member, 17 tickets of the window and 18% of the past counted as alike, and the burst scored under the
    // bar; the union of the nearest three alone is flagged on the 5th ticket (NestedBursts, docs/benchmarks.md
    // "Nested bursts").
    [Fact]
    public void The_nearest_fragments_of_a_burst_are_judged_apart_from_looser_neighbours()
    {
        var generated = Generated("webmail-surge-then-db.json", seed: 1);
        int? Dulles(bool nested) => Incident(generated, new EngineOptions { NestedBursts = nested }, "Dulles").DetectedAfterTickets;

        var (nested, whole) = (Dulles(true), Dulles(false));
        Assert.True(nested <= 5, $"flagged after {nested} tickets with nested unions");
        Assert.True(whole is null || whole > nested, $"flagged after {whole} tickets on the whole union, {nested} with nested ones");
    }

    // WestHost at seed 4: the batch-3 upgrade broke scripts on three servers, and the incident was flagged in fragments
    // gated on one server each (and on the same datacenter). No fragment holds another's server, so none folded: five
    // patterns, the largest with 42% of the incident. Siblings — one value apart, worded alike, going at once — fold
    // (FoldSiblingGroups, docs/benchmarks.md "Sibling groups"). Measured without GateOnChangeTargets, which here joins
    // them too (the three servers are batch-3's targets): siblings still fold where no change explains the group.
    [Fact]
    public void Fragments_gated_on_sibling_servers_of_one_batch_fold()
    {
        var generated = Generated("westhost-batch-upgrade.json", seed: 4);
        IncidentResult Batch3(bool siblings) => Incident(generated, new EngineOptions { FoldSiblingGroups = siblings, GateOnChangeTargets = false }, "batch-3");

        var (folded, apart) = (Batch3(true), Batch3(false));
        Assert.True(folded.Fragments <= 2 && folded.Recall >= 0.9, $"{folded.Fragments} fragments, recall {folded.Recall:0.00} with siblings folded");
        Assert.True(folded.Purity >= 0.9, $"purity {folded.Purity:0.00}");
        Assert.True(apart.Fragments > folded.Fragments, $"{apart.Fragments} fragments apart, {folded.Fragments} folded");
    }

    // NameHero at seed 7: flagged early by a nested union, the first restore fragment is gated only on node-209, like
    // the outage there, and folds into it. Compared by their last 20 members, the outage's wording is then the
    // restores', and five more restore fragments followed (recall 0.67). By the lower of that and their whole kept
    // wording, they stay apart (FoldOnWholeWording, docs/benchmarks.md "Wrong folds and narrow gates").
    [Fact]
    public void One_wrong_fold_does_not_draw_the_next_fragments_after_it()
    {
        var generated = Generated("namehero-lost-node.json", seed: 7);
        IncidentResult Restores(bool whole) => Incident(generated, new EngineOptions { FoldOnWholeWording = whole }, "restores");

        var (whole, current) = (Restores(true), Restores(false));
        Assert.True(whole.Recall >= 0.85 && whole.Purity >= 0.9, $"recall {whole.Recall:0.00}, purity {whole.Purity:0.00} on the whole wording");
        Assert.True(current.Recall < whole.Recall, $"recall {current.Recall:0.00} on the current wording, {whole.Recall:0.00} on the whole");
    }

    // WestHost at seed 4: flagged early, the batch-3 incident was gated on "siteStack perl-cgi" (88% of its first
    // tickets) beside "perl-cgi or frontpage" (100%). The narrower gate refused its frontpage tickets, which became a
    // second incident (recall 0.71). Gated on the value covering most of it, it is one (GateOnWidestValue). Measured
    // without GateOnChangeTargets, under which this seed's fragments no longer reach that split.
    [Fact]
    public void A_pattern_is_gated_on_the_value_that_covers_most_of_it()
    {
        var generated = Generated("westhost-batch-upgrade.json", seed: 4);
        IncidentResult Batch3(bool widest) => Incident(generated, new EngineOptions { GateOnWidestValue = widest, GateOnChangeTargets = false }, "batch-3");

        var (widest, narrow) = (Batch3(true), Batch3(false));
        Assert.True(widest.Fragments == 1 && widest.Recall >= 0.9, $"{widest.Fragments} fragments, recall {widest.Recall:0.00} gated on the widest value");
        Assert.True(narrow.Fragments > 1, $"{narrow.Fragments} fragments gated on every value");
    }

    // NameHero at seed 3: restore fragments gated on node-209 alone were flagged while the node-209 outage was still
    // going. Flags fold oldest first, and the outage — worded 0.45 like one of them — took it, though the restore
    // incident on the same server was worded 0.66 like it (FoldIntoNearest, docs/benchmarks.md "Folds into the nearest").
    // Measured, as built, with silences by the clock and every gate compared by kind: with both later mechanisms on,
    // the restores end the same (0.83) whichever flag the fragment is tried against first.
    [Fact]
    public void A_fragment_folds_into_the_incident_worded_most_like_it()
    {
        var generated = Generated("namehero-lost-node.json", seed: 3);
        var clock = new EngineOptions().Patterns with { StreamSilenceMinTickets = 0 };
        IncidentResult Restores(bool nearest) =>
            Incident(generated, new EngineOptions { FoldIntoNearest = nearest, KindsWithoutImpliedGates = false, Patterns = clock }, "restores");

        var (nearest, oldest) = (Restores(true), Restores(false));
        Assert.True(nearest.Recall > oldest.Recall, $"recall {nearest.Recall:0.00} folding into the nearest, {oldest.Recall:0.00} into the oldest");
        Assert.True(nearest.Purity >= 0.9, $"purity {nearest.Purity:0.00}");
    }

    // The PHP rollout's first pattern was gated on the servers of batches 1–2 that had written, and a second on batch
    // 3's: each refused the other's tickets, and the incident stayed in three patterns. Gated on every server the
    // rollout had reached, it is one (GateOnChangeTargets, docs/benchmarks.md "Gates on a change's places").
    [Fact]
    public void A_rollouts_incident_admits_every_batch_the_rollout_reached()
    {
        var generated = Generated("php-rollout-batches.json");
        IncidentResult Rollout(bool changeTargets) => Incident(generated, new EngineOptions { GateOnChangeTargets = changeTargets }, "custom php.ini");

        var (widened, sampled) = (Rollout(true), Rollout(false));
        Assert.Equal(1, widened.Fragments);
        Assert.True(widened.Recall >= 0.85, $"recall {widened.Recall:0.00} gated on the rollout's servers");
        Assert.True(widened.Purity >= 0.9, $"purity {widened.Purity:0.00}");
        Assert.True(sampled.Fragments > 1, $"{sampled.Fragments} fragments gated on the servers that wrote first");
    }

    // With silences in the stream's time, the PHP rollout's first pattern (gated on chi1, the datacenter of batches 1–2)
    // stayed open into batch 3's night in dfw1. Judged on every batch started by then, it "shunned" dfw1 — its gate
    // refused dfw1's tickets — and lost its rollout, so the gate stopped widening, and batch 3's tickets became a second
    // flagged pattern that could not fold. Judged on the batches started by its onset, it keeps the rollout and is one.
    [Fact]
    public void A_rollouts_incident_keeps_its_rollout_when_a_later_batch_goes_to_another_datacenter()
    {
        var generated = Generated("php-rollout-batches.json");
        var defaults = new EngineOptions();
        IncidentResult Rollout(bool placesAtOnset) => Incident(generated,
            new EngineOptions { Change = defaults.Change with { SeriesPlacesAtOnset = placesAtOnset } }, "custom php.ini");

        var (atOnset, asOfNow) = (Rollout(true), Rollout(false));
        Assert.True(atOnset.Fragments == 1 && atOnset.Recall >= 0.85, $"{atOnset.Fragments} patterns, recall {atOnset.Recall:0.00}");
        Assert.True(asOfNow.Fragments > 1, $"{asOfNow.Fragments} patterns judged on every batch started");
    }

    // A change feed learns a rollout's batches as they run, not all at once: each batch arrives when it starts, after
    // the incident was flagged and linked to the rollout. The batches learned later still widen the gate.
    [Fact]
    public void A_rollouts_batches_learned_as_they_run_widen_the_gate_too()
    {
        var generated = Generated("php-rollout-batches.json");
        var history = ScenarioReplay.History(generated.Scenario).Tickets.Select(t => t.Text).ToList();
        var engine = TriageEngine.Create(new EngineOptions(), history, classifier: null);
        var pending = new Queue<ChangeEvent>(generated.Changes.OrderBy(c => c.Start));
        var patternOf = new List<int>();
        for (var i = 0; i < generated.Tickets.Count; i++)
        {
            var ticket = generated.Tickets[i];
            while (pending.Count > 0 && pending.Peek().Start <= ticket.Time)
            {
                engine.AddChange(pending.Dequeue());
            }

            var outcome = engine.Triage(new EngineTicket(i, ticket.Text, ticket.Time, ticket.Attributes));
            if (generated.Truth[i].Incident is not null)
            {
                patternOf.Add(outcome.PatternId);
            }
        }

        var largest = patternOf.GroupBy(engine.Resolve).Max(g => g.Count());
        Assert.True(largest >= 0.85 * patternOf.Count, $"{largest} of the incident's {patternOf.Count} tickets in its largest pattern");
    }

    // SSO on auth shard eu-2 is worded many ways ("SAML signature", "Okta", "SSO loop"): at its 5th ticket its three
    // fragments are each nearer everyday patterns than one another, so every union ordered by wording mixes them
    // with everyday tickets. All their tickets came from the certificate rotation on eu-2 (changeTarget); the union
    // of the fragments from that change is the burst. Without it, the 6th ticket, 101 s after the 5th.
    [Fact]
    public void An_incident_worded_many_ways_is_flagged_by_its_5th_ticket_as_the_fragments_of_one_change()
    {
        var generated = Generated("saas-auth-shard-and-mail-domain.json");
        const string sso = "SSO sign-in fails";

        var withChange = Incident(generated, new EngineOptions(), sso);
        var byWordingAlone = Incident(generated, new EngineOptions { ChangeUnionBurst = false }, sso);

        Assert.True(withChange.DetectedAfterTickets <= 5 && withChange.SecondsAfterFifthTicket <= 60,
            $"flagged after {withChange.DetectedAfterTickets} tickets, {withChange.SecondsAfterFifthTicket:0} s after the 5th");
        Assert.True(byWordingAlone.DetectedAfterTickets > 5, $"without the change's union: after {byWordingAlone.DetectedAfterTickets} tickets");
        Assert.True(withChange.Purity >= 0.9 && withChange.ChangeFound && withChange.ConcentrationFound,
            $"purity {withChange.Purity:0.00}, change {withChange.LinkedChange}, found {string.Join("; ", withChange.Concentrations)}");
    }

    /// <summary>A scenario file (a path under data/scenarios) generated at its own seed, or at <paramref name="seed"/>.</summary>
    private static GeneratedScenario Generated(string file, int? seed = null)
    {
        using var stream = File.OpenRead(Path.Combine(ScenarioFilesTests.ScenarioDirectory(), file));
        return ScenarioGenerator.Generate(ScenarioJson.Parse(stream), seedOverride: seed);
    }

    /// <summary>The one planted incident whose name starts with <paramref name="name"/>, replayed with these engine settings.</summary>
    private static IncidentResult Incident(GeneratedScenario generated, EngineOptions engine, string name) => Assert.Single(
        ScenarioReplay.Run(generated, new ReplayOptions { Engine = engine }).Incidents, i => i.Name.StartsWith(name, StringComparison.Ordinal));
}
