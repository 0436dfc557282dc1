using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Changes;

namespace TicketTriage.Web.Features.Patterns;

/// <summary>One card of the pattern board.</summary>
/// <param name="Sparkline">Tickets per hour over the 24 hours before the board's clock, oldest first.</param>
public sealed record PatternCard(
    long Id,
    string Title,
    PatternStatus Status,
    int Size,
    int LastHour,
    int HourBefore,
    IReadOnlyList<int> Sparkline,
    IReadOnlyList<string> TopTerms,
    IReadOnlyList<PatternConcentration> Concentrations,
    PatternChangeLink? LikelyChange,
    string? EmergenceEvidence,
    DateTime LastSeen);

/// <summary>Which patterns the board lists: the ones still being worked (default), or one status.</summary>
public enum BoardFilter
{
    Active,
    Emerging,
    Confirmed,
    New,
    Resolved,
    Dismissed,
}

public sealed record BoardPage(IReadOnlyList<PatternCard> Cards, int Total, int Emerging, DateTime? Clock);

/// <summary>A pattern to pick as a merge or move target.</summary>
public sealed record PatternOption(long Id, string Title, int Size)
{
    public override string ToString() => $"#{Id} {Title} ({Size})";
}

/// <summary>
/// What the leads' pages read about patterns. The board reads pattern rows only (sparklines come from each row's
/// stored hourly arrivals), so it costs the same with 10,000 patterns and a million tickets: an indexed page of rows.
/// </summary>
public sealed class PatternBoard(IDbContextFactory<TriageDbContext> dbFactory)
{
    public const int SparkHours = 24;

    public async Task<BoardPage> ReadAsync(BoardFilter filter, int take, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Patterns.AsNoTracking().Where(p => p.MergedIntoId == null && p.Size > 0);
        query = filter switch
        {
            BoardFilter.Active => query.Where(p => p.Status == PatternStatus.Emerging || p.Status == PatternStatus.Confirmed || p.Status == PatternStatus.New),
            BoardFilter.Emerging => query.Where(p => p.Status == PatternStatus.Emerging),
            BoardFilter.Confirmed => query.Where(p => p.Status == PatternStatus.Confirmed),
            BoardFilter.New => query.Where(p => p.Status == PatternStatus.New),
            BoardFilter.Resolved => query.Where(p => p.Status == PatternStatus.Resolved),
            _ => query.Where(p => p.Status == PatternStatus.Dismissed),
        };

        // Emerging first (newest flag first), then confirmed incidents, then the rest by latest activity. The page's ids
        // first, from IX_Patterns_Board alone, then those rows: sorting whole rows with their JSON cost ~100 ms at 10,000.
        var ids = await query
            .OrderBy(p => p.Status == PatternStatus.Emerging ? 0 : p.Status == PatternStatus.Confirmed ? 1 : 2)
            .ThenByDescending(p => p.EmergingSince)
            .ThenByDescending(p => p.LastSeen)
            .ThenBy(p => p.Id)
            .Take(take)
            .Select(p => p.Id)
            .ToListAsync(cancellationToken);
        var byId = await db.Patterns.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var rows = ids.Select(id => byId[id]).ToList();
        var total = await query.CountAsync(cancellationToken);
        var emerging = await db.Patterns.CountAsync(p => p.MergedIntoId == null && p.Status == PatternStatus.Emerging, cancellationToken);
        var clock = await db.Patterns.MaxAsync(p => (DateTime?)p.LastSeen, cancellationToken);
        return new BoardPage([.. rows.Select(r => Card(r, clock))], total, emerging, clock);
    }

    public async Task<Pattern?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Patterns.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
    }

    /// <summary>Surviving patterns whose id or title matches, largest first (merge and move targets).</summary>
    public async Task<IReadOnlyList<PatternOption>> SearchAsync(string? text, long? except, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Patterns.AsNoTracking().Where(p => p.MergedIntoId == null && p.Size > 0);
        if (except is { } e)
        {
            query = query.Where(p => p.Id != e);
        }

        var term = text?.Trim().TrimStart('#') ?? "";
        if (long.TryParse(term, out var id))
        {
            query = query.Where(p => p.Id == id);
        }
        else if (term.Length > 0)
        {
            query = query.Where(p => p.Title.Contains(term) || (p.LeadTitle != null && p.LeadTitle.Contains(term)));
        }

        return await query.OrderByDescending(p => p.Size).ThenBy(p => p.Id).Take(20)
            .Select(p => new PatternOption(p.Id, p.LeadTitle ?? p.Title, p.Size)).ToListAsync(cancellationToken);
    }

    public static PatternCard Card(Pattern p, DateTime? clock)
    {
        var spark = Spark(p, clock);
        return new PatternCard(p.Id, p.DisplayTitle, p.Status, p.Size, spark[^1], spark[^2], spark,
            PatternJson.TopTerms(p), PatternJson.Concentrations(p), PatternJson.LikelyChange(p), p.EmergenceEvidence, p.LastSeen);
    }

    /// <summary>Hourly counts of the <see cref="SparkHours"/> hours ending with the clock's hour.</summary>
    public static int[] Spark(Pattern p, DateTime? clock)
    {
        var counts = new int[SparkHours];
        if (clock is not { } c)
        {
            return counts;
        }

        var lastHour = (long)(DateTime.SpecifyKind(c, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalHours;
        foreach (var pair in PatternJson.Hourly(p))
        {
            var slot = SparkHours - 1 - (lastHour - pair[0]);
            if (slot is >= 0 and < SparkHours)
            {
                counts[slot] += (int)pair[1];
            }
        }

        return counts;
    }

    /// <summary>Changes whose start lies in [from, to], oldest first: the markers of a pattern's chart.</summary>
    public async Task<IReadOnlyList<ChangeView>> ChangesAsync(DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Changes.AsNoTracking().Where(c => c.StartAt >= from && c.StartAt <= to).OrderBy(c => c.StartAt).Take(50).ToListAsync(cancellationToken);
        return [.. rows.Select(ChangeStore.View)];
    }
}
