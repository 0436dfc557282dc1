using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Patterns;

namespace TicketTriage.Web.Features.Status;

public sealed class StatusPageOptions
{
    /// <summary>How long a rendered page is served before it is rebuilt (in the background; readers never wait).</summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Resolved incidents stay on the page this long after their last update.</summary>
    public TimeSpan ShowResolvedFor { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Shown as the page's heading.</summary>
    public string Title { get; set; } = "Service status";
}

/// <summary>One incident as the public sees it.</summary>
public sealed record PublicIncident(long Id, string Title, IncidentState State, IReadOnlyList<string> Components, DateTime Started, DateTime LastUpdate,
    IReadOnlyList<IncidentUpdate> Updates);

/// <summary>The status page and feed, rendered once and served as bytes until they age.</summary>
public sealed record StatusSnapshot(byte[] Html, byte[] Feed, string ETag, DateTime BuiltAt, IReadOnlyList<PublicIncident> Incidents);

/// <summary>
/// Keeps the rendered status page. A request gets the snapshot at hand; when it is older than <c>CacheFor</c> one
/// rebuild starts in the background (never more than one) and readers keep the old bytes until it lands, so however
/// many people refresh during an outage the database sees one small query per interval. A new incident update
/// drops the snapshot: the next reader waits for the rebuild (one query) and sees the update at once.
/// </summary>
public sealed class StatusPageCache(IDbContextFactory<TriageDbContext> dbFactory, IOptions<StatusPageOptions> options, TimeProvider time, ILogger<StatusPageCache> logger)
{
    private readonly Lock _gate = new();
    private StatusSnapshot? _snapshot;
    private Task<StatusSnapshot>? _building;

    public void Invalidate()
    {
        lock (_gate)
        {
            _snapshot = null;
        }
    }

    public Task<StatusSnapshot> GetAsync()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow().UtcDateTime;
            if (_snapshot is { } current && now - current.BuiltAt < options.Value.CacheFor)
            {
                return Task.FromResult(current);
            }

            // On a pool thread: its finally (which clears _building under this lock) can only run after this assignment,
            // even when the query completes synchronously (SQLite's async calls often do).
            _building ??= Task.Run(BuildAndStoreAsync);
            // Stale but present: serve it while the rebuild runs.
            return _snapshot is { } stale ? Task.FromResult(stale) : _building;
        }
    }

    private async Task<StatusSnapshot> BuildAndStoreAsync()
    {
        try
        {
            var built = await BuildAsync(CancellationToken.None);
            lock (_gate)
            {
                _snapshot = built;
            }

            return built;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "The status page could not be rebuilt");
            lock (_gate)
            {
                if (_snapshot is { } old)
                {
                    return old;
                }
            }

            throw;
        }
        finally
        {
            lock (_gate)
            {
                _building = null;
            }
        }
    }

    public async Task<StatusSnapshot> BuildAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var resolvedSince = now - o.ShowResolvedFor;
        var updated = db.IncidentUpdates.Where(u => u.CreatedAt >= resolvedSince).Select(u => u.PatternId);
        var patterns = await db.Patterns.AsNoTracking()
            .Where(p => p.MergedIntoId == null && (p.Status == PatternStatus.Confirmed || (p.Status == PatternStatus.Resolved && updated.Contains(p.Id))))
            .OrderByDescending(p => p.LastSeen).Take(50).ToListAsync(cancellationToken);
        var ids = patterns.Select(p => p.Id).ToList();
        var updates = await db.IncidentUpdates.AsNoTracking().Where(u => ids.Contains(u.PatternId))
            .OrderByDescending(u => u.CreatedAt).ThenByDescending(u => u.Id).ToListAsync(cancellationToken);
        var byPattern = updates.GroupBy(u => u.PatternId).ToDictionary(g => g.Key, g => g.Take(20).ToList());

        var incidents = patterns.Select(p =>
        {
            var list = byPattern.GetValueOrDefault(p.Id) ?? [];
            var latest = list.FirstOrDefault();
            var state = latest?.State ?? (p.Status == PatternStatus.Resolved ? IncidentState.Resolved : IncidentState.Investigating);
            return new PublicIncident(p.Id, latest?.Title ?? p.Title, state, Components(p, list), list.LastOrDefault()?.CreatedAt ?? p.FirstSeen,
                latest?.CreatedAt ?? p.UpdatedAt, list);
        }).OrderBy(i => i.State == IncidentState.Resolved).ThenByDescending(i => i.LastUpdate).ToList();

        var html = StatusPageHtml.Render(o.Title, incidents, now);
        var feed = StatusFeed.Render(o.Title, incidents, now);
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(html))[..16] + "\"";
        return new StatusSnapshot(html, feed, etag, now, incidents);
    }

    /// <summary>
    /// What the lead named in the latest update that names any; else the servers, datacenters and regions the
    /// pattern concentrates on (never usernames or other customer attributes).
    /// </summary>
    private static IReadOnlyList<string> Components(Pattern pattern, List<IncidentUpdate> updates)
    {
        if (updates.FirstOrDefault(u => !string.IsNullOrWhiteSpace(u.Components)) is { } named)
        {
            return named.Components!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        string[] publicAttributes = ["server", "datacenter", "region"];
        return [.. PatternJson.Concentrations(pattern).Where(c => publicAttributes.Contains(c.Attribute) && c.Share >= 0.5)
            .Select(c => c.Value).Distinct().Take(10)];
    }
}

internal static class Utf8
{
    public static byte[] Bytes(StringBuilder builder) => Encoding.UTF8.GetBytes(builder.ToString());
}
