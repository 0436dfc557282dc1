using System.Threading.Channels;

namespace TicketTriage.Web.Features.Live;

/// <summary>Something live pages may want to redraw. Ids only: a subscriber reads what it shows itself.</summary>
public abstract record LiveEvent;

/// <summary>New tickets were committed.</summary>
public sealed record TicketsStored(IReadOnlyList<long> TicketIds) : LiveEvent;

/// <summary>Existing tickets changed: status, triage, priority, assignee.</summary>
public sealed record TicketsChanged(IReadOnlyList<long> TicketIds) : LiveEvent;

/// <summary>Patterns grew, changed status, gained a concentration or a likely change, or were merged away.</summary>
public sealed record PatternsChanged(IReadOnlyList<long> PatternIds) : LiveEvent;

/// <summary>Outbox mails of these tickets were sent, failed or rescheduled.</summary>
public sealed record DeliveryChanged(IReadOnlyList<long> TicketIds) : LiveEvent;

/// <summary>A bulk reply made progress, finished or was undone.</summary>
public sealed record BulkReplyProgressed(long OperationId, long PatternId) : LiveEvent;

/// <summary>A pattern has just been flagged emerging (a lead gets a snackbar).</summary>
public sealed record PatternEmerging(long PatternId, string Title, string Evidence) : LiveEvent;

/// <summary>
/// A subscriber fell so far behind that events were dropped: whatever it shows may be stale, so it should reload its
/// data once rather than apply the events it still gets.
/// </summary>
public sealed record ResyncNeeded : LiveEvent;

/// <summary>
/// The in-process event stream behind live pages. Publishers (ingest, triage, ticket actions) call
/// <see cref="Publish"/> after their transaction commits; it never blocks and never throws. Each subscriber gets its
/// own bounded queue and is called with coalesced batches at most once per <c>coalesce</c> window, so a surge of
/// 10,000 tickets/s costs a subscriber a few calls per second, not 10,000. A slow subscriber loses the oldest events
/// and is sent <see cref="ResyncNeeded"/>; it never slows publishers or other subscribers.
/// </summary>
public sealed class LiveEvents(TimeProvider time, ILogger<LiveEvents> logger)
{
    public static readonly TimeSpan DefaultCoalesce = TimeSpan.FromMilliseconds(250);

    private const int QueueCapacity = 4096;

    private readonly TimeProvider _time = time;
    private readonly ILogger<LiveEvents> _logger = logger;
    private readonly Lock _gate = new();
    private Subscription[] _subscriptions = [];

    /// <summary>Queues the event for every current subscriber.</summary>
    public void Publish(LiveEvent liveEvent)
    {
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            subscription.Offer(liveEvent);
        }
    }

    /// <summary>
    /// Calls <paramref name="onBatch"/> with the events published since the last call, at most once per
    /// <paramref name="coalesce"/> window, never concurrently with itself. Dispose the result to stop.
    /// An exception from the handler is logged and the subscription goes on.
    /// </summary>
    public IDisposable Subscribe(Func<IReadOnlyList<LiveEvent>, Task> onBatch, TimeSpan? coalesce = null)
    {
        var subscription = new Subscription(this, onBatch, coalesce ?? DefaultCoalesce);
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }

        subscription.Start();
        return subscription;
    }

    public int SubscriberCount => Volatile.Read(ref _subscriptions).Length;

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions.Where(s => s != subscription)];
        }
    }

    private sealed class Subscription(LiveEvents owner, Func<IReadOnlyList<LiveEvent>, Task> onBatch, TimeSpan coalesce) : IDisposable
    {
        private readonly Channel<LiveEvent> _queue = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });

        private readonly CancellationTokenSource _stop = new();
        private int _dropped;

        public void Offer(LiveEvent liveEvent)
        {
            // DropOldest never refuses a write; count what it pushed out so the reader knows to resync.
            if (_queue.Reader.Count >= QueueCapacity)
            {
                Interlocked.Exchange(ref _dropped, 1);
            }

            _queue.Writer.TryWrite(liveEvent);
        }

        public void Start() => _ = Task.Run(RunAsync);

        private async Task RunAsync()
        {
            var reader = _queue.Reader;
            var token = _stop.Token;
            try
            {
                while (await reader.WaitToReadAsync(token))
                {
                    await Task.Delay(coalesce, owner._time, token);
                    var batch = new List<LiveEvent>();
                    while (reader.TryRead(out var liveEvent))
                    {
                        batch.Add(liveEvent);
                    }

                    if (Interlocked.Exchange(ref _dropped, 0) == 1)
                    {
                        batch.Add(new ResyncNeeded());
                    }

                    try
                    {
                        await onBatch(batch);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        owner._logger.LogWarning(ex, "A live-event subscriber failed on a batch of {Count} events", batch.Count);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Disposed.
            }
        }

        public void Dispose()
        {
            owner.Remove(this);
            _queue.Writer.TryComplete();
            _stop.Cancel();
        }
    }
}
