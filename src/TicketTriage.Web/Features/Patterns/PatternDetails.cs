using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Changes;

namespace TicketTriage.Web.Features.Patterns;

/// <summary>A ticket row of the pattern page.</summary>
public sealed record PatternTicketRow(long Id, string Subject, TicketStatus Status, DateTime CreatedAt, double? Similarity, string? Customer, string? Server, string? Plan);

/// <summary>How one attribute's values split inside the pattern and among ordinary tickets before it began.</summary>
public sealed record AttributeBreakdown(string Attribute, IReadOnlyList<(string Value, double Share, double Baseline)> Values);

public sealed record PatternPageData(
    Pattern Pattern,
    IReadOnlyList<HourlyCount> Hourly,
    IReadOnlyList<ChangeView> Changes,
    IReadOnlyList<PatternTicketRow> Tickets,
    IReadOnlyList<AttributeBreakdown> Breakdown);

/// <summary>
/// What the pattern page reads. The arrival series is the API's (hourly, up to 14 days back from the last ticket);
/// the breakdown compares the pattern's newest tickets with the ordinary tickets of the same span before its first,
/// both sampled (<see cref="Sample"/>), so the page costs the same for a pattern of 50 tickets or 500,000.
/// </summary>
public sealed class PatternDetails(IDbContextFactory<TriageDbContext> dbFactory)
{
    public const int Sample = 2000;
    public const int TicketRows = 200;

    private static readonly string[] Attributes = ["server", "datacenter", "plan", "tier"];

    public async Task<PatternPageData?> ReadAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pattern = await db.Patterns.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (pattern is null)
        {
            return null;
        }

        var from = pattern.LastSeen.AddHours(-PatternsApi.MaxHours);
        var times = await db.Tickets.AsNoTracking().Where(t => t.PatternId == id && t.CreatedAt > from)
            .Select(t => t.CreatedAt).ToListAsync(cancellationToken);
        var hourly = Hourly(times);
        var start = hourly.Count > 0 ? hourly[0].Hour : pattern.FirstSeen;
        var end = pattern.LastSeen;
        // Changes from a day before the first ticket (a likely cause precedes its tickets), and the linked change
        // however long before: the engine looks back days for a slow break.
        var linkedId = PatternJson.LikelyChange(pattern)?.Id ?? -1;
        var changes = await db.Changes.AsNoTracking()
            .Where(c => (c.StartAt >= start.AddDays(-1) && c.StartAt <= end) || c.Id == linkedId)
            .OrderBy(c => c.StartAt).Take(50).ToListAsync(cancellationToken);
        hourly = ReachBack(hourly, changes.Select(c => c.StartAt));

        var tickets = await db.Tickets.AsNoTracking().Where(t => t.PatternId == id)
            .OrderByDescending(t => t.PatternSimilarity).ThenByDescending(t => t.Id).Take(TicketRows)
            .Select(t => new PatternTicketRow(t.Id, t.Subject, t.Status, t.CreatedAt, t.PatternSimilarity,
                t.Customer == null ? null : t.Customer.Name ?? t.Customer.Email, t.Customer == null ? null : t.Customer.Server,
                t.Customer == null ? null : t.Customer.Plan))
            .ToListAsync(cancellationToken);

        var inside = await CustomerFieldsAsync(db.Tickets.Where(t => t.PatternId == id).OrderByDescending(t => t.Id), cancellationToken);
        var span = pattern.LastSeen - pattern.FirstSeen;
        var baselineFrom = pattern.FirstSeen - (span < TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : span);
        var baseline = await CustomerFieldsAsync(db.Tickets.Where(t => t.CreatedAt < pattern.FirstSeen && t.CreatedAt >= baselineFrom
            && (t.PatternId == null || t.PatternId != id)).OrderByDescending(t => t.CreatedAt), cancellationToken);

        return new PatternPageData(pattern, hourly, [.. changes.Select(ChangeStore.View)], tickets, Breakdown(inside, baseline));
    }

    private static async Task<List<string?[]>> CustomerFieldsAsync(IQueryable<Ticket> tickets, CancellationToken cancellationToken) =>
        await tickets.AsNoTracking().Where(t => t.Customer != null).Take(Sample)
            .Select(t => new[] { t.Customer!.Server, t.Customer.Datacenter, t.Customer.Plan, t.Customer.Tier })
            .ToListAsync(cancellationToken);

    private static List<AttributeBreakdown> Breakdown(List<string?[]> inside, List<string?[]> baseline)
    {
        var result = new List<AttributeBreakdown>();
        for (var a = 0; a < Attributes.Length; a++)
        {
            var values = inside.Select(r => r[a]).Where(v => !string.IsNullOrEmpty(v)).ToList();
            if (values.Count == 0)
            {
                continue;
            }

            var baseValues = baseline.Select(r => r[a]).Where(v => !string.IsNullOrEmpty(v)).ToList();
            var top = values.GroupBy(v => v!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(5)
                .Select(g => (g.Key, (double)g.Count() / values.Count, baseValues.Count == 0 ? 0 : (double)baseValues.Count(v => v == g.Key) / baseValues.Count))
                .ToList();
            result.Add(new AttributeBreakdown(Attributes[a], top));
        }

        return result;
    }

    /// <summary>
    /// The hourly series started early enough (with empty hours) that every change shown beside the chart falls inside
    /// it and gets its marker: "the upgrade, then quiet hours, then the surge" is the picture a lead needs.
    /// </summary>
    internal static List<HourlyCount> ReachBack(List<HourlyCount> hourly, IEnumerable<DateTime> changeStarts)
    {
        if (hourly.Count == 0)
        {
            return hourly;
        }

        var earliest = changeStarts.DefaultIfEmpty(hourly[0].Hour).Min();
        var first = new DateTime(earliest.Year, earliest.Month, earliest.Day, earliest.Hour, 0, 0, DateTimeKind.Utc);
        if (first >= hourly[0].Hour)
        {
            return hourly;
        }

        var padded = new List<HourlyCount>();
        for (var h = first; h < hourly[0].Hour; h = h.AddHours(1))
        {
            padded.Add(new HourlyCount(h, 0));
        }

        padded.AddRange(hourly);
        return padded;
    }

    internal static List<HourlyCount> Hourly(IEnumerable<DateTime> times)
    {
        var counts = times.GroupBy(t => new DateTime(t.Year, t.Month, t.Day, t.Hour, 0, 0, DateTimeKind.Utc)).ToDictionary(g => g.Key, g => g.Count());
        if (counts.Count == 0)
        {
            return [];
        }

        // Every hour from the first to the last, zeros included: the chart's x axis is time.
        var list = new List<HourlyCount>();
        for (var h = counts.Keys.Min(); h <= counts.Keys.Max(); h = h.AddHours(1))
        {
            list.Add(new HourlyCount(h, counts.GetValueOrDefault(h)));
        }

        return list;
    }
}
