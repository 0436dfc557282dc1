using TicketTriage.ML.Clustering;
using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Engine;

/// <summary>
/// Every setting of <see cref="TriageEngine"/>. The defaults are what the scenario replay measured best
/// (docs/benchmarks.md, "Scenarios and signals"); <c>triage eval scenario</c> runs the engine with exactly these.
/// </summary>
public sealed record EngineOptions
{
    /// <summary>
    /// With the base share of <see cref="SimilarityBaseRate"/> guarding everyday topics, a genuinely new pattern can
    /// start from a smaller prior and a lower threshold than <see cref="EmergenceOptions"/>' stand-alone defaults.
    /// Windows are judged against the stream's usual volume (<see cref="EmergenceOptions.UsualVolume"/>; measured:
    /// 32 → 35 of 40 shipped incidents within the bar, docs/benchmarks.md "Usual volume"). The threshold holds up to
    /// 1,000 ordinary tickets a day, the busiest stream it was measured at (the DDoS probe, 40 an hour), and rises
    /// with the volume above it (<see cref="EmergenceOptions.ReferenceTicketsPerDay"/>, docs/benchmarks.md "Busier desks").
    /// </summary>
    public EmergenceOptions Emergence { get; init; } = new(Threshold: 4, PriorShare: 0.002, UsualVolume: true, ReferenceTicketsPerDay: 1000);

    /// <summary>
    /// A pattern's own arrivals are judged at the larger of its own share and the share of tickets like it before
    /// the window (<see cref="EmergenceDetector"/>'s likeItBefore): which pattern takes an everyday topic's tickets
    /// moves, and a pattern that starts taking them all is not a burst.
    /// </summary>
    public bool OwnScanAgainstTicketsLikeIt { get; init; } = true;

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

    /// <summary>Attributes handed to the pattern detector (it penalizes joining a pattern concentrated elsewhere).</summary>
    public IReadOnlyList<string> ClusterKeys { get; init; } = [AttributeKeys.Server, AttributeKeys.Datacenter];

    /// <summary>Assignments between merge passes (the engine runs them itself to report every merge).</summary>
    public int MergeEvery { get; init; } = 10;

    /// <summary>Recent tickets against which a new pattern's base share is measured (<see cref="SimilarityBaseRate"/>).</summary>
    /// <remarks>Filled first from the history the engine is created with (<see cref="SeedBaseRateFromHistory"/>).</remarks>
    public int BaseRateTickets { get; init; } = 4000;

    /// <summary>
    /// Seed the base-rate ring with the most recent history texts the engine is created with (the tickets the app
    /// holds; the replay's week before): a pattern whose tickets began with the stream is then judged against how
    /// common its kind was in that history, not against the new-pattern prior. Measured with <see cref="OrdinaryStreams"/>
    /// (docs/benchmarks.md, "Usual volume"): every shipped run within 1 false alarm a day (max 1.52 → 0.75) and 35 → 37
    /// of 40 incidents within the bar. Off before usual volume: Smiling Peanut's "files missing" was then flagged late.
    /// </summary>
    public bool SeedBaseRateFromHistory { get; init; } = true;

    /// <summary>How far back tickets resembling a young pattern are counted as its burst.</summary>
    public TimeSpan BurstWindow { get; init; } = TimeSpan.FromHours(2);

    /// <summary>
    /// A second, longer look back for tickets resembling a young pattern, tried when the <see cref="BurstWindow"/> is
    /// quiet (null: none). A slow burn — a weak rise sustained over days — brings one or two tickets an hour: no two
    /// hours hold enough of them, and the clusterer, whose young patterns go stale between tickets hours apart, starts
    /// a new fragment every few of them. Over a day its tickets stand out against how rare such tickets were before,
    /// as a fast burst's do over two hours. The two windows share the level (<see cref="SlowBurnLevelShare"/>).
    /// </summary>
    public TimeSpan? SlowBurnWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// The share of the resemblance test's level given to the <see cref="SlowBurnWindow"/> (weighted Bonferroni; the
    /// <see cref="BurstWindow"/> keeps the rest): most incidents break out within hours, and the slow window must not
    /// cost them their bar. At 0.2 the burst window's bar rises by 0.1, the slow one's by 0.7.
    /// </summary>
    public double SlowBurnLevelShare { get; init; } = 0.2;

