using System.Text.Json;
using System.Text.Json.Serialization;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Features.Patterns;

/// <summary>A pattern over the API. <see cref="TicketsLastHour"/> counts back from the triage clock (the newest ticket
/// time triaged: now in live operation, the scenario's time in a replay of old tickets).</summary>
public sealed record PatternView(
    long Id,
    string Title,
    string Status,
    int Size,
    int TicketsLastHour,
    DateTime FirstSeen,
    DateTime LastSeen,
    DateTime? EmergingSince,
    string? EmergenceEvidence,
    IReadOnlyList<string> TopTerms,
    IReadOnlyList<PatternConcentration> Concentrations,
    PatternChangeLink? LikelyChange,
    long? MergedInto);

public sealed record PatternDetail(PatternView Pattern, IReadOnlyList<HourlyCount> Hourly);

/// <summary>Tickets of the pattern that arrived in the hour starting at <see cref="Hour"/> (ticket time, UTC).</summary>
public sealed record HourlyCount(DateTime Hour, int Count);

/// <summary>An attribute value far more common in the pattern than in ordinary tickets.</summary>
public sealed record PatternConcentration(string Attribute, string Value, double Share, double BaselineShare, double Lift, double PValue);

/// <summary>
/// The change that most likely caused the pattern: its id in this app and in its source. When the link is to a whole rollout, <see cref="Series"/> names it and
/// <see cref="Batches"/> counts the batches whose targets were tested together (1 for a single change).
/// </summary>
public sealed record PatternChangeLink(long? Id, string? Source, string? ExternalId, string Name, double OnsetMinutes, string Evidence,
    string? Series = null, int Batches = 1);

public sealed record PatternTicket(long Id, string Source, string ExternalId, double? Similarity);

internal static class PatternJson
{
    public static IReadOnlyList<string> TopTerms(Pattern p) => JsonSerializer.Deserialize(p.TopTermsJson, PatternJsonContext.Default.ListString) ?? [];

    public static IReadOnlyList<PatternConcentration> Concentrations(Pattern p) =>
        JsonSerializer.Deserialize(p.ConcentrationsJson, PatternJsonContext.Default.ListPatternConcentration) ?? [];

    public static PatternChangeLink? LikelyChange(Pattern p) =>
        p.LikelyChangeJson is null ? null : JsonSerializer.Deserialize(p.LikelyChangeJson, PatternJsonContext.Default.PatternChangeLink);

    public static string Serialize(IReadOnlyList<string> terms) => JsonSerializer.Serialize([.. terms], PatternJsonContext.Default.ListString);

    public static string Serialize(IReadOnlyList<PatternConcentration> items) => JsonSerializer.Serialize([.. items], PatternJsonContext.Default.ListPatternConcentration);

    public static string? Serialize(PatternChangeLink? link) => link is null ? null : JsonSerializer.Serialize(link, PatternJsonContext.Default.PatternChangeLink);

    /// <summary>Per-minute arrivals folded into [hour since the epoch, count] pairs.</summary>
    public static string SerializeHourly(IEnumerable<TicketTriage.ML.Clustering.ArrivalCount> arrivals) =>
        JsonSerializer.Serialize(arrivals.GroupBy(a => a.Minute / 60).OrderBy(g => g.Key).Select(g => new[] { g.Key, g.Sum(a => (long)a.Count) }).ToList(),
            PatternJsonContext.Default.ListInt64Array);

    public static IReadOnlyList<long[]> Hourly(Pattern p) =>
        JsonSerializer.Deserialize(p.ArrivalsJson, PatternJsonContext.Default.ListInt64Array) ?? [];

    public static PatternView View(Pattern p, int lastHour) => new(
        p.Id, p.DisplayTitle, p.Status.ToString().ToLowerInvariant(), p.Size, lastHour, p.FirstSeen, p.LastSeen, p.EmergingSince, p.EmergenceEvidence,
        TopTerms(p), Concentrations(p), LikelyChange(p), p.MergedIntoId);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(List<PatternConcentration>))]
[JsonSerializable(typeof(PatternChangeLink))]
[JsonSerializable(typeof(List<long[]>))]
internal sealed partial class PatternJsonContext : JsonSerializerContext;
