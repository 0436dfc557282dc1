using System.Net;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Queue;
using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Pages;

/// <summary>Each test gets its own database: the queue's content is what is asserted.</summary>
public sealed class QueuePageTests : IAsyncLifetime
{
    private readonly TriageAppFactory factory = new();
    private UiClient client = null!;

    public async ValueTask InitializeAsync() =>
        client = await UiClient.SignedInAsync(factory, TriageAppFactory.AdminEmail, TriageAppFactory.AdminPassword);

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await factory.DisposeAsync();
    }

    [Fact]
    public async Task Walking_the_older_links_shows_every_ticket_once_newest_first_even_with_equal_times()
    {
        // 130 tickets, ten at each of 13 instants: ties on CreatedAt must be broken by id, not skipped or repeated.
        var start = new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc);
        var expected = new List<(DateTime At, long Id)>();
        for (var i = 0; i < 130; i++)
        {
            var at = start.AddMinutes(i / 10);
            expected.Add((at, await Seed.TicketAsync(factory, $"Ticket {i}", createdAt: at)));
        }

        var seen = new List<long>();
        var path = "/queue";
        var pages = 0;
        while (true)
        {
            var page = await client.GetPageAsync(path);
            pages++;
            seen.AddRange(page.QuerySelectorAll("tbody[data-live-rows] tr[data-ticket-id]").Select(r => long.Parse(r.GetAttribute("data-ticket-id")!)));
            var older = page.QuerySelector("a[data-older]")!;
            if (older.HasAttribute("hidden"))
            {
                break;
            }

            path = older.GetAttribute("href")!;
        }

        Assert.Equal(3, pages);
        Assert.Equal(expected.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Select(e => e.Id), seen);
    }

    [Fact]
    public async Task The_status_filter_shows_only_that_status_and_joins_its_live_group()
    {
        var open = await Seed.TicketAsync(factory, "Open one", status: TicketStatus.Open);
        await Seed.TicketAsync(factory, "New one", status: TicketStatus.New);

        var page = await client.GetPageAsync("/queue?status=Open");

        var row = Assert.Single(page.QuerySelectorAll("tbody tr[data-ticket-id]"));
        Assert.Equal(open.ToString(System.Globalization.CultureInfo.InvariantCulture), row.GetAttribute("data-ticket-id"));
        Assert.Equal(QueueLivePublisher.StatusGroup(TicketStatus.Open), page.QuerySelector("[data-live-group]")!.GetAttribute("data-live-group"));
        Assert.Equal("Open", page.QuerySelector(".filters a.active")!.TextContent);
    }

    [Fact]
    public async Task Only_the_first_page_subscribes_to_live_rows()
    {
        for (var i = 0; i < TicketQueue.PageSize + 1; i++)
        {
            await Seed.TicketAsync(factory, $"T{i}");
        }

        var first = await client.GetPageAsync("/queue");
        var second = await client.GetPageAsync(first.QuerySelector("a[data-older]")!.GetAttribute("href")!);

        Assert.Equal(QueueLivePublisher.AllGroup, first.QuerySelector("[data-live-group]")!.GetAttribute("data-live-group"));
        Assert.Null(second.QuerySelector("[data-live-group]"));
        Assert.Single(second.QuerySelectorAll("tbody tr[data-ticket-id]"));
    }

    [Fact]
    public async Task An_unknown_status_or_a_broken_cursor_still_shows_the_queue()
    {
        await Seed.TicketAsync(factory, "Visible");

        var unknown = await client.GetPageAsync("/queue?status=Bogus");
        var broken = await client.GetPageAsync("/queue?before=not-a-cursor");

        Assert.Contains("Unknown status", unknown.QuerySelector(".notice-error")!.TextContent, StringComparison.Ordinal);
        Assert.Single(unknown.QuerySelectorAll("tbody tr[data-ticket-id]"));
        Assert.Single(broken.QuerySelectorAll("tbody tr[data-ticket-id]"));
    }

    [Fact]
    public async Task A_hostile_subject_is_text_on_the_queue_page()
    {
        const string hostile = "<script>window.__pwned=1</script>";
        await Seed.TicketAsync(factory, hostile, body: "<img src=x onerror=alert(1)>");

        var page = await client.GetPageAsync("/queue");

        Assert.Equal(hostile, page.QuerySelector("td.subject a")!.TextContent);
        Assert.Empty(page.QuerySelectorAll("main script, main img"));
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
        Assert.DoesNotContain(page.All, e => e.Attributes.Any(a => a.Name.StartsWith("on", StringComparison.Ordinal) || a.Name.StartsWith("hx-on", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_page_carries_the_antiforgery_header_for_htmx_and_shows_the_hub_state()
    {
        var page = await client.GetPageAsync("/queue");

        var headers = System.Text.Json.JsonDocument.Parse(page.Body!.GetAttribute("hx-headers")!);
        Assert.False(string.IsNullOrEmpty(headers.RootElement.GetProperty("RequestVerificationToken").GetString()));
        Assert.Equal("offline", page.QuerySelector("#hub-state")!.GetAttribute("data-hub-state"));
    }
}
