using System.Diagnostics;
using Microsoft.Playwright;
using TicketTriage.E2E.Infrastructure;

namespace TicketTriage.E2E.Browser;

/// <summary>What an agent does in the browser, against the real app process.</summary>
public sealed class LiveQueueTests
{
    private const string Hostile = "Refund <img src=x onerror=\"window.__pwned=1;alert('img')\"><script>window.__pwned=1;alert('script')</script>";

    [Fact]
    public async Task An_agent_signs_in_sees_a_new_ticket_arrive_live_opens_it_and_replies()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await BrowserSession.StartAsync("live-queue", ct);
        var page = session.Page;

        await session.SignInAsync(AppProcess.AdminEmail, AppProcess.AdminPassword);
        await page.WaitForSelectorAsync("#hub-state[data-hub-state=connected]");
        // Set on this document only: if the row came from a reload, the marker would be gone.
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        var watch = Stopwatch.StartNew();
        var id = await session.PostTicketAsync(Hostile, "I was charged twice. <b>Please</b> refund.", ct);
        var row = page.Locator($"tr#ticket-{id}");
        await row.WaitForAsync();
        session.Log($"row for ticket {id} appeared {watch.ElapsedMilliseconds} ms after the POST was sent");

        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "The queue page reloaded.");
        Assert.Equal(Hostile, await row.Locator("td.subject a").TextContentAsync());
        Assert.Equal("1", await page.Locator("[data-live-count]").TextContentAsync());
        await session.ScreenshotAsync("queue");

        await row.Locator("td.subject a").ClickAsync();
        await page.WaitForURLAsync($"**/tickets/{id}");
        Assert.Equal(Hostile, await page.Locator("[data-test=ticket-subject]").TextContentAsync());
        Assert.Equal("node-209", await page.Locator("[data-test=customer] dd.mono").Nth(1).TextContentAsync());

        await page.FillAsync("textarea[name=body]", "Refund issued; it shows within 3 days.");
        await page.ClickAsync("form.reply button[type=submit]");
        var reply = page.Locator("#conversation article.message-agent .message-body");
        await Assertions.Expect(reply).ToHaveTextAsync("Refund issued; it shows within 3 days.");
        Assert.Equal("", await page.InputValueAsync("textarea[name=body]"));

        await page.SelectOptionAsync("select[name=status]", "Pending");
        await page.ClickAsync("aside form button[type=submit]");
        await Assertions.Expect(page.Locator("#ticket-status [data-status]")).ToHaveTextAsync("Pending");
        await session.ScreenshotAsync("ticket");

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#conversation article.message-agent .message-body")).ToHaveTextAsync("Refund issued; it shows within 3 days.");
        await Assertions.Expect(page.Locator("#ticket-status [data-status]")).ToHaveTextAsync("Pending");

        Assert.Null(await page.EvaluateAsync<int?>("() => window.__pwned ?? null"));
        Assert.Empty(session.Dialogs);
        Assert.Empty(session.PageErrors);
    }

    [Fact]
    public async Task Live_rows_are_placed_by_time_and_reach_only_the_pages_whose_filter_they_match()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await BrowserSession.StartAsync("live-order", ct);
        await session.SignInAsync(AppProcess.AdminEmail, AppProcess.AdminPassword);
        var all = session.Page;
        var newOnly = await session.Context.NewPageAsync();
        var openOnly = await session.Context.NewPageAsync();
        await newOnly.GotoAsync("/queue?status=New");
        await openOnly.GotoAsync("/queue?status=Open");
        foreach (var page in new[] { all, newOnly, openOnly })
        {
            await page.WaitForSelectorAsync("#hub-state[data-hub-state=connected]");
        }

        var recent = await session.PostTicketAsync("Recent", "Just now.", ct);
        await all.Locator($"tr#ticket-{recent}").WaitForAsync();
        // Imported late, raised two days ago: it belongs below the recent one, not on top.
        var old = await session.PostTicketAsync("Old", "From the import.", ct, DateTimeOffset.UtcNow.AddDays(-2));
        await all.Locator($"tr#ticket-{old}").WaitForAsync();
        await newOnly.Locator($"tr#ticket-{old}").WaitForAsync();

        Assert.Equal([$"ticket-{recent}", $"ticket-{old}"], await all.Locator("tbody tr[data-ticket-id]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.id)"));
        Assert.Equal([$"ticket-{recent}", $"ticket-{old}"], await newOnly.Locator("tbody tr[data-ticket-id]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.id)"));
        Assert.Equal(0, await openOnly.Locator("tbody tr[data-ticket-id]").CountAsync());
        Assert.Equal("2", await all.Locator("[data-live-count]").TextContentAsync());
    }

    [Fact]
    public async Task The_hostile_subject_runs_nothing_on_a_fresh_load_of_the_queue_and_the_ticket()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await BrowserSession.StartAsync("hostile", ct);
        var page = session.Page;
        var id = await session.PostTicketAsync(Hostile, Hostile, ct);

        await session.SignInAsync(AppProcess.AdminEmail, AppProcess.AdminPassword);
        await Assertions.Expect(page.Locator($"tr#ticket-{id} td.subject a")).ToHaveTextAsync(Hostile);
        await page.GotoAsync($"/tickets/{id}");
        await Assertions.Expect(page.Locator("#conversation .message-body").First).ToHaveTextAsync(Hostile);

        Assert.Null(await page.EvaluateAsync<int?>("() => window.__pwned ?? null"));
        Assert.Empty(session.Dialogs);
        Assert.Equal(0, await page.Locator("main img, main script").CountAsync());
    }

    [Fact]
    public async Task A_wrong_password_keeps_the_visitor_on_the_sign_in_page_with_an_error()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await BrowserSession.StartAsync("signin-error", ct);
        var page = session.Page;

        await page.GotoAsync("/signin");
        await page.FillAsync("input[name='Input.Email']", AppProcess.AdminEmail);
        await page.FillAsync("input[name='Input.Password']", "not-the-password");
        await page.ClickAsync("button[type=submit]");

        await Assertions.Expect(page.Locator("[data-test=signin-error]")).ToContainTextAsync("not right");
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
    }
}
