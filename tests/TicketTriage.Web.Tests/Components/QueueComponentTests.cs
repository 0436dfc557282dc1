using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using TicketTriage.Web.Features.Live;
using TicketTriage.Web.Features.Queue;

namespace TicketTriage.Web.Tests.Components;

public sealed class QueueComponentTests : ComponentFixture
{
    private static QueueItem Item(long id, string subject, double? score, string? reasons) =>
        new(id, subject, "preview", Domain.TicketStatus.New, "email", DateTime.UtcNow, score, reasons, null, null, null, null, null,
            "Mallory", "m@example.com", "pro", "node-209");

    [Fact]
    public async Task Priority_reasons_expand_on_click_and_hostile_text_stays_text()
    {
        RenderProviders();
        const string hostile = "<img src=x onerror=alert(1)>";
        var table = Render<QueueTable>(p => p.Add(t => t.Items, [Item(7, hostile, 0.91, """["VIP tier","<b>node-209 outage</b>"]""")]));

        Assert.Empty(table.FindAll("[data-test=reasons]"));
        Assert.Equal("false", table.Find("[data-test=priority]").GetAttribute("aria-expanded"));
        await table.Find("[data-test=priority]").ClickAsync(new());

        Assert.Equal(["VIP tier", "<b>node-209 outage</b>"], table.FindAll("[data-test=reasons] li").Select(li => li.TextContent));
        Assert.Equal("true", table.Find("[data-test=priority]").GetAttribute("aria-expanded"));
        Assert.Equal(hostile, table.Find("td.subject a").TextContent);
        Assert.Empty(table.FindAll("img, b"));
        await table.Find("[data-test=priority]").ClickAsync(new());
        Assert.Empty(table.FindAll("[data-test=reasons]"));
    }

    [Fact]
    public async Task The_filter_bar_reports_the_mine_and_needs_review_switches()
    {
        RenderProviders();
        var reported = new List<(QueueFilter Filter, bool Mine)>();
        var filters = Render<QueueFilters>(p => p
            .Add(f => f.Value, new QueueFilter(Category: "billing"))
            .Add(f => f.Changed, v => reported.Add(v)));

        // Awaited: Change alone is fire-and-forget, and the assertions below would race a busy renderer.
        await filters.Find("input[data-test=filter-mine]").ChangeAsync(new ChangeEventArgs { Value = true });
        await filters.Find("input[data-test=filter-review]").ChangeAsync(new ChangeEventArgs { Value = true });

        Assert.Equal((new QueueFilter(Category: "billing"), true), reported[0]);
        Assert.Equal((new QueueFilter(Category: "billing", NeedsReview: true), false), reported[1]);
    }

    [Fact]
    public async Task The_queue_page_shows_new_tickets_live_in_priority_order_and_marks_them_new()
    {
        RenderProviders();
        var low = await AddTicketAsync("Low", priority: 0.1);
        var page = Render<QueuePage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr[data-ticket-id]")));

        var urgent = await AddTicketAsync("Urgent", priority: 0.95);
        Services.GetRequiredService<LiveEvents>().Publish(new TicketsStored([urgent]));

        page.WaitForAssertion(() => Assert.Equal([$"{urgent}", $"{low}"],
            page.FindAll("tr[data-ticket-id]").Select(r => r.GetAttribute("data-ticket-id")!)), TimeSpan.FromSeconds(10));
        Assert.Contains("row-new", page.Find($"tr#ticket-{urgent}").ClassList);
        Assert.DoesNotContain("row-new", page.Find($"tr#ticket-{low}").ClassList);
        Assert.Contains("1 new since you opened it", page.Find("[data-test=queue-count]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_live_page_unsubscribes_when_it_is_disposed()
    {
        RenderProviders();
        var live = Services.GetRequiredService<LiveEvents>();
        await AddTicketAsync("One");
        var page = Render<QueuePage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr[data-ticket-id]")));
        Assert.Equal(1, live.SubscriberCount);

        await DisposeComponentsAsync();

        Assert.Equal(0, live.SubscriberCount);
    }

    [Fact]
    public async Task Next_ticket_claims_and_opens_the_top_ticket()
    {
        RenderProviders();
        await AddTicketAsync("Second", priority: 0.5);
        var top = await AddTicketAsync("Top", priority: 0.9);
        var page = Render<QueuePage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tr[data-ticket-id]").Count));

        await page.Find("[data-test=next-ticket]").ClickAsync(new());

        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        page.WaitForAssertion(() => Assert.EndsWith($"/tickets/{top}", navigation.Uri, StringComparison.Ordinal));
        await using var db = CreateDbContext();
        Assert.Equal(1, db.Tickets.Single(t => t.Id == top).AssigneeId);
    }
}
