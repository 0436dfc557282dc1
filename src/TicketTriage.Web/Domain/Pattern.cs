namespace TicketTriage.Web.Domain;

/// <summary>
/// A group of tickets about one problem, as the triage engine found it. The row is a projection of the engine's
/// state, rewritten by the triage worker after each batch; <see cref="Id"/> is the engine's pattern id. Status moves
/// new → emerging by the engine; confirmed, dismissed and resolved are set by people and never overwritten.
/// </summary>
public sealed class Pattern
{
    public long Id { get; set; }

    /// <summary>The engine's title, from the pattern's distinctive terms; rewritten as the pattern grows.</summary>
    public string Title { get; set; } = "";

    /// <summary>A lead's name for it, shown instead of <see cref="Title"/> (the engine never overwrites it).</summary>
    public string? LeadTitle { get; set; }

    public string DisplayTitle => LeadTitle ?? Title;

    public PatternStatus Status { get; set; } = PatternStatus.New;

    /// <summary>Tickets the engine counts in it.</summary>
    public int Size { get; set; }

    /// <summary>Ticket time (the customer's) of its first and newest ticket, UTC.</summary>
    public DateTime FirstSeen { get; set; }

    public DateTime LastSeen { get; set; }

    public DateTime? EmergingSince { get; set; }

    /// <summary>Why it was flagged, in the engine's words ("9 tickets in 20 min vs 0.4 expected").</summary>
    public string? EmergenceEvidence { get; set; }

    /// <summary>JSON array of strings.</summary>
    public string TopTermsJson { get; set; } = "[]";

    /// <summary>JSON array of {attribute, value, share, baselineShare, lift, pValue}.</summary>
    public string ConcentrationsJson { get; set; } = "[]";

    /// <summary>JSON {changeId, name, onsetMinutes, evidence, …} or null.</summary>
    public string? LikelyChangeJson { get; set; }

    /// <summary>
    /// JSON array of [hour, count] pairs (hour: whole hours since the Unix epoch, ticket time): its arrivals over the
    /// engine's series window (a day), so a board of many patterns draws sparklines without reading tickets.
    /// </summary>
    public string ArrivalsJson { get; set; } = "[]";

    /// <summary>Set when the engine merged this pattern into another; its tickets now carry that id.</summary>
    public long? MergedIntoId { get; set; }

    public DateTime UpdatedAt { get; set; }
}

public enum PatternStatus
{
    New,
    Emerging,
    Confirmed,
    Dismissed,
    Resolved,
}
