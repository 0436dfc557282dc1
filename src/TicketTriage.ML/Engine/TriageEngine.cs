using System.Globalization;
using TicketTriage.ML.Classification;
using TicketTriage.ML.Clustering;
using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Engine;

/// <summary>
/// The triage engine: one ticket in, its category, its pattern and what it caused out. The walk of each ticket is
/// the same in the app and in <c>triage eval scenario</c>: derive attributes → featurize → assign a pattern →
/// reassess the pattern's emergence three ways (its own arrivals; the tickets resembling it wherever the clusterer
/// put them; the young patterns alike, as one candidate burst — each also jointly with where the tickets live) →
/// merge near-duplicate patterns now and then → on a flag, and as a flagged pattern grows, its concentrations and
/// likely change against the ordinary tickets of the week before its onset.
/// <para>
/// State is bounded by windows (recent tickets, recent member vectors, the emergence history), not by the tickets
/// ever seen, and saved whole with <see cref="Save"/>. Not thread-safe: one caller at a time.
/// </para>
/// </summary>
public sealed partial class TriageEngine
{
    private readonly HashSet<string> _clusterKeys;
    private readonly Dictionary<int, PatternTrack> _tracks = [];
    private readonly HashSet<int> _flagged = [];
    private readonly Dictionary<string, ChangeEvent> _changes = new(StringComparer.Ordinal);
    private PatternFeaturizer _featurizer;
    private PatternDetector _detector;
    private SimilarityBaseRate _history;
    private EmergenceDetector _emergence;
    private ConcentratedBurst _concentrated;
    private RecentTickets _recent;
    private ITextClassifier? _classifier;
    private List<EngineEvent> _events = [];
    private long _lastHousekeepingTicks = long.MinValue;
    private long _lastTicks = long.MinValue;

    private TriageEngine(EngineOptions options, PatternFeaturizer featurizer, PatternDetector detector, ITextClassifier? classifier)
    {
        Options = options;
        _clusterKeys = options.ClusterKeys.ToHashSet(StringComparer.Ordinal);
        _featurizer = featurizer;
        _detector = detector;
        _classifier = classifier;
        _history = new SimilarityBaseRate(options.BaseRateTickets, options.BaseRateSimilarity);
        _emergence = NewEmergence();
        _concentrated = new ConcentratedBurst(options.BurstKeys);
        _recent = new RecentTickets();
    }

    public EngineOptions Options { get; }

    public long TicketsSeen { get; private set; }

