using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Features.Queue;

/// <summary>What a queue row shows.</summary>
public sealed record QueueItem(
    long Id,
    string Subject,
    string BodyPreview,
    TicketStatus Status,
    string Channel,
    DateTime CreatedAt,
    double? PriorityScore,
    string? PriorityReasonsJson,
    string? Category,
    double? CategoryConfidence,
    long? PatternId,
    int? AssigneeId,
    string? AssigneeName,
    string? CustomerName,
    string? CustomerEmail,
    string? CustomerPlan,
    string? CustomerServer)
{
    public QueueCursor Cursor => new(PriorityScore, CreatedAt, Id);

    /// <summary>The priority's reasons (a JSON array of strings written by triage); unreadable JSON shows as is.</summary>
    public IReadOnlyList<string> PriorityReasons => QueueFilter.ParseReasons(PriorityReasonsJson);
}

/// <summary>The queue's filters. <see cref="NeedsReview"/>: triaged, and the classifier abstained (below its confidence threshold).</summary>
public sealed record QueueFilter(
    TicketStatus? Status = null,
    string? Category = null,
    long? PatternId = null,
    int? AssigneeId = null,
    bool NeedsReview = false,
    bool UnassignedOnly = false)
{
    public static IReadOnlyList<string> ParseReasons(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Array
                ? document.RootElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() ?? "" : e.GetRawText()).ToList()
                : [json];
        }
        catch (JsonException)
        {
            return [json];
        }
    }
}

public sealed record QueueSlice(IReadOnlyList<QueueItem> Items, QueueCursor? Next);

/// <summary>
/// The queue read: highest priority first, unscored tickets after every scored one, newest first within a score;
/// keyset-paged. It runs as two range seeks, one per segment, each on the index (PriorityScore, CreatedAt, Id) or
/// (Status, PriorityScore, CreatedAt, Id) in index order, so the nulls-last order needs no provider-specific
/// NULLS LAST and a deep page costs what the first does. The cursor filter is written
/// <c>x &lt;= c AND (x &lt; c OR …)</c>: the leading bound lets the planner seek; the plain OR form scans.
/// One DbContext per read (a singleton used from circuits).
/// </summary>
internal sealed class TicketQueue(IDbContextFactory<TriageDbContext> dbFactory)
{
    public const int PageSize = 50;
    private const int PreviewLength = 140;

    public async Task<QueueSlice> ReadAsync(QueueFilter filter, QueueCursor? after, CancellationToken cancellationToken, int pageSize = PageSize)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = new List<QueueItem>(pageSize + 1);
        if (after is null || after.Value.Score is not null)
        {
            var scored = Filtered(db, filter).Where(t => t.PriorityScore != null);
            if (after is { Score: { } s } c)
            {
                scored = scored.Where(t => t.PriorityScore <= s && (t.PriorityScore < s
                    || (t.CreatedAt <= c.CreatedAt && (t.CreatedAt < c.CreatedAt || t.Id < c.Id))));
            }

            rows.AddRange(await Project(scored.OrderByDescending(t => t.PriorityScore).ThenByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id)
                .Take(pageSize + 1)).ToListAsync(cancellationToken));
        }

        if (rows.Count <= pageSize)
        {
            var unscored = Filtered(db, filter).Where(t => t.PriorityScore == null);
            if (after is { Score: null } c)
            {
                unscored = unscored.Where(t => t.CreatedAt <= c.CreatedAt && (t.CreatedAt < c.CreatedAt || t.Id < c.Id));
            }

            rows.AddRange(await Project(unscored.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id)
                .Take(pageSize + 1 - rows.Count)).ToListAsync(cancellationToken));
        }

        var next = rows.Count > pageSize ? rows[pageSize - 1].Cursor : (QueueCursor?)null;
        return new QueueSlice(rows.Count > pageSize ? rows[..pageSize] : rows, next);
    }

    /// <summary>
    /// The categories tickets carry, for the filter menu. A plain DISTINCT reads every ticket (over a second at a
    /// million); this recursive query is a loose index scan on IX_Tickets_Category: each step seeks the next category
    /// above the last, so it costs one seek per category. The same SQL runs on SQLite and PostgreSQL.
    /// </summary>
    public async Task<IReadOnlyList<string>> CategoriesAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Database.SqlQueryRaw<string>("""
            WITH RECURSIVE "Categories"("Value") AS (
                SELECT MIN("Category") FROM "Tickets"
                UNION ALL
                SELECT (SELECT MIN(t."Category") FROM "Tickets" t WHERE t."Category" > c."Value") FROM "Categories" c WHERE c."Value" IS NOT NULL
            )
            SELECT "Value" FROM "Categories" WHERE "Value" IS NOT NULL LIMIT 200
            """).ToListAsync(cancellationToken);
    }

    private static IQueryable<Ticket> Filtered(TriageDbContext db, QueueFilter filter)
    {
        var query = db.Tickets.AsNoTracking();
        if (filter.Status is { } status)
        {
            query = query.Where(t => t.Status == status);
        }

        if (!string.IsNullOrEmpty(filter.Category))
        {
            query = query.Where(t => t.Category == filter.Category);
        }

        if (filter.PatternId is { } pattern)
        {
            query = query.Where(t => t.PatternId == pattern);
        }

        if (filter.AssigneeId is { } assignee)
        {
            query = query.Where(t => t.AssigneeId == assignee);
        }

        if (filter.UnassignedOnly)
        {
            query = query.Where(t => t.AssigneeId == null);
        }

        if (filter.NeedsReview)
        {
            query = query.Where(t => t.NeedsReview == true);
        }

        return query;
    }

    private static IQueryable<QueueItem> Project(IQueryable<Ticket> tickets) =>
        tickets.Select(t => new QueueItem(
            t.Id,
            t.Subject,
            t.Body.Substring(0, PreviewLength),
            t.Status,
            t.Channel,
            t.CreatedAt,
            t.PriorityScore,
            t.PriorityReasons,
            t.Category,
            t.CategoryConfidence,
            t.PatternId,
            t.AssigneeId,
            t.Assignee != null ? t.Assignee.DisplayName : null,
            t.Customer != null ? t.Customer.Name : null,
            t.Customer != null ? t.Customer.Email : null,
            t.Customer != null ? t.Customer.Plan : null,
            t.Customer != null ? t.Customer.Server : null));
}
