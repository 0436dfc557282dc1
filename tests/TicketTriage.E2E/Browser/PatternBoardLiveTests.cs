extern alias cli;

using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using TicketTriage.E2E.Infrastructure;
using ScenarioReplayer = cli::TicketTriage.Cli.Http.ScenarioReplayer;

namespace TicketTriage.E2E.Browser;

/// <summary>
/// A lead watches the pattern board while a surge scenario is replayed through the API at full speed (the code of
/// <c>triage replay --max</c>): an emerging pattern appears on the open page without a reload, with a snackbar.
/// Then the pattern page, a confirm, axe on both pages, and the README's screenshots of them.
/// </summary>
public sealed class PatternBoardLiveTests
{
    /// <summary>The smallest shipped scenario (about 850 tickets, two incidents, two changes).</summary>
    private const string ScenarioFile = "smilingpeanut-os-upgrade.json";

    [Fact]
    public async Task A_leads_board_shows_an_emerging_pattern_appear_live_during_a_replay()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await BrowserSession.StartAsync("pattern-board", ct);
        var page = session.Page;
        await session.SignInAsync(AppProcess.AdminEmail, AppProcess.AdminPassword);
        await page.GotoAsync("/patterns");
        await BrowserSession.WaitForCircuitAsync(page);
        await Assertions.Expect(page.Locator("[data-test=board-empty]")).ToBeVisibleAsync();
        // Set on this document only: if the card came from a reload, the marker would be gone.
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        // The replay starts once the engine is triaging, so its patterns emerge live; its start (featurizer fit) took
        // over the 60 s below beside the other E2E apps.
        await session.App.WaitForOutputAsync(AppProcess.TriageReady, AppProcess.StartUp, ct);
        using var api = session.App.CreateClient(AppProcess.ApiKey);
        var feed = ScenarioReplayer.Feed(Path.Combine(AppProcess.RepositoryRoot(), "data", "scenarios", ScenarioFile));
        var replay = await new ScenarioReplayer(api).RunAsync(feed, null, null, ct);
        session.Log($"replayed {replay.Tickets} tickets, {replay.Changes} changes in {replay.Elapsed.TotalSeconds:0.0} s");

        var emerging = page.Locator("[data-test=pattern-card]:has([data-status=emerging])").First;
        await emerging.WaitForAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasTextString = "New emerging pattern" }).First).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "The board reloaded.");
        // Emerging patterns come first.
        await Assertions.Expect(page.Locator("[data-test=pattern-card]").First.Locator("[data-test=pattern-status]")).ToHaveAttributeAsync("data-status", "emerging");

        // Let the replay's tail settle, so the screenshot shows the finished board, then check it with axe.
        await page.WaitForTimeoutAsync(1500);
        await AxeAsync(page, "patterns");
        await session.DocsScreenshotAsync(page, "patterns");

        var id = await emerging.GetAttributeAsync("data-pattern-id");
        await emerging.Locator("[data-test=pattern-title]").ClickAsync();
        await page.WaitForURLAsync($"**/patterns/{id}");
        await BrowserSession.WaitForCircuitAsync(page);
        await Assertions.Expect(page.Locator("[data-test=arrivals-chart] svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-test=reply-all]")).ToHaveAttributeAsync("href", $"/patterns/{id}/reply");
        await AxeAsync(page, "pattern page");
        await session.DocsScreenshotAsync(page, "pattern");

        // A lead action waits for the triage worker to finish its batch (it owns the engine) and save the engine's
        // state; with the replay's tail still in the worker on a loaded CI machine that can pass the 5 s default.
        await page.ClickAsync("[data-test=confirm]");
        await Assertions.Expect(page.Locator("[data-test=pattern-status]").First)
            .ToHaveAttributeAsync("data-status", "confirmed", new() { Timeout = 30_000 });

        foreach (var path in new[] { "/dashboard", "/changes" })
        {
            await page.GotoAsync(path);
            await BrowserSession.WaitForCircuitAsync(page);
            await AxeAsync(page, path);
        }

        await session.DocsScreenshotAsync(page, "changes");
        Assert.Empty(session.PageErrors);
        Assert.Empty(session.ConsoleErrors);
    }

    private static async Task AxeAsync(IPage page, string name)
    {
        await BrowserSession.SettleAnimationsAsync(page);
        var result = await page.RunAxe();
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{name}: {v.Impact} {v.Id} ({v.Help}) at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}").ToList();
        Assert.True(bad.Count == 0, string.Join("\n", bad));
    }
}
