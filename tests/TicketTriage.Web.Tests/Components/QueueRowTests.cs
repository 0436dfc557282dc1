using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Queue;

namespace TicketTriage.Web.Tests.Components;

public sealed class QueueRowTests
{
    private static QueueItem Item(long id = 42, string subject = "Cannot log in", string preview = "Since this morning",
        string? name = "Ada Lovelace", TicketStatus status = TicketStatus.Open) =>
        new(id, subject, preview, status, "email", ComponentHarness.Now.UtcDateTime.AddMinutes(-5), name, "ada@example.com", "pro", "node-209");

    [Fact]
    public async Task A_row_links_to_its_ticket_and_shows_customer_status_and_age()
    {
        await using var harness = new ComponentHarness();
        var body = await harness.RenderAsync<QueueRow>(new { Item = Item() }, rows: true);

        var row = Assert.Single(body.QuerySelectorAll("tr"));
        Assert.Equal("ticket-42", row.Id);
        Assert.Equal("/tickets/42", row.QuerySelector("td.subject a")!.GetAttribute("href"));
        Assert.Equal("Cannot log in", row.QuerySelector("td.subject a")!.TextContent);
        Assert.Equal("Open", row.QuerySelector("[data-status]")!.GetAttribute("data-status"));
        Assert.Contains("pro · node-209", row.QuerySelector("td.customer")!.TextContent);
        Assert.Equal("5 min ago", row.QuerySelector("time[data-age]")!.TextContent);
        Assert.Equal($"{ComponentHarness.Now.UtcDateTime.AddMinutes(-5).Ticks},42", row.GetAttribute("data-cursor"));
    }

    [Fact]
    public async Task Hostile_subject_preview_and_customer_render_as_text()
    {
        const string script = "<script>window.__pwned = 1</script>";
        const string image = "<img src=x onerror=\"window.__pwned = 1\">";
        await using var harness = new ComponentHarness();
        var body = await harness.RenderAsync<QueueRow>(new { Item = Item(subject: script, preview: image, name: image) }, rows: true);

        Assert.Empty(body.QuerySelectorAll("script"));
        Assert.Empty(body.QuerySelectorAll("img"));
        Assert.Empty(body.QuerySelectorAll("[onerror]"));
        Assert.Equal(script, body.QuerySelector("td.subject a")!.TextContent);
        Assert.Equal(image, body.QuerySelector(".preview")!.TextContent);
    }

    [Fact]
    public async Task Pushed_rows_carry_no_form_and_no_antiforgery_token()
    {
        // Rows are broadcast to every open queue page: a form or token in them would be one user's, shown to all.
        await using var harness = new ComponentHarness();
        var html = await harness.HtmlAsync<QueueRows>(new { Items = new[] { Item(1), Item(2), Item(3) } });
        var body = await harness.RenderAsync<QueueRows>(new { Items = new[] { Item(1), Item(2), Item(3) } }, rows: true);

        Assert.Equal(["ticket-1", "ticket-2", "ticket-3"], body.QuerySelectorAll("tr").Select(r => r.Id));
        Assert.Empty(body.QuerySelectorAll("form"));
        Assert.DoesNotContain("RequestVerificationToken", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cursor_round_trips_with_full_precision_and_rejects_garbage()
    {
        var cursor = new QueueCursor(new DateTime(2026, 11, 21, 10, 0, 0, DateTimeKind.Utc).AddTicks(1234567), 99);

        Assert.Equal(cursor, QueueCursor.Parse(cursor.ToString()));
        Assert.Null(QueueCursor.Parse("abc"));
        Assert.Null(QueueCursor.Parse("1,2,3"));
        Assert.Null(QueueCursor.Parse("-5,2"));
        Assert.Null(QueueCursor.Parse($"{long.MaxValue},1"));
        Assert.Null(QueueCursor.Parse(""));
    }
}