    /// <summary>Cosine with a new pattern's centroid at which a past ticket counts as the same kind.</summary>
    public float BaseRateSimilarity { get; init; } = 0.4f;

    /// <summary>
    /// Attributes on which a burst of similar tickets is also tested for concentration (<see cref="ConcentratedBurst"/>):
    /// where an incident lives. Empty: text alone.
    /// </summary>
    public IReadOnlyList<string> BurstKeys { get; init; } = [AttributeKeys.Server, AttributeKeys.Datacenter];

    /// <summary>
    /// Judge a burst on one place (a server, a datacenter, a change's targets) against the tickets that place usually
    /// brings — its share of the reference window times the stream's usual volume, or its own recent rate when higher —
    /// rather than among the place's tickets of the window alone (<see cref="PlaceVolume"/>). Those include the
    /// burst: a flood on one server, worded like everyday "site down" tickets, was then judged by its own tickets.
    /// </summary>
    public bool PlaceUsualVolume { get; init; } = true;

    /// <summary>
    /// Who wrote a burst, tested beside where it lives (<see cref="CustomerProfileEvidence"/>): a sub-burst on one
    /// server whose writers also share a username range or an e-mail domain is stronger evidence than either. Null:
    /// the location test alone (the behaviour before 2026-12-03).
    /// </summary>
    public ProfileEvidenceOptions? Profile { get; init; } = new(ProfileEvidenceOptions.DefaultKeys);

    /// <summary>
    /// Also test who wrote a slow burn with no place at all: over the slow-burn window (<see cref="SlowBurnWindow"/>),
    /// the whole stream is one more place, the burst's own arrival test combined with its writers
    /// (<see cref="ConcentratedBurst.Everywhere"/>). A mail provider throttling our mail sends tickets from its
    /// customers on every server: no place stands out, so the place test never asked who wrote them (the yahoo.com slow
    /// burn at seed 3, flagged 27 h after its first ticket; docs/benchmarks.md "Who wrote it, everywhere"). Needs
    /// <see cref="Profile"/>.
    /// </summary>
    public bool ProfileEverywhere { get; init; } = true;

    /// <summary>
    /// Tag each ticket with the change whose targets hold it (<see cref="AttributeKeys.ChangeTarget"/>, within the
    /// change look-back) and test bursts on that too: an upgrade's incident lives on the upgrade's targets — three
    /// servers of a batch, an auth shard, a plan — which no single server or datacenter may single out early.
    /// </summary>
    public bool ChangeTargetBurst { get; init; } = true;

    /// <summary>
    /// Burst tests count ordinary tickets only: a ticket that joins a pattern already flagged is left out of the
    /// totals the young patterns' windows are judged against (and of the per-attribute streams), as it is left out of
    /// the base share. A second incident during the flood of a first — restores failing while the node is down, the
    /// database failing during the load-balancer surge — is judged against the traffic it stands out from (NameHero's
    /// restores on seeds 1–3: 6, 6, 7 → 3, 5, 6 tickets). Alone it raised false alarms over the bar on four runs; with
    /// <see cref="SeedBaseRateFromHistory"/> every run stays within it (docs/benchmarks.md, "Usual volume").
    /// </summary>
    public bool OrdinaryStreams { get; init; } = true;

    /// <summary>Members a young pattern needs before tickets resembling it are counted as a candidate burst.</summary>
    public int BurstMinMembers { get; init; } = 2;

    /// <summary>
    /// Centroid cosine at which two young patterns count as fragments of one candidate burst (the join threshold's
    /// order: two tickets a pattern would take in are about this close).
    /// </summary>
    public float NeighbourSimilarity { get; init; } = 0.25f;

    /// <summary>Bonferroni factor the burst tests pay on top of the threshold (3 would count every test run on an arrival).</summary>
    public double BurstTestFamily { get; init; } = 1;

    /// <summary>
    /// When the union of every fragment within <see cref="NeighbourSimilarity"/> is not flagged, a candidate burst
    /// also tries the unions of its nearest fragments (two, three, … nearest first), each judged by its own loosest
    /// member, at a bar raised by a Bonferroni factor for every union tried: the Dulles surge at seed 1 on its 5th
    /// ticket, not its 6th. On since the folds stopped losing what it flags early (FoldOnWholeWording,
    /// GateOnWidestValue): docs/benchmarks.md "Nested bursts" and "Wrong folds and narrow gates".
    /// </summary>
    public bool NestedBursts { get; init; } = true;

