namespace TicketTriage.ML.Clustering;

/// <summary>Outcome of <see cref="PatternDetector.Assign"/>.</summary>
/// <param name="PatternId">The pattern the ticket joined or started.</param>
/// <param name="Similarity">Text cosine between the ticket and the pattern's centroid before the ticket joined (1 for a new pattern).</param>
/// <param name="Score">Similarity minus the time and attribute penalties: what was compared with the join threshold.</param>
/// <param name="IsNew">True when the ticket started the pattern.</param>
public readonly record struct PatternAssignment(int PatternId, float Similarity, float Score, bool IsNew);

/// <summary>Tickets that arrived in one minute (minutes since the Unix epoch, UTC).</summary>
public readonly record struct ArrivalCount(long Minute, int Count)
{
    public DateTimeOffset Start => DateTimeOffset.UnixEpoch.AddMinutes(Minute);
}

/// <summary>A pattern as shown to people and to the signal detectors.</summary>
/// <param name="Id">Stable id; after a merge, <see cref="PatternDetector.Resolve"/> maps the absorbed id to the survivor.</param>
/// <param name="Title">Its most distinctive terms (pattern vs all traffic), or "pattern #id" when no term names are known.</param>
/// <param name="TopTerms">The title's terms, most distinctive first.</param>
/// <param name="Size">Tickets ever assigned (including absorbed patterns).</param>
/// <param name="Arrivals">Per-minute arrival counts within the series window, oldest first.</param>
/// <param name="MemberIds">Most recent member ticket ids (bounded by <see cref="PatternDetectorOptions.MaxMemberIds"/>).</param>
/// <param name="IsLive">False once retired (silent too long) or merged into another pattern.</param>
public sealed record PatternSummary(
    int Id,
    string Title,
    IReadOnlyList<string> TopTerms,
    int Size,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    IReadOnlyList<ArrivalCount> Arrivals,
    IReadOnlyList<string> MemberIds,
    bool IsLive);

/// <summary>One merge performed by the merge pass: <paramref name="From"/> was absorbed by <paramref name="Into"/>.</summary>
public readonly record struct PatternMerge(int From, int Into, float Similarity);
