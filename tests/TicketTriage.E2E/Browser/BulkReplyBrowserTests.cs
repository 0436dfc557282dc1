using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using TicketTriage.E2E.Infrastructure;

namespace TicketTriage.E2E.Browser;

/// <summary>
/// A bulk reply in the browser: an agent is refused the composer; a lead previews and sends to a pattern formed by
/// real ingest and triage; the agent then sees the reply on one of its tickets; the lead posts a public incident update
/// and an anonymous browser sees the confirmed incident on /status.
/// </summary>
public sealed class BulkReplyBrowserTests
{
    private const int Tickets = 60;

    [Fact]
    public async Task A_lead_sends_to_a_pattern_an_agent_is_refused_the_composer_sees_the_reply_and_status_shows_the_incident()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await BrowserSession.StartAsync("bulk-reply", ct, demoData: true);
        var (patternId, ticketId) = await PatternAsync(session.App, ct);

        var agent = await session.NewPersonAsync("agent");
        await BrowserSession.SignInAsync(agent, "agent@example.com", "agent-demo-password");
        var refused = await agent.GotoAsync($"/patterns/{patternId}/reply");
        Assert.Equal(403, refused!.Status);
        Assert.Contains("/denied", agent.Url, StringComparison.Ordinal);

        var lead = session.Page;
        await session.SignInAsync("lead@example.com", "lead-demo-password");
        await lead.GotoAsync($"/patterns/{patternId}/reply");
        await BrowserSession.WaitForCircuitAsync(lead);
        await lead.FillAsync("#bulk-body", "Hello {{customer.name}}, the quota bug on {{customer.server}} is fixed.");
        await Assertions.Expect(lead.Locator("[data-test=preview-item]").Filter(new() { HasText = "To quota" }).First).ToContainTextAsync("the quota bug on mx-");
        await Assertions.Expect(lead.Locator("[data-test=recipient-count]")).ToContainTextAsync($"{Tickets} of {Tickets}");
        await lead.ClickAsync("[data-test=bulk-send]");
        await Assertions.Expect(lead.Locator("[data-test=bulk-progress]")).ToHaveAttributeAsync("data-state", "done", new() { Timeout = 30_000 });
        await Assertions.Expect(lead.Locator("[data-test=bulk-sent]")).ToHaveTextAsync(Tickets.ToString(System.Globalization.CultureInfo.InvariantCulture));

        await agent.GotoAsync($"/tickets/{ticketId}");
        await BrowserSession.WaitForCircuitAsync(agent);
        await Assertions.Expect(agent.Locator("#conversation article.message-agent .message-body").First).ToContainTextAsync("the quota bug on mx-");

        // The lead posts a public update (which confirms the pattern); an anonymous browser sees it on /status.
        await lead.GotoAsync($"/patterns/{patternId}/incident");
        await BrowserSession.WaitForCircuitAsync(lead);
        await lead.FillAsync("#incident-title", "Mail bounces with quota exceeded");
        await lead.FillAsync("#incident-components", "mail, eu-west");
        await lead.FillAsync("#incident-body", "Mailboxes on mx-101 to mx-103 refused mail; the quota is fixed and we are watching.");
        await lead.ClickAsync("[data-test=incident-post]");
        await Assertions.Expect(lead.Locator("[data-test=incident-updates]")).ToContainTextAsync("the quota is fixed");

        var visitor = await session.NewPersonAsync("anonymous");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var shown = false;
        while (!shown && DateTime.UtcNow < deadline)
        {
            var response = await visitor.GotoAsync("/status");
            Assert.Equal(200, response!.Status);
            Assert.EndsWith("/status", visitor.Url, StringComparison.Ordinal);
            shown = await visitor.Locator("section.incident h2", new() { HasTextString = "Mail bounces with quota exceeded" }).CountAsync() > 0;
            if (!shown)
            {
                await Task.Delay(500, ct); // The page is cached for a moment.
            }
        }

        Assert.True(shown, "The confirmed incident did not appear on /status.");
        await Assertions.Expect(visitor.Locator("section.incident .component").First).ToHaveTextAsync("mail");
        Assert.Empty(session.PageErrors);
    }

    /// <summary>Posts tickets about one bug and waits until triage put them into one pattern: (pattern, one ticket).</summary>
    private static async Task<(long PatternId, long TicketId)> PatternAsync(AppProcess app, CancellationToken ct)
    {
        using var client = app.CreateClient(AppProcess.ApiKey);
        // The engine's start (featurizer fit on the demo history) is not what the deadline below times.
        await app.WaitForOutputAsync(AppProcess.TriageReady, AppProcess.StartUp, ct);
        var batch = new
        {
            tickets = Enumerable.Range(0, Tickets).Select(i => new
            {
                source = "bulk-browser",
                externalId = $"b{i}",
                // Worded apart from the demo data's tickets ("Mailbox full … increase the quota", "Migrate from another
                // host"), which are other problems: the pattern must be these tickets alone for the recipient count.
                subject = "Every incoming mail bounces with 552 5.2.2 since last night",
                body = $"Since last night every incoming mail bounces with 552 5.2.2 although nothing changed on our side. Customer {i}",
                channel = "email",
                customer = new { email = $"quota{i}@example.com", name = $"Customer {i}", server = $"mx-{101 + (i % 3)}" },
            }).ToList(),
        };
        using (var posted = await client.PostAsJsonAsync("/api/tickets/batch", batch, ct))
        {
            posted.EnsureSuccessStatusCode();
        }

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var items = (await client.GetFromJsonAsync<JsonElement>("/api/tickets?source=bulk-browser&limit=1000", ct)).GetProperty("items").EnumerateArray().ToList();
            if (items.Count == Tickets && items.All(t => t.GetProperty("patternId").ValueKind == JsonValueKind.Number))
            {
                var pattern = Assert.Single(items.Select(t => t.GetProperty("patternId").GetInt64()).Distinct());
                return (pattern, items[0].GetProperty("id").GetInt64());
            }

            Assert.True(DateTime.UtcNow < deadline, "Triage did not put the tickets into a pattern in time.");
            await Task.Delay(200, ct);
        }
    }
}