    /// <summary>
    /// When neither the whole union nor a nested one is flagged, a candidate burst also tries the union of the
    /// fragments whose tickets of the window all came from the change the arriving ticket came from (its
    /// changeTarget), the arriving one's own pattern among them, at a bar raised for one more union tried. An
    /// incident worded many ways sits in fragments nearer everyday ones than each other, so no union ordered by
    /// wording holds it alone; its change does. SSO on auth shard eu-2 on its 5th ticket, not its 6th
    /// (docs/benchmarks.md "One change's fragments").
    /// </summary>
    public bool ChangeUnionBurst { get; init; } = true;

    /// <summary>
    /// When a burst made of young fragments is flagged, fold the fragments into the flagged pattern. Off by default:
    /// it keeps the SSO incident in one pattern (recall 0.95 → 1.00), but in the small quiet-week replay the merged
    /// fragments of flagged everyday bursts grew and flagged again (5 false alarms in 4 days instead of ≤ 4), and a
    /// background ticket joined the small scenario's incident (docs/benchmarks.md).
    /// </summary>
    public bool AbsorbBurstFragments { get; init; }

    /// <summary>
    /// When the <see cref="SlowBurnWindow"/> flags, fold the young fragments holding the day's burst into the flagged
    /// pattern, whatever <see cref="AbsorbBurstFragments"/> says. A slow burn's tickets come hours apart, and the
    /// clusterer, whose young patterns go stale between them, starts a fragment every few: left apart, the flagged one
    /// holds too few tickets for any concentration to gate it, and no fold or attach test can join the rest (the
    /// yahoo.com slow burn: 5–9 flagged fragments, the largest 26–37% of it). Gathered, the day's tickets show their
    /// group, and the later tickets from it join (seed 3: 0.35 → 0.95 of the incident in one pattern).
    /// </summary>
    public bool AbsorbSlowBurnFragments { get; init; } = true;

    /// <summary>
    /// A flagged pattern holding under half of the tickets like it (<see cref="BaseRateSimilarity"/>) over the longest
    /// burst window (the <see cref="SlowBurnWindow"/>, else the <see cref="BurstWindow"/>) keeps silences of a few of their mean gaps, not only of its own
    /// (<see cref="PatternDetector.SetIncidentPace"/>): it is a fragment of an incident spread over patterns, and its
    /// few tickets, minutes apart, understate how long the incident goes between tickets. The yahoo.com slow burn at its
    /// file seed: 0.38 → 0.93 of it in its largest pattern (docs/benchmarks.md "A fragment follows its incident's pace").
    /// </summary>
    public bool PaceOfTicketsLikeIt { get; init; } = true;

    /// <summary>
    /// Also fold a young pattern that starts beside a flagged one (centroid within <see cref="NeighbourSimilarity"/>)
    /// and carries every value the flagged one is concentrated on. Off by default: on the slow burn it kept the
    /// incident in one pattern, but that pattern was an earlier false alarm on the same datacenter, so the incident's
    /// own flag came 28 tickets later and its onset (hence its change) was the false alarm's (docs/benchmarks.md).
    /// </summary>
    public bool AttachLateFragments { get; init; }

    /// <summary>
    /// Concentrations over a set of values of one attribute (<see cref="ValueSetConcentration"/>: "e-mail at
    /// outlook.com, hotmail.com or live.com") are looked for beside single values; null: single values only.
    /// </summary>
    public ValueSetOptions? ValueSets { get; init; } = new();

    /// <summary>
    /// A flagged pattern takes only tickets that carry every concentration covering at least
    /// <see cref="GateMinShare"/> of it (a value, a range or a set): an incident hits a group of customers, and
    /// everyday tickets worded like it from outside the group are not it.
    /// </summary>
    public bool GateMembership { get; init; } = true;

    /// <summary>
    /// Of the gates on one attribute, keep only the one covering most of the pattern: an early sample makes one value
    /// ("siteStack perl-cgi", 88%) look like the group beside the set that holds all of it ("perl-cgi or frontpage",
    /// 100%), and the narrower gate refuses the incident's own tickets (WestHost seed 4's batch-3, split in two;
    /// docs/benchmarks.md "Wrong folds and narrow gates").
    /// </summary>
    public bool GateOnWidestValue { get; init; } = true;

