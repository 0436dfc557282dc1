namespace TicketTriage.ML.Clustering;

/// <summary>
/// Settings of <see cref="PatternDetector"/>. Saved with its state, so a restored detector behaves identically.
/// A ticket joins the best pattern when <c>text cosine − time penalty − attribute penalty ≥ JoinThreshold</c>.
/// </summary>
public sealed record PatternDetectorOptions
{
    /// <summary>Minimum combined score to join an existing pattern; below it the ticket starts a new one.</summary>
    public float JoinThreshold { get; init; } = 0.45f;

    /// <summary>A member's weight in its pattern's centroid halves every HalfLife, so centroids follow recent wording.</summary>
    public TimeSpan HalfLife { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Silence since a pattern's last ticket that costs nothing (ordinary gaps inside one incident).</summary>
    public TimeSpan GapGrace { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Beyond the grace, the time penalty approaches <see cref="TimeGapWeight"/> as 1 − e^(−excess/GapScale).</summary>
    public TimeSpan GapScale { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// For a pattern asked to follow its pace (<see cref="PatternDetector.FollowPace"/>): silence up to this many of
    /// its mean gaps between tickets (or its incident's, when slower: <see cref="PatternDetector.SetIncidentPace"/>)
    /// costs nothing, so a slow burn (a ticket every two hours for days) stays one pattern instead of a string of fragments. Taken once the pattern has 3 tickets; 0 turns it off. Not saved
    /// with the detector's state: a restored one takes the default unless Load is told otherwise (the engine's restore
    /// passes its own).
    /// </summary>
    public double PaceGaps { get; init; } = 3;

    /// <summary>
    /// For a paced pattern of at least this many tickets (an established incident, where the engine's young ones end):
    /// its silence is counted in the stream's own time as well — the everyday tickets (those of patterns not following
    /// their pace) the detector took since the pattern's last one, at their mean rate since the first — and the shorter
    /// of that and the clock's counts. A slow
    /// burn's tickets come hours apart by night because every ticket does: six quiet hours at 3 a.m. are an hour of
    /// the stream's time, and the incident's morning tickets still join it. 0 turns it off. Not saved with the
    /// detector's state, as <see cref="PaceGaps"/>; the stream positions it counts from are.
    /// </summary>
    public int StreamSilenceMinTickets { get; init; } = 20;

    /// <summary>Largest time penalty; above 1 − JoinThreshold, identical words hours apart after a silence start a new pattern.</summary>
    public float TimeGapWeight { get; init; } = 0.6f;

    /// <summary>
    /// Weight of the attribute penalty. Per attribute key the penalty is how concentrated the pattern is on that key
    /// (Simpson index Σ share²) minus the share of the ticket's value: a pattern all on dc=ams rejects a ticket from
    /// dc=fra, a pattern spread over many servers barely notices one more server.
    /// </summary>
    public float AttributeWeight { get; init; } = 0.6f;

    /// <summary>Tickets carrying a key a pattern needs before that key is used against newcomers.</summary>
    public int MinAttributeSupport { get; init; } = 3;

    /// <summary>Distinct values counted per attribute key and pattern; further values are not tracked.</summary>
    public int MaxAttributeValues { get; init; } = 64;

    /// <summary>Highest-weighted centroid terms of each pattern entered into the inverted index.</summary>
    public int IndexedTermsPerPattern { get; init; } = 16;

    /// <summary>Highest-weighted ticket terms used to look up candidates (all terms are used to score them).</summary>
    public int QueryTerms { get; init; } = 16;

    /// <summary>Candidates (by partial index score) scored exactly.</summary>
    public int CandidatesScored { get; init; } = 6;

    /// <summary>Centroid terms kept per pattern (the smallest are pruned), which bounds memory.</summary>
    public int MaxCentroidTerms { get; init; } = 128;

    /// <summary>Centroid cosine above which two live, time-compatible patterns are merged by the merge pass.</summary>
    public float MergeThreshold { get; init; } = 0.8f;

    /// <summary>
    /// Run the merge pass every this many assignments (0: only when <see cref="PatternDetector.MergeNearDuplicates"/>
    /// is called, e.g. on a timer). A pass checks only patterns changed since the previous one, each at about the
    /// cost of one assignment, so rarer passes are cheaper per ticket.
    /// </summary>
    public int MergeEvery { get; init; } = 10_000;

    /// <summary>Patterns silent this long leave the index: they are history, no longer candidates.</summary>
    public TimeSpan RetireAfter { get; init; } = TimeSpan.FromDays(3);

    /// <summary>Window of the per-minute arrival series kept per pattern (only minutes with arrivals are stored).</summary>
    public int SeriesMinutes { get; init; } = 24 * 60;

    /// <summary>Member ticket ids kept per pattern (the most recent); <see cref="PatternSummary.Size"/> counts all.</summary>
    public int MaxMemberIds { get; init; } = 5000;

    /// <summary>
    /// Score every live pattern instead of the index's candidates: exact but O(patterns) per ticket. A reference
    /// for measuring what the index costs in recall and gains in speed; not for production.
    /// </summary>
    public bool ExhaustiveSearch { get; init; }

    /// <summary>Terms in a pattern's title.</summary>
    public int TitleTerms { get; init; } = 4;

    internal void Validate()
    {
        if (HalfLife <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(HalfLife), "HalfLife must be positive.");
        if (GapScale <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(GapScale), "GapScale must be positive.");
        if (IndexedTermsPerPattern < 1 || QueryTerms < 1 || CandidatesScored < 1 || MaxCentroidTerms < IndexedTermsPerPattern)
            throw new ArgumentOutOfRangeException(nameof(IndexedTermsPerPattern), "Index sizes must be positive and MaxCentroidTerms ≥ IndexedTermsPerPattern.");
        if (SeriesMinutes < 1 || MaxMemberIds < 0 || MaxAttributeValues < 1 || TitleTerms < 1)
            throw new ArgumentOutOfRangeException(nameof(SeriesMinutes), "Bounds must be positive.");
    }
}
