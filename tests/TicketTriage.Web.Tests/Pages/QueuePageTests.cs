using System.Globalization;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Queue;
using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Pages;

/// <summary>The queue page's first (prerendered) answer. Each test gets its own database.</summary>
public sealed class QueuePageTests : IAsyncLifetime
{
    // The tests seed priorities (and unscored tickets) themselves; a running triage worker would score the unscored
    // ones behind their back, so which of them sort last would depend on timing.
    private readonly TriageAppFactory factory = new() { Settings = { ["Triage:Enabled"] = "false" } };
    private UiClient client = null!;

    public async ValueTask InitializeAsync() =>
        client = await UiClient.SignedInAsync(factory, TriageAppFactory.AdminEmail, TriageAppFactory.AdminPassword);

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await factory.DisposeAsync();
    }

    private static IEnumerable<long> Rows(AngleSharp.Html.Dom.IHtmlDocument page) =>
        page.QuerySelectorAll("[data-test=queue] tbody tr[data-ticket-id]").Select(r => long.Parse(r.GetAttribute("data-ticket-id")!, CultureInfo.InvariantCulture));

    [Fact]
    public async Task Walking_the_next_page_links_shows_every_ticket_once_by_priority_then_newest_with_unscored_last()
    {
        // 130 tickets: scores with ties (five values), a third unscored; times with ties (13 instants). Ties on score
        // fall back to time, ties on time to id; nothing is skipped or repeated across pages.
        var start = new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc);
        var expected = new List<(double? Score, DateTime At, long Id)>();
        for (var i = 0; i < 130; i++)
        {
            var at = start.AddMinutes(i / 10);
            double? score = i % 3 == 0 ? null : (i % 5) / 4.0;
            expected.Add((score, at, await Seed.TicketAsync(factory, $"Ticket {i}", createdAt: at, priority: score)));
        }

        var seen = new List<long>();
        var path = "/queue";
        var pages = 0;
        while (true)
        {
            var page = await client.GetPageAsync(path);
            pages++;
            seen.AddRange(Rows(page));
            var next = page.QuerySelector("a[data-test=next-page]");
            if (next is null)
            {
                break;
            }

            path = next.GetAttribute("href")!;
        }

        Assert.Equal(3, pages);
        Assert.Equal(expected.OrderByDescending(e => e.Score.HasValue).ThenByDescending(e => e.Score)
            .ThenByDescending(e => e.At).ThenByDescending(e => e.Id).Select(e => e.Id), seen);
    }

    [Fact]
    public async Task The_filters_show_only_matching_tickets()
    {
        var open = await Seed.TicketAsync(factory, "Open one", status: TicketStatus.Open);
        await Seed.TicketAsync(factory, "New one", status: TicketStatus.New);
        var mine = await Seed.TicketAsync(factory, "Mine", status: TicketStatus.Open, assigneeId: 1);
        await using (var db = factory.CreateDbContext())
        {
            var t = await db.Tickets.FindAsync([open], TestContext.Current.CancellationToken);
            t!.Category = "billing";
            t.PatternId = 77;
            var review = await db.Tickets.FindAsync([mine], TestContext.Current.CancellationToken);
            review!.TriagedAt = DateTime.UtcNow;
            review.NeedsReview = true;
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal([mine, open], Rows(await client.GetPageAsync("/queue?status=Open")));
        Assert.Equal([open], Rows(await client.GetPageAsync("/queue?category=billing")));
        Assert.Equal([open], Rows(await client.GetPageAsync("/queue?pattern=77")));
        Assert.Equal([mine], Rows(await client.GetPageAsync("/queue?mine=true")));  // the admin is user 1
        Assert.Equal([mine], Rows(await client.GetPageAsync("/queue?review=true")));
    }

    [Fact]
    public async Task An_unknown_status_or_a_broken_cursor_still_shows_the_queue_and_says_what_was_ignored()
    {
        await Seed.TicketAsync(factory, "Visible");

        var unknown = await client.GetPageAsync("/queue?status=Bogus");
        var broken = await client.GetPageAsync("/queue?after=not-a-cursor");

        Assert.Contains("unknown status", unknown.QuerySelector(".mud-alert")!.TextContent, StringComparison.Ordinal);
        Assert.Single(Rows(unknown));
        Assert.Single(Rows(broken));
    }

    [Fact]
    public async Task Paging_past_the_end_says_so_and_links_to_the_first_page()
    {
        await Seed.TicketAsync(factory, "Only one", priority: 0.5);
        var past = new QueueCursor(0.1, DateTime.UtcNow, 1);

        var page = await client.GetPageAsync("/queue?after=" + Uri.EscapeDataString(past.ToString()));

        Assert.Empty(Rows(page));
        var empty = page.QuerySelector("[data-test=queue-empty]")!;
        Assert.Contains("No more tickets past this point", empty.TextContent, StringComparison.Ordinal);
        Assert.Equal("/queue", empty.QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task A_hostile_subject_is_text_on_the_queue_page()
    {
        const string hostile = "<script>window.__pwned=1</script>";
        await Seed.TicketAsync(factory, hostile, body: "<img src=x onerror=alert(1)>", priority: 0.9, priorityReasons: """["<b>vip</b>"]""");

        var page = await client.GetPageAsync("/queue");

        Assert.Equal(hostile, page.QuerySelector("td.subject a")!.TextContent);
        Assert.Empty(page.QuerySelectorAll("main script, main img, main b"));
    }

    [Fact]
    public async Task Pages_forbid_inline_and_foreign_script_through_the_content_security_policy()
    {
        var response = await client.Http.GetAsync("/queue", TestContext.Current.CancellationToken);

        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join("", response.Headers.GetValues("X-Content-Type-Options")));
        var page = UiClient.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.All(page.QuerySelectorAll("script"), s => Assert.False(string.IsNullOrEmpty(s.GetAttribute("src")), "inline script: " + s.OuterHtml));
        Assert.DoesNotContain(page.All, e => e.Attributes.Any(a => a.Name.StartsWith("on", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Unknown_pages_get_the_apps_own_404_page_and_the_favicon_is_served()
    {
        var missing = await client.GetPageAsync("/no-such-page", System.Net.HttpStatusCode.NotFound);
        Assert.True(missing.QuerySelector("[data-page=not-found]") is not null, missing.DocumentElement.OuterHtml);

        var queue = await client.GetPageAsync("/queue");
        var icon = queue.QuerySelector("link[rel=icon]")!.GetAttribute("href")!;
        var response = await client.Http.GetAsync(icon, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType!.MediaType);
    }
}