    /// <summary>
    /// A gate on some of the places of the change a flagged pattern is linked to admits all of them: every target of
    /// the change, or of its rollout's batches started so far. The first customers to write are a sample of where the
    /// change went, and the next batch of a rollout is still the same incident. A gate on a key the change does not
    /// name widens to the values its targets imply, learned from the tickets (a rollout over servers, an incident gated
    /// on the datacenter of its first batches: the datacenters of the rollout's servers).
    /// </summary>
    public bool GateOnChangeTargets { get; init; } = true;

    /// <summary>
    /// A ticket from a gated incident's group, worded like the incident's recent tickets as closely as tickets of one
    /// kind (<see cref="BaseRateSimilarity"/>), joins it whatever the clusterer's score. A slow burn's tickets come
    /// hours apart and worded many ways; the incident's centroid, decaying between them, falls under the join score,
    /// and each starts a pattern of its own (the yahoo.com slow burn at seed 2: 46 pure fragments of 1–5 tickets).
    /// The group is what ties them. Off by default: it kept that slow burn whole (largest pattern 0.38 → 1.00 at the
    /// file seed) and, measured with gates kept off values that merely dominate ("datacenter chi1: 100% vs 68%", on
    /// which the PHP rollout's incident split once it grew: 0.92 → 0.63), raised mean recall over the 60 replays
    /// (0.916 → 0.938); but a group is often shared by a second incident not flagged yet — a server's outage and its
    /// restores, a plan's quota beside a DDoS — and its first tickets, worded near enough, joined the first incident
    /// (NameHero's restores: purity 0.99 → 0.14–0.27 at four seeds; docs/benchmarks.md "Tickets of an incident's group,
    /// joined by their words").
    /// </summary>
    public bool JoinGatedIncidents { get; init; }

    /// <summary>Share of a flagged pattern a concentration must cover before membership is gated on it.</summary>
    public double GateMinShare { get; init; } = 0.75;

    /// <summary>
    /// Attributes never gated on: a time window around a change expires while the incident goes on.
    /// </summary>
    public IReadOnlySet<string> UngatedKeys { get; init; } = new HashSet<string>(StringComparer.Ordinal) { AttributeKeys.ServerChangedWithin24h };

    /// <summary>
    /// The merge pass does not merge a flagged pattern with an established one (past <see cref="YoungMaxTickets"/>)
    /// whose first ticket came a <see cref="BurstWindow"/> or more before the flagged one's onset (an everyday topic, an
    /// earlier incident), unless both are gated on the same group (flagged fragments of one slow burn).
    /// </summary>
    public bool KeepIncidentsApart { get; init; } = true;

    /// <summary>
    /// Flagged patterns gated on the same kinds of attribute with the same values but on one kind (one upgrade batch's
    /// scripts broken on ws-05 and on ws-06; restores failing for usernames "a" and for "b"), whose words are as alike
    /// as the merge pass would join and which are both still going, are folded: they are two parts of one wider group,
    /// and the concentration of the folded pattern names it (docs/benchmarks.md, "Sibling groups").
    /// </summary>
    public bool FoldSiblingGroups { get; init; } = true;

    /// <summary>
    /// When two flagged patterns' gates are compared by kind (the fold's "same kinds" and "siblings" tests), a gate
    /// another gate of the same pattern implies is left out: "datacenter dallas" beside "server node-209", which is in
    /// Dallas, names no other group. Implied as learned from the tickets (the values of a change's target keys; see
    /// <see cref="GateOnChangeTargets"/>). With silences in the stream's time NameHero s3's restores were gated on the
    /// server, usernames a–b and the datacenter, a fragment on the server and usernames "b": not the same kinds, so
    /// they never folded (docs/benchmarks.md "Silence in the stream's time").
    /// </summary>
    public bool KindsWithoutImpliedGates { get; init; } = true;

    /// <summary>
    /// The folds of flagged patterns compare their words by the lower of two cosines: of their current wording (the
    /// last 20 members) and of their whole kept wording (<see cref="MemberVectorsKept"/>). With the current wording
    /// alone, one wrong fold into a large incident makes its wording the wrong failure's, and the next fragments of
    /// that failure fold too (docs/benchmarks.md "Wrong folds and narrow gates").
    /// </summary>
    public bool FoldOnWholeWording { get; init; } = true;

