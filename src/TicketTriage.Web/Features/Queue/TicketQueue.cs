using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Features.Queue;

/// <summary>What a queue row shows; also what the live publisher renders.</summary>
public sealed record QueueItem(
    long Id,
    string Subject,
    string BodyPreview,
    TicketStatus Status,
    string Channel,
    DateTime CreatedAt,
    string? CustomerName,
    string? CustomerEmail,
    string? CustomerPlan,
    string? CustomerServer);

public sealed record QueueSlice(IReadOnlyList<QueueItem> Items, QueueCursor? Next);

/// <summary>
/// The queue read: newest first, optionally one status, keyset-paged. The filter is written so both indexes
/// (CreatedAt, Id) and (Status, CreatedAt, Id) serve it as a range seek in index order:
/// <c>CreatedAt &lt;= c AND (CreatedAt &lt; c OR Id &lt; id)</c> gives the planner a range bound on the leading
/// time column; the plain OR form makes SQLite scan from the newest row to the cursor.
/// </summary>
internal sealed class TicketQueue(TriageDbContext db)
{
    public const int PageSize = 50;
    private const int PreviewLength = 140;

    public async Task<QueueSlice> ReadAsync(TicketStatus? status, QueueCursor? before, CancellationToken cancellationToken)
    {
        var query = db.Tickets.AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(t => t.Status == s);
        }

        if (before is { } cursor)
        {
            query = query.Where(t => t.CreatedAt <= cursor.CreatedAt && (t.CreatedAt < cursor.CreatedAt || t.Id < cursor.Id));
        }

        var rows = await Project(query.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id).Take(PageSize + 1))
            .ToListAsync(cancellationToken);
        var next = rows.Count > PageSize ? new QueueCursor(rows[PageSize - 1].CreatedAt, rows[PageSize - 1].Id) : (QueueCursor?)null;
        return new QueueSlice(rows.Count > PageSize ? rows[..PageSize] : rows, next);
    }

    /// <summary>The rows for the given tickets, newest first (for live pushes).</summary>
    public Task<List<QueueItem>> ReadByIdsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
        Project(db.Tickets.AsNoTracking().Where(t => ids.Contains(t.Id))
                .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id))
            .ToListAsync(cancellationToken);

    private static IQueryable<QueueItem> Project(IQueryable<Ticket> tickets) =>
        tickets.Select(t => new QueueItem(
            t.Id,
            t.Subject,
            t.Body.Substring(0, PreviewLength),
            t.Status,
            t.Channel,
            t.CreatedAt,
            t.Customer != null ? t.Customer.Name : null,
            t.Customer != null ? t.Customer.Email : null,
            t.Customer != null ? t.Customer.Plan : null,
            t.Customer != null ? t.Customer.Server : null));
}
