using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Queue;
using TicketTriage.Web.Hubs;
using TicketTriage.Web.Tests.Infrastructure;
using TicketTriage.Web.Tests.Pages;

namespace TicketTriage.Web.Tests.Live;

/// <summary>What the publisher sends to the hub groups, captured in place of SignalR (the browser side is in E2E).</summary>
public sealed class QueueLivePublisherTests : IAsyncLifetime
{
    private readonly RecordingHub hub = new();
    private readonly TriageAppFactory factory;

    public QueueLivePublisherTests() =>
        factory = new TriageAppFactory { ConfigureTestServices = s => s.AddSingleton<IHubContext<LiveHub>>(hub) };

    public ValueTask InitializeAsync()
    {
        _ = factory.Services; // starts the host, and with it the publisher's loop
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    [Fact]
    public async Task A_stored_ticket_is_pushed_as_a_rendered_row_to_all_and_to_its_status_group()
    {
        var id = await Seed.TicketAsync(factory, "<script>window.__pwned=1</script>");

        factory.Services.GetRequiredService<ITicketEvents>().TicketsStored([id]);
        var sends = await hub.WaitForAsync(2);

        Assert.Equal([QueueLivePublisher.AllGroup, QueueLivePublisher.StatusGroup(TicketStatus.New)], sends.Select(s => s.Group).Order());
        foreach (var send in sends)
        {
            Assert.Equal(LiveHub.QueueRows, send.Method);
            Assert.Equal("new", send.Args[1]);
            Assert.Equal(1, send.Args[2]);
            var rows = UiClient.Parse($"<table><tbody>{send.Args[0]}</tbody></table>").QuerySelectorAll("tbody tr");
            var row = Assert.Single(rows);
            Assert.Equal($"ticket-{id}", row.Id);
            Assert.Equal("<script>window.__pwned=1</script>", row.QuerySelector("td.subject a")!.TextContent);
        }
    }

    [Fact]
    public async Task A_burst_is_coalesced_into_few_pushes_with_the_newest_rows_and_the_full_count()
    {
        var ids = new List<long>();
        for (var i = 0; i < 120; i++)
        {
            ids.Add(await Seed.TicketAsync(factory, $"Burst {i}"));
        }

        var events = factory.Services.GetRequiredService<ITicketEvents>();
        foreach (var id in ids)
        {
            events.TicketsStored([id]);
        }

        await hub.WaitForCountAsync(QueueLivePublisher.AllGroup, 120);
        var all = hub.Sends.Where(s => s.Group == QueueLivePublisher.AllGroup).ToList();
        Assert.InRange(all.Count, 1, 10);
        Assert.All(all, s => Assert.InRange(UiClient.Parse($"<table><tbody>{s.Args[0]}</tbody></table>").QuerySelectorAll("tbody tr").Length, 1, QueueLivePublisher.MaxRowsPerPush));
        var newest = UiClient.Parse($"<table><tbody>{all[^1].Args[0]}</tbody></table>").QuerySelector("tbody tr")!;
        Assert.Equal($"ticket-{ids[^1]}", newest.Id);
    }

    [Fact]
    public async Task A_changed_ticket_is_pushed_for_in_place_redraw()
    {
        var id = await Seed.TicketAsync(factory, "Changed", status: TicketStatus.Solved);

        factory.Services.GetRequiredService<ITicketEvents>().TicketsChanged([id]);
        var sends = await hub.WaitForAsync(2);

        Assert.All(sends, s => Assert.Equal("changed", s.Args[1]));
        Assert.Contains(sends, s => s.Group == QueueLivePublisher.StatusGroup(TicketStatus.Solved));
    }

    internal sealed record Send(string Group, string Method, object?[] Args);

    private sealed class RecordingHub : IHubContext<LiveHub>
    {
        public ConcurrentQueue<Send> Sends { get; } = new();

        public IHubClients Clients => new RecordingClients(this);
        public IGroupManager Groups => throw new NotSupportedException();

        public async Task<List<Send>> WaitForAsync(int count)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (Sends.Count < count && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }

            await Task.Delay(300, TestContext.Current.CancellationToken); // nothing more should follow
            Assert.Equal(count, Sends.Count);
            return [.. Sends];
        }

        public async Task WaitForCountAsync(string group, int tickets)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (Sends.Where(s => s.Group == group).Sum(s => (int)s.Args[2]!) < tickets && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }

            Assert.Equal(tickets, Sends.Where(s => s.Group == group).Sum(s => (int)s.Args[2]!));
        }

    }

    private sealed class RecordingClients(RecordingHub hub) : IHubClients
    {
        public IClientProxy Group(string groupName) => new Proxy(hub, groupName);
        public IClientProxy All => throw new NotSupportedException();
        public IClientProxy AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();
        public IClientProxy Client(string connectionId) => throw new NotSupportedException();
        public IClientProxy Clients(IReadOnlyList<string> connectionIds) => throw new NotSupportedException();
        public IClientProxy GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();
        public IClientProxy Groups(IReadOnlyList<string> groupNames) => throw new NotSupportedException();
        public IClientProxy User(string userId) => throw new NotSupportedException();
        public IClientProxy Users(IReadOnlyList<string> userIds) => throw new NotSupportedException();

        private sealed class Proxy(RecordingHub hub, string group) : IClientProxy
        {
            public Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default)
            {
                hub.Sends.Enqueue(new Send(group, method, args));
                return Task.CompletedTask;
            }
        }
    }
}
