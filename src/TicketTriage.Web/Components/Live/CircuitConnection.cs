using Microsoft.AspNetCore.Components.Server.Circuits;

namespace TicketTriage.Web.Components.Live;

/// <summary>
/// The state of this circuit's connection, for pages that show live data. While the browser is away the server
/// keeps rendering into the circuit and resends unacknowledged renders on reconnect; pages still reload their data
/// on <see cref="Reconnected"/>, so anything a coalesced or dropped event missed is fetched once (no "reload"
/// notice). Scoped: one per circuit.
/// </summary>
internal sealed class CircuitConnection : CircuitHandler
{
    /// <summary>Raised when the browser's connection to this circuit comes back after a drop.</summary>
    public event Func<Task>? Reconnected;

    public bool IsUp { get; private set; } = true;

    public override async Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        var wasDown = !IsUp;
        IsUp = true;
        if (wasDown && Reconnected is { } handlers)
        {
            foreach (var handler in handlers.GetInvocationList().Cast<Func<Task>>())
            {
                await handler();
            }
        }
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        IsUp = false;
        return Task.CompletedTask;
    }
}
