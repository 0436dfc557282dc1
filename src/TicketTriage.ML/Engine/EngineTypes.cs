using TicketTriage.ML.Clustering;
using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Engine;

/// <summary>One ticket as the engine sees it.</summary>
/// <param name="Id">The caller's ticket id (the app's ticket id; the scenario replay's ticket index).</param>
/// <param name="Text"><see cref="TriageText.Compose"/> of subject and body.</param>
/// <param name="Time">Arrival (the app's receivedAt).</param>
/// <param name="Attributes">
/// RAW attributes (server, datacenter, plan, region, tier, username, email, accountCreated, serverChangedAt and any
/// customer or ticket extras); the engine derives the rest (<see cref="TicketAttributes.Derive"/>).
/// </param>
public sealed record EngineTicket(long Id, string Text, DateTimeOffset Time, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// A ticket with the engine's stateless work done (<see cref="TriageEngine.Prepare"/>: its pattern vector and its
/// category), so callers can do that part on several threads and only the stateful rest in arrival order.
/// </summary>
public sealed class PreparedTicket
{
    internal PreparedTicket(EngineTicket ticket, object featurizer, object? classifier, ClusterItem item, (string? Category, float Confidence, bool NeedsReview) category)
    {
        Ticket = ticket;
        Featurizer = featurizer;
        Classifier = classifier;
        Item = item;
        Category = category;
    }

    public EngineTicket Ticket { get; }

    // The featurizer and classifier it was prepared with: if the engine's changed since (a reloaded model, a
    // restored state), the ticket is prepared again, so preparing early never changes a result.
    internal object Featurizer { get; }

    internal object? Classifier { get; }

    internal ClusterItem Item { get; }

    internal (string? Category, float Confidence, bool NeedsReview) Category { get; }
}

/// <summary>The one way a ticket's subject and body become the text the engine reads, in the app and in the replay.</summary>
public static class TriageText
{
    public static string Compose(string subject, string body) => subject + "\n\n" + body;
}

/// <summary>What triage decided for one ticket.</summary>
/// <param name="Category">Null when no classifier is loaded.</param>
/// <param name="NeedsReview">The classifier abstained (its confidence is below its threshold); false without a classifier.</param>
/// <param name="PatternId">The pattern the ticket joined or started (it may later be merged: <see cref="TriageEngine.Resolve"/>).</param>
/// <param name="Similarity">Cosine with the pattern's centroid before the ticket joined (1 when it started the pattern).</param>
/// <param name="Events">What this ticket caused: patterns that became emerging, merges, changed signals.</param>
public sealed record TriageOutcome(
    long TicketId,
    string? Category,
    float CategoryConfidence,
    bool NeedsReview,
    int PatternId,
    float Similarity,
    bool StartedPattern,
    IReadOnlyList<EngineEvent> Events);

public abstract record EngineEvent(DateTimeOffset At);

/// <summary>A pattern became emerging; <paramref name="Evidence"/> says why ("5 tickets of the last 40 in 12 min vs 0.3 expected").</summary>
public sealed record PatternEmerging(int PatternId, string Evidence, DateTimeOffset At) : EngineEvent(At);

/// <summary>Pattern <paramref name="From"/> was absorbed by <paramref name="Into"/>; its tickets are now <paramref name="Into"/>'s.</summary>
public sealed record PatternsMerged(int From, int Into, DateTimeOffset At) : EngineEvent(At);

/// <summary>A pattern's concentrations or likely change were found or changed (read them with <see cref="TriageEngine.Describe"/>).</summary>
public sealed record PatternSignalsChanged(int PatternId, DateTimeOffset At) : EngineEvent(At);

/// <summary>A pattern as the app shows it.</summary>
/// <param name="Arrivals">Per-minute arrival counts within the detector's series window, oldest first.</param>
/// <param name="IsLive">False once retired (silent too long) or merged into another pattern.</param>
public sealed record PatternReport(
    int Id,
    string Title,
    IReadOnlyList<string> TopTerms,
    int Size,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    bool Emerging,
    DateTimeOffset? EmergingSince,
    string? EmergenceEvidence,
    IReadOnlyList<Concentration> Concentrations,
    ChangeLink? LikelyChange,
    IReadOnlyList<ArrivalCount> Arrivals,
    bool IsLive,
    bool Dismissed);
