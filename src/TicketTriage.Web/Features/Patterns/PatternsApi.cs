using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.TicketApi;

namespace TicketTriage.Web.Features.Patterns;

/// <summary>
/// The patterns the triage engine found (scope <c>read</c>): <c>GET /api/patterns?status=&amp;since=</c>,
/// <c>GET /api/patterns/{id}</c> with an hourly arrival series, <c>GET /api/patterns/{id}/tickets</c> (paged).
/// </summary>
internal static class PatternsApi
{
    public const int MaxHours = 24 * 14;
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static RouteGroupBuilder MapPatternsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/patterns", ListAsync)
            .WithName("ListPatterns")
            .WithSummary("Patterns, newest activity first; status new|emerging|confirmed|dismissed|resolved; since: last seen at or after.")
            .Produces<List<PatternView>>()
            .ProducesValidationProblem();
        api.MapGet("/patterns/{id:long}", GetAsync)
            .WithName("GetPattern")
            .WithSummary("One pattern with its hourly arrival series (up to 14 days back from its last ticket).")
            .Produces<PatternDetail>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/patterns/{id:long}/tickets", TicketsAsync)
            .WithName("GetPatternTickets")
            .WithSummary("The pattern's tickets by id (paged): id, source, externalId, similarity.")
            .Produces<Page<PatternTicket>>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem();
        return api;
    }

    private static async Task<IResult> ListAsync(TriageDbContext db, string? status, string? since, CancellationToken cancellationToken)
    {
        var q = new QueryErrors();
        var statusValue = q.Enum<PatternStatus>("status", status);
        var from = q.Time("since", since);
        if (q.Any)
        {
            return ApiProblems.BadQuery(q.Errors);
        }

        var query = db.Patterns.AsNoTracking().Where(p => p.MergedIntoId == null);
        if (statusValue is { } s)
        {
            query = query.Where(p => p.Status == s);
        }

        if (from is { } f)
        {
            query = query.Where(p => p.LastSeen >= f);
        }

        var patterns = await query.OrderByDescending(p => p.LastSeen).ThenBy(p => p.Id).ToListAsync(cancellationToken);
        var lastHour = await LastHourCountsAsync(db, patterns.Select(p => p.Id).ToList(), cancellationToken);
        return TypedResults.Ok(patterns.Select(p => PatternJson.View(p, lastHour.GetValueOrDefault(p.Id))).ToList());
    }

    private static async Task<IResult> GetAsync(long id, TriageDbContext db, CancellationToken cancellationToken)
    {
        var pattern = await db.Patterns.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (pattern is null)
        {
            return ApiProblems.NotFound("pattern", id);
        }

        var from = pattern.LastSeen.AddHours(-MaxHours);
        var times = await db.Tickets.AsNoTracking().Where(t => t.PatternId == id && t.CreatedAt > from)
            .Select(t => t.CreatedAt).ToListAsync(cancellationToken);
        var hourly = times.GroupBy(HourOf).OrderBy(g => g.Key).Select(g => new HourlyCount(g.Key, g.Count())).ToList();
        var lastHour = await LastHourCountsAsync(db, [id], cancellationToken);
        return TypedResults.Ok(new PatternDetail(PatternJson.View(pattern, lastHour.GetValueOrDefault(id)), hourly));
    }

    private static async Task<IResult> TicketsAsync(long id, TriageDbContext db, string? cursor, string? limit, CancellationToken cancellationToken)
    {
        var q = new QueryErrors();
        var after = q.Id("cursor", cursor);
        var take = q.Limit(limit, DefaultLimit, MaxLimit);
        if (q.Any)
        {
            return ApiProblems.BadQuery(q.Errors);
        }

        if (!await db.Patterns.AnyAsync(p => p.Id == id, cancellationToken))
        {
            return ApiProblems.NotFound("pattern", id);
        }

        var query = db.Tickets.AsNoTracking().Where(t => t.PatternId == id);
        if (after is { } a)
        {
            query = query.Where(t => t.Id > a);
        }

        var rows = await query.OrderBy(t => t.Id).Take(take + 1)
            .Select(t => new PatternTicket(t.Id, t.Source, t.ExternalId, t.PatternSimilarity)).ToListAsync(cancellationToken);
        var next = rows.Count > take ? rows[take - 1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new Page<PatternTicket>(rows.Count > take ? rows[..take] : rows, next));
    }

    /// <summary>Tickets per pattern in the hour before the triage clock (the newest ticket time any pattern holds).</summary>
    private static async Task<Dictionary<long, int>> LastHourCountsAsync(TriageDbContext db, List<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0 || await db.Patterns.MaxAsync(p => (DateTime?)p.LastSeen, cancellationToken) is not { } clock)
        {
            return [];
        }

        var from = clock.AddHours(-1);
        var counts = await db.Tickets.AsNoTracking()
            .Where(t => t.PatternId != null && t.CreatedAt > from)
            .GroupBy(t => t.PatternId!.Value)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var wanted = ids.ToHashSet();
        return counts.Where(c => wanted.Contains(c.Key)).ToDictionary(c => c.Key, c => c.Count);
    }

    private static DateTime HourOf(DateTime t) => new(t.Year, t.Month, t.Day, t.Hour, 0, 0, DateTimeKind.Utc);
}
