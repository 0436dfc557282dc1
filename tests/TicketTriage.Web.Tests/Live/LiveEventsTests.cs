using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using TicketTriage.Web.Features.Live;

namespace TicketTriage.Web.Tests.Live;

public sealed class LiveEventsTests
{
    private readonly LiveEvents events = new(TimeProvider.System, NullLogger<LiveEvents>.Instance);

    [Fact]
    public async Task A_burst_of_events_reaches_a_subscriber_in_few_coalesced_batches()
    {
        var batches = Channel.CreateUnbounded<IReadOnlyList<LiveEvent>>();
        using var subscription = events.Subscribe(b => batches.Writer.WriteAsync(b).AsTask(), TimeSpan.FromMilliseconds(100));

        for (var i = 0; i < 1000; i++)
        {
            events.Publish(new TicketsStored([i]));
        }

        var received = new List<LiveEvent>();
        var calls = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (received.Count < 1000)
        {
            received.AddRange(await batches.Reader.ReadAsync(timeout.Token));
            calls++;
        }

        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), received.Cast<TicketsStored>().Select(e => e.TicketIds[0]));
        Assert.True(calls <= 5, $"{calls} calls for one burst");
    }

    [Fact]
    public async Task A_subscriber_that_falls_behind_is_told_to_resync()
    {
        var batches = Channel.CreateUnbounded<IReadOnlyList<LiveEvent>>();
        using var subscription = events.Subscribe(b => batches.Writer.WriteAsync(b).AsTask(), TimeSpan.FromMilliseconds(200));

        for (var i = 0; i < 10_000; i++)
        {
            events.Publish(new TicketsChanged([i]));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var batch = await batches.Reader.ReadAsync(timeout.Token);
        Assert.IsType<ResyncNeeded>(batch[^1]);
        Assert.True(batch.Count <= 4097);
    }

    [Fact]
    public async Task A_disposed_subscription_gets_nothing_more()
    {
        var calls = 0;
        var subscription = events.Subscribe(_ => { Interlocked.Increment(ref calls); return Task.CompletedTask; }, TimeSpan.FromMilliseconds(10));
        subscription.Dispose();

        events.Publish(new PatternsChanged([1]));
        await Task.Delay(200, TestContext.Current.CancellationToken);

        Assert.Equal(0, calls);
        Assert.Equal(0, events.SubscriberCount);
    }
}