    /// <summary>
    /// Flagged patterns gated on the same group of customers, each holding the other's group and with centroids within
    /// <see cref="BaseRateSimilarity"/>, are folded into the one flagged first (a slow burn flagged in fragments).
    /// </summary>
    public bool FoldFlaggedFragments { get; init; } = true;

    /// <summary>
    /// … but only while the one flagged first is still going: when it has taken no ticket since a <see cref="BurstWindow"/>
    /// before the other's first ticket, the other is a second incident on the same group unless their texts are as alike
    /// as the merge pass would join (<see cref="PatternDetectorOptions.MergeThreshold"/> of <see cref="Patterns"/>).
    /// </summary>
    public bool FoldOnlyWhileGoing { get; init; } = true;

    /// <summary>
    /// … each into the flagged pattern it may fold into whose words are nearest, not the one flagged first (an outage
    /// on a server took the restore fragments there that were nearer the restore incident on it).
    /// </summary>
    public bool FoldIntoNearest { get; init; } = true;

    /// <summary>Patterns with at most this many tickets are young: their fragments may add up to a burst.</summary>
    public int YoungMaxTickets { get; init; } = 20;

    /// <summary>
    /// Most recent member vectors kept per pattern: the young-pattern burst tests read the last 20, and a pattern's
    /// base share (asked once, when it first crosses the threshold) is measured against the centroid of these.
    /// Bounds memory: a pattern of 100,000 tickets keeps as many vectors as one of 256.
    /// </summary>
    public int MemberVectorsKept { get; init; } = 256;

    /// <summary>
    /// Most tickets kept for the reference population (attributes and pattern of each ticket of the
    /// <see cref="ReferenceWindow"/>), whatever the traffic: the bound on memory and on the saved state.
    /// </summary>
    public int ReferenceMaxTickets { get; init; } = 200_000;

    /// <summary>
    /// An emerging pattern's concentrations and likely change are re-assessed when it has grown by this factor since
    /// the last assessment (and at least by <see cref="SignalsMinGrowth"/> tickets): often while it is small, rarely once it is big.
    /// </summary>
    public double SignalsGrowth { get; init; } = 1.25;

    public int SignalsMinGrowth { get; init; } = 3;

    /// <summary>
    /// How long after its onset a pattern's signals are still re-assessed; the recent tickets are kept for this plus
    /// <see cref="ReferenceWindow"/>, so its reference stays whole. Later its signals are kept as they were.
    /// </summary>
    public TimeSpan SignalsHorizon { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Stream time between housekeeping passes (pruning windows, retiring patterns' engine state).</summary>
    public TimeSpan HousekeepingEvery { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Below this calibrated confidence a category is "needs review"; null: the classifier's own threshold.</summary>
    public float? AbstainThreshold { get; init; }

    /// <summary>
    /// Refit the featurizer (IDF, latent block) on the tickets held as they grow (<see cref="TriageEngine.RefitDue"/>).
    /// Off: the first fit stays (the replay's <c>--no-refit</c>, to measure what refitting changes).
    /// </summary>
    public bool RefitFeaturizer { get; init; } = true;

    /// <summary>A refit of the featurizer is due once the tickets seen since the last fit reach this many …</summary>
    public int RefitMinTickets { get; init; } = 500;

    /// <summary>… and the tickets the app holds have grown by this factor since the corpus the featurizer was fitted on.</summary>
    public double RefitGrowth { get; init; } = 2;

    /// <summary>Past the <see cref="RefitMaxHistory"/> corpus size, a refit is due every this much stream time.</summary>
    public TimeSpan RefitEvery { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Most history texts a refit needs (the most recent); more cost fitting time and gain little.</summary>
    public int RefitMaxHistory { get; init; } = 20_000;

    /// <summary>
    /// A due refit waits while a pattern flagged within <see cref="SignalsHorizon"/> has taken a ticket in this long:
    /// an unfolding incident keeps the feature space it was found in.
    /// </summary>
    public TimeSpan RefitQuietFor { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Least ticket time between two fits for a refit by growth: a surge's volume is not a new vocabulary.</summary>
    public TimeSpan RefitMinInterval { get; init; } = TimeSpan.FromHours(1);
}
