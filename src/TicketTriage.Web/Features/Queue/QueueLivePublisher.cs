using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using TicketTriage.Web.Components;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Hubs;

namespace TicketTriage.Web.Features.Queue;

/// <summary>
/// Pushes server-rendered queue rows to the hub groups <c>queue:all</c> and <c>queue:status:&lt;Status&gt;</c>.
/// <see cref="ITicketEvents"/> calls only enqueue ids (bounded; the oldest notice is dropped when full, since a
/// browser that misses a row still finds it on reload). A background loop drains the queue, coalesces what
/// arrived in the last <see cref="CoalesceWindow"/>, reads the rows once and renders them once per group, so
/// 10,000 tickets/s cost a few pushes per second, not 10,000.
/// </summary>
internal sealed class QueueLivePublisher(
    IServiceScopeFactory scopes,
    IHubContext<LiveHub> hub,
    TimeProvider time,
    ILogger<QueueLivePublisher> logger) : BackgroundService, ITicketEvents
{
    public const string AllGroup = "queue:all";
    public static string StatusGroup(TicketStatus status) => $"queue:status:{status}";

    /// <summary>The most rows one push carries; a page shows the newest ones and counts the rest.</summary>
    public const int MaxRowsPerPush = TicketQueue.PageSize;

    private static readonly TimeSpan CoalesceWindow = TimeSpan.FromMilliseconds(150);

    private readonly Channel<(bool Changed, IReadOnlyList<long> Ids)> notices =
        Channel.CreateBounded<(bool, IReadOnlyList<long>)>(new BoundedChannelOptions(4096)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });

    public void TicketsStored(IReadOnlyList<long> ids)
    {
        if (ids.Count > 0)
        {
            // Copied: the caller may reuse its list once this returns.
            notices.Writer.TryWrite((false, [.. ids]));
        }
    }

    public void TicketsChanged(IReadOnlyList<long> ids)
    {
        if (ids.Count > 0)
        {
            notices.Writer.TryWrite((true, [.. ids]));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = notices.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(CoalesceWindow, time, stoppingToken);
                var stored = new HashSet<long>();
                var changed = new HashSet<long>();
                while (reader.TryRead(out var notice))
                {
                    (notice.Changed ? changed : stored).UnionWith(notice.Ids);
                }

                changed.ExceptWith(stored);
                try
                {
                    await PushAsync(stored, changed, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A failed push must not stop later ones; the rows are on the page after a reload anyway.
                    logger.LogWarning(ex, "Pushing {Count} queue rows failed", stored.Count + changed.Count);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PushAsync(HashSet<long> stored, HashSet<long> changed, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var queue = scope.ServiceProvider.GetRequiredService<TicketQueue>();
        var renderer = scope.ServiceProvider.GetRequiredService<FragmentRenderer>();

        // Ids grow with arrival, so the highest ids are the newest arrivals: only those are read and rendered.
        var newest = stored.OrderDescending().Take(MaxRowsPerPush).ToList();
        foreach (var (ids, mode, count) in new[] { (newest, "new", stored.Count), (changed.Take(MaxRowsPerPush).ToList(), "changed", changed.Count) })
        {
            if (ids.Count == 0)
            {
                continue;
            }

            var items = await queue.ReadByIdsAsync(ids, cancellationToken);
            await SendAsync(AllGroup, items, mode, count, renderer, cancellationToken);
            foreach (var byStatus in items.GroupBy(i => i.Status))
            {
                var statusItems = byStatus.ToList();
                // Rows beyond the push limit were not read; when every row read shares one status (a surge of New
                // tickets) they are counted for that status too.
                var statusCount = statusItems.Count == items.Count ? count : statusItems.Count;
                await SendAsync(StatusGroup(byStatus.Key), statusItems, mode, statusCount, renderer, cancellationToken);
            }
        }
    }

    private async Task SendAsync(string group, IReadOnlyList<QueueItem> items, string mode, int count, FragmentRenderer renderer, CancellationToken cancellationToken)
    {
        var html = await renderer.RenderAsync<QueueRows>(new Dictionary<string, object?> { [nameof(QueueRows.Items)] = items });
        await hub.Clients.Group(group).SendAsync(LiveHub.QueueRows, html, mode, count, cancellationToken);
    }
}

internal static class QueueLiveUpdatesHosting
{
    public static IServiceCollection AddQueueLiveUpdates(this IServiceCollection services)
    {
        services.AddScoped<TicketQueue>();
        services.AddSingleton<QueueLivePublisher>();
        services.AddSingleton<ITicketEvents>(sp => sp.GetRequiredService<QueueLivePublisher>());
        services.AddHostedService(sp => sp.GetRequiredService<QueueLivePublisher>());
        services.AddSingleton<Ingest.ITicketIngestObserver, QueueIngestObserver>();
        return services;
    }
}
