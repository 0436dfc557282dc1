using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Patterns;
using TicketTriage.Web.Features.Triage;

namespace TicketTriage.Web.Features.Dashboard;

/// <summary>Arrivals of one category, per minute, oldest first.</summary>
public sealed record CategorySeries(string Category, IReadOnlyList<int> PerMinute);

public sealed record DashboardView(
    DateTime Now,
    IReadOnlyList<CategorySeries> Arrivals,
    IReadOnlyList<(TicketStatus Status, int Count)> Backlog,
    int NeedsReview,
    int SlaAtRisk,
    int SlaOverdue,
    IReadOnlyList<PatternCard> TopPatterns);

/// <summary>
/// The dashboard's figures, all counted in the database (never by loading tickets): arrivals per minute by category
/// over the last <see cref="Minutes"/> minutes of arrival time, the open backlog by status, tickets whose category
/// needs review, tickets whose first-response window (by tier) is three-quarters used or over, and the top patterns.
/// </summary>
public sealed class DashboardData(IDbContextFactory<TriageDbContext> dbFactory, PatternBoard board, TimeProvider time)
{
    public const int Minutes = 30;
    public const int MaxCategories = 6;
    public const string Untriaged = "(untriaged)";
    public const string Other = "(other)";

    /// <summary>Share of the SLA window after which an open ticket counts as at risk.</summary>
    public const double AtRiskShare = 0.75;

    private static readonly TicketStatus[] Open = [TicketStatus.New, TicketStatus.Open, TicketStatus.Pending];

    public async Task<DashboardView> ReadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var arrivals = await ArrivalsAsync(db, now, cancellationToken);
        var backlog = await db.Tickets.AsNoTracking().GroupBy(t => t.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var needsReview = await db.Tickets.CountAsync(t => t.NeedsReview == true && Open.Contains(t.Status), cancellationToken);
        var (atRisk, overdue) = await SlaAsync(db, now, cancellationToken);
        var top = await board.ReadAsync(BoardFilter.Active, 5, cancellationToken);
        return new DashboardView(now, arrivals, [.. backlog.OrderBy(b => b.Key).Select(b => (b.Key, b.Count))], needsReview, atRisk, overdue, top.Cards);
    }

    // One grouped count per minute: each an index range scan on ReceivedAt, whatever the table holds.
    private static async Task<List<CategorySeries>> ArrivalsAsync(TriageDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        var end = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc).AddMinutes(1);
        var counts = new Dictionary<string, int[]>(StringComparer.Ordinal);
        for (var m = 0; m < Minutes; m++)
        {
            var from = end.AddMinutes(m - Minutes);
            var to = from.AddMinutes(1);
            var rows = await db.Tickets.AsNoTracking().Where(t => t.ReceivedAt >= from && t.ReceivedAt < to)
                .GroupBy(t => t.Category).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                var key = row.Key ?? Untriaged;
                if (!counts.TryGetValue(key, out var series))
                {
                    counts[key] = series = new int[Minutes];
                }

                series[m] += row.Count;
            }
        }

        var ordered = counts.OrderByDescending(c => c.Value.Sum()).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
        var result = ordered.Take(MaxCategories).Select(c => new CategorySeries(c.Key, c.Value)).ToList();
        if (ordered.Count > MaxCategories)
        {
            var rest = new int[Minutes];
            foreach (var (_, series) in ordered.Skip(MaxCategories))
            {
                for (var i = 0; i < Minutes; i++)
                {
                    rest[i] += series[i];
                }
            }

            result.Add(new CategorySeries(Other, rest));
        }

        return result;
    }

    private static async Task<(int AtRisk, int Overdue)> SlaAsync(TriageDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        int atRisk = 0, overdue = 0;
        var waiting = db.Tickets.AsNoTracking().Where(t => t.Status == TicketStatus.New || t.Status == TicketStatus.Open);
        var named = TicketPriority.SlaByTier.Keys.ToList();
        foreach (var (tier, sla) in TicketPriority.SlaByTier)
        {
            var of = waiting.Where(t => t.Customer != null && t.Customer.Tier != null && t.Customer.Tier.ToLower() == tier);
            atRisk += await of.CountAsync(t => t.CreatedAt <= now - sla * AtRiskShare, cancellationToken);
            overdue += await of.CountAsync(t => t.CreatedAt <= now - sla, cancellationToken);
        }

        var rest = waiting.Where(t => t.Customer == null || t.Customer.Tier == null || !named.Contains(t.Customer.Tier.ToLower()));
        atRisk += await rest.CountAsync(t => t.CreatedAt <= now - TicketPriority.DefaultSla * AtRiskShare, cancellationToken);
        overdue += await rest.CountAsync(t => t.CreatedAt <= now - TicketPriority.DefaultSla, cancellationToken);
        return (atRisk, overdue);
    }
}
