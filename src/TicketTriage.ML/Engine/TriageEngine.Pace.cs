namespace TicketTriage.ML.Engine;

// The pace a flagged pattern's grace of silence follows (EngineOptions.PaceOfTicketsLikeIt).
public sealed partial class TriageEngine
{
    // A day's scan of the similarity ring per flagged pattern costs about what a burst test does; a flagged pattern
    // that takes a ticket a second during a flood does not need its pace counted more often than this.
    private static readonly TimeSpan PaceRecountEvery = TimeSpan.FromMinutes(10);

    // When each flagged pattern's incident pace was last counted.
    private readonly Dictionary<int, long> _pacedAt = [];

    // A flagged pattern's incident pace: the mean gap between the tickets like it (BaseRateSimilarity) over the
    // longest burst window, wherever they went. Told to the clusterer only while most of them went elsewhere — the
    // pattern is a fragment of something bigger, a slow burn's tickets spread over patterns started hours apart, and
    // the fragment's own pace (its few tickets, minutes apart) would close it long before the incident's next ticket.
    // A pattern holding half or more of them has its own pace to go by: counted over a day, the everyday tickets like
    // it would only stretch its grace (Smiling Peanut's mailing lists drew in three of them, purity 1.00 → 0.90).
    private void CountIncidentPace(int patternId, DateTimeOffset now)
    {
        if (!Options.PaceOfTicketsLikeIt ||
            (_pacedAt.TryGetValue(patternId, out var at) && now.UtcTicks - at < PaceRecountEvery.Ticks))
        {
            return;
        }

        _pacedAt[patternId] = now.UtcTicks;
        var like = _history.SimilarSinceTagged(Track(patternId).YoungCentroid(), now - LongestBurstWindow);
        if (like.Count < 3)
        {
            return;
        }

        if (like.Count < 2 * Track(patternId).Count)
        {
            _detector.SetIncidentPace(patternId, TimeSpan.Zero);
            return;
        }

        var (first, last) = (like.Min(l => l.At), like.Max(l => l.At));
        _detector.SetIncidentPace(patternId, (last - first) / (like.Count - 1));
    }
}