    /// <summary>
    /// A new engine whose featurizer (IDF, latent block) is fitted on <paramref name="historyTexts"/>: the tickets
    /// the app already holds (the most recent <see cref="EngineOptions.RefitMaxHistory"/> are enough). With no
    /// history, plain term frequencies and no latent block until the first <see cref="Refit"/> (or
    /// <see cref="ApplyRefit"/>), due by <see cref="RefitDue"/>.
    /// </summary>
    public static TriageEngine Create(EngineOptions options, IReadOnlyList<string> historyTexts, ITextClassifier? classifier)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(historyTexts);
        var featurizer = FitFeaturizer(options, historyTexts);
        var detector = new PatternDetector(options.Patterns with { MergeEvery = 0 }, featurizer.LatentDimensions);
        var engine = new TriageEngine(options, featurizer, detector, classifier) { HistorySize = historyTexts.Count };
        engine.SeedBaseRate(historyTexts);
        return engine;
    }

    public void SetClassifier(ITextClassifier? classifier) => _classifier = classifier;

    /// <summary>Triage one ticket. Tickets should come in arrival order (an out-of-order one is handled, less precisely).</summary>
    public TriageOutcome Triage(EngineTicket ticket) => Triage(Prepare(ticket));

    /// <summary>
    /// The part of <see cref="Triage(EngineTicket)"/> that reads no engine state: the ticket's pattern vector and its
    /// category. Thread-safe, also while another thread triages: a caller may prepare the next tickets in parallel.
    /// </summary>
    public PreparedTicket Prepare(EngineTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var (featurizer, classifier) = (_featurizer, _classifier);
        return new PreparedTicket(ticket, featurizer, classifier, featurizer.Featurize(ticket.Text), Classify(classifier, ticket.Text));
    }

    /// <summary>Triage one prepared ticket: <see cref="Triage(EngineTicket)"/> without the stateless part.</summary>
    public TriageOutcome Triage(PreparedTicket prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        if (!ReferenceEquals(prepared.Featurizer, _featurizer) || !ReferenceEquals(prepared.Classifier, _classifier))
        {
            prepared = Prepare(prepared.Ticket);
        }

        var ticket = prepared.Ticket;
        _events = [];
        var seq = TicketsSeen++;
        var now = ticket.Time;
        _lastTicks = Math.Max(_lastTicks, now.UtcTicks);
        FittedAtTicks = FittedAtTicks == long.MinValue ? now.UtcTicks : FittedAtTicks; // a fit's age counts from the first ticket after it
        var derived = TicketAttributes.Derive(ticket.Attributes, now);
        TagChangeTarget(derived, now);
        LearnImplied(derived);

        var item = prepared.Item;
        _featurizer.Name(ticket.Text, _detector.Terms); // term names, so patterns get titles (first come: in order)
        _history.Add(now, item, seq);
        var clusterAttributes = derived.Where(kv => _clusterKeys.Contains(kv.Key)).ToDictionary(StringComparer.Ordinal);
        var assignment = _detector.Assign(ticket.Id.ToString(CultureInfo.InvariantCulture),
            item.Indices, item.Values, now, clusterAttributes, item.Latent, Admission(derived), GatedIncidentOf(item, derived));
        var patternId = assignment.PatternId;
        _recent.Add(seq, now.UtcTicks, patternId, derived);
        var track = Track(patternId);
        track.Add(new MemberVector(seq, now.UtcTicks, item), Options.MemberVectorsKept);

        var ordinary = !Options.OrdinaryStreams || !_flagged.Contains(_detector.Resolve(patternId));
        if (ordinary)
        {
            _concentrated.Add(now, derived);
        }

        var assessment = _emergence.Observe(patternId, now);
        if (!ordinary)
        {
            _emergence.MarkNotOrdinary(now);
        }

        if (assessment.BecameEmerging)
        {
            Flag(patternId, seq, now, assessment);
        }
        else if (!_flagged.Contains(patternId) && track.Count >= Options.BurstMinMembers)
        {
            ResemblanceBurst(patternId, track, now, seq);
        }

        if (!_flagged.Contains(patternId) && track.Count <= Options.YoungMaxTickets)
        {
            CandidateBurst(patternId, track, now, seq);
        }

        if (!_flagged.Contains(_detector.Resolve(patternId)))
        {
            AttachToFlagged(_detector.Resolve(patternId), Track(_detector.Resolve(patternId)), now);
        }

        if (Options.MergeEvery > 0 && TicketsSeen % Options.MergeEvery == 0)
        {
            MergePass(now, seq);
        }

        if (_flagged.Contains(_detector.Resolve(patternId)))
        {
            MaybeReassessSignals(_detector.Resolve(patternId), now);
            CountIncidentPace(_detector.Resolve(patternId), now);
        }

        if (_lastHousekeepingTicks == long.MinValue || now.UtcTicks - _lastHousekeepingTicks >= Options.HousekeepingEvery.Ticks)
        {
            Housekeeping(now);
        }

        var (category, confidence, needsReview) = prepared.Category;
        return new TriageOutcome(ticket.Id, category, confidence, needsReview, patternId, assignment.Similarity, assignment.IsNew, _events);
    }

    private (string? Category, float Confidence, bool NeedsReview) Classify(ITextClassifier? classifier, string text)
    {
        if (classifier is null)
        {
            return (null, 0, false);
        }

        var result = classifier.Predict(text, 1);
        var threshold = Options.AbstainThreshold ?? classifier.AbstainThreshold;
        return (result.Label, result.Confidence, Options.AbstainThreshold is null ? result.NeedsReview : result.Confidence < threshold);
    }

    /// <summary>The surviving pattern id for <paramref name="patternId"/> (itself unless it was merged away).</summary>
    public int Resolve(int patternId) => _detector.Resolve(patternId);

    private PatternTrack Track(int patternId)
    {
        if (!_tracks.TryGetValue(patternId, out var track))
        {
            track = new PatternTrack();
            _tracks[patternId] = track;
        }

        return track;
    }

    private EmergenceDetector NewEmergence() =>
        new(Options.Emergence,
            (id, before) => _tracks.TryGetValue((int)id, out var t)
                ? _history.CountSimilar(t.LastItems(Options.MemberVectorsKept), before, AlreadyFlagged)
                : (0, 0),
            Options.OwnScanAgainstTicketsLikeIt ? TicketsLikeItBefore : null);

    // How common tickets like a pattern's recent members were before a moment, at the yardstick of its loosest member
    // (left out of the centroid it is measured against, as any earlier ticket is): what the pattern's own arrivals
    // are judged against too (EngineOptions.OwnScanAgainstTicketsLikeIt).
    private (int Similar, int Total) TicketsLikeItBefore(long id, DateTimeOffset before)
    {
        if (!_tracks.TryGetValue((int)id, out var track))
        {
            return (0, 0);
        }

        var members = track.LastItems(Options.MemberVectorsKept);
        var centroid = SimilarityBaseRate.Centroid.Of(members);
        return _history.CountSimilar(centroid, before, AlreadyFlagged, SimilarityBaseRate.LoosestMember(members, centroid));
    }

    // Tickets of incidents already flagged are not ordinary traffic: they neither make a base rate nor a new burst.
    private bool AlreadyFlagged(long seq) => _recent.Contains(seq) && _flagged.Contains(_detector.Resolve(_recent.AssignedPattern(seq)));

    private void Flag(int patternId, long seq, DateTimeOffset now, EmergenceAssessment assessment)
    {
        var track = Track(patternId);
        if (track.Dismissed || !_flagged.Add(patternId))
        {
            return;
        }

        if (track.FlagSeq is null)
        {
            (track.FlagSeq, track.FlagTicks, track.FlagWindowTicks, track.Evidence) = (seq, now.UtcTicks, assessment.WindowLength.Ticks, assessment.Evidence);
        }

        _detector.FollowPace(patternId);
        _events.Add(new PatternEmerging(patternId, assessment.Evidence, now));
        AssessSignals(patternId, now);
        CountIncidentPace(patternId, now);
    }

    private void MergePass(DateTimeOffset now, long seq)
    {
        var survivors = new SortedSet<int>();
        foreach (var merge in _detector.MergeNearDuplicates(now, MayMerge()))
        {
            Absorb(merge.From, merge.Into, now);
            survivors.Add(merge.Into);
            survivors.Remove(merge.From);
        }

        // Fragments of one burst, merged, may together be what none of them was alone.
        foreach (var survivor in survivors)
        {
            var merged = _emergence.Assess(survivor, now);
            if (merged.BecameEmerging)
            {
                Flag(survivor, seq, now, merged);
            }
            else if (_flagged.Contains(survivor))
            {
                MaybeReassessSignals(survivor, now);
            }
        }
    }

    // The engine's side of a merge the detector made (or the lead asked for).
    private void Absorb(int from, int into, DateTimeOffset now)
    {
        _pacedAt.Remove(from);
        if (_tracks.Remove(from, out var absorbed))
        {
            var target = Track(into);
            target.Absorb(absorbed, Options.MemberVectorsKept);
        }

        _emergence.Merge(into, from);
        if (_flagged.Remove(from) && !Track(into).Dismissed)
        {
            _flagged.Add(into);
            _detector.FollowPace(into);
        }

        _events.Add(new PatternsMerged(from, into, now));
    }
}
