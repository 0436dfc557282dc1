using Microsoft.AspNetCore.Components;
using TicketTriage.Web.Features.Live;

namespace TicketTriage.Web.Components.Live;

/// <summary>
/// Base of pages that redraw on <see cref="LiveEvents"/>. In a circuit only (a prerender is thrown away at once):
/// subscribes in <see cref="OnInitialized"/>, hands each coalesced batch to <see cref="OnLiveEventsAsync"/> on the
/// renderer's dispatcher and re-renders, reloads everything on <see cref="ResyncNeeded"/> or a reconnect, and
/// unsubscribes in <see cref="Dispose"/>. The event stream coalesces (250 ms), so a surge costs a few renders per
/// second per page however many tickets arrive.
/// </summary>
public abstract class LivePage : ComponentBase, IDisposable
{
    private IDisposable? subscription;

    [Inject] private LiveEvents Live { get; set; } = default!;
    [Inject] private CircuitConnection Connection { get; set; } = default!;

    /// <summary>Reads everything the page shows (also after a resync or a reconnect).</summary>
    protected abstract Task ReloadAsync();

    /// <summary>Applies a batch; the default reloads when any event in it is of interest.</summary>
    protected virtual Task OnLiveEventsAsync(IReadOnlyList<LiveEvent> batch) =>
        batch.Any(IsOfInterest) ? ReloadAsync() : Task.CompletedTask;

    /// <summary>Whether an event may change what this page shows.</summary>
    protected virtual bool IsOfInterest(LiveEvent liveEvent) => true;

    protected override void OnInitialized()
    {
        if (RendererInfo.IsInteractive)
        {
            subscription = Live.Subscribe(batch => InvokeAsync(async () =>
            {
                if (batch.Any(e => e is ResyncNeeded))
                {
                    await ReloadAsync();
                }
                else
                {
                    await OnLiveEventsAsync(batch);
                }

                StateHasChanged();
            }));
            Connection.Reconnected += OnReconnectedAsync;
        }
    }

    private Task OnReconnectedAsync() => InvokeAsync(async () =>
    {
        await ReloadAsync();
        StateHasChanged();
    });

    public virtual void Dispose()
    {
        subscription?.Dispose();
        Connection.Reconnected -= OnReconnectedAsync;
        GC.SuppressFinalize(this);
    }
}
