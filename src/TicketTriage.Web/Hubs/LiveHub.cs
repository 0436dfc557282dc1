using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR;

namespace TicketTriage.Web.Hubs;

/// <summary>
/// Thin hub: browsers join groups (<c>queue:all</c>, <c>queue:status:Open</c>) and receive server-rendered
/// fragments that services send through <see cref="IHubContext{THub}"/>. It holds no state, so any instance can
/// serve any browser and a surge of agents costs one connection each, not a circuit.
/// </summary>
internal sealed partial class LiveHub : Hub
{
    public const string Path = "/hubs/live";

    /// <summary>Client method receiving queue rows: (string html, int count).</summary>
    public const string QueueRows = "queueRows";

    public Task Join(string group) =>
        GroupName().IsMatch(group)
            ? Groups.AddToGroupAsync(Context.ConnectionId, group)
            : throw new HubException("Unknown group.");

    public Task Leave(string group) => Groups.RemoveFromGroupAsync(Context.ConnectionId, group);

    [GeneratedRegex("^queue:(all|status:[A-Za-z]{1,32})$")]
    private static partial Regex GroupName();
}
