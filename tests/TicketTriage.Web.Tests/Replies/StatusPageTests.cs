using System.Net;
using System.Xml.Linq;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.BulkReplies;
using TicketTriage.Web.Features.Status;
using Microsoft.Extensions.DependencyInjection;
using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Replies;

/// <summary>The public status page and its feed: no sign-in, confirmed incidents only, text encoded, cacheable.</summary>
public sealed class StatusPageTests : IAsyncLifetime
{
    private readonly TriageAppFactory factory = ReplySeed.Factory();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    [Fact]
    public async Task An_anonymous_visitor_sees_confirmed_incidents_and_their_updates_encoded_but_not_other_patterns()
    {
        var (confirmed, _) = await ReplySeed.PatternAsync(factory, 3, PatternStatus.Confirmed, title: "restores fail on node-209");
        var (emerging, _) = await ReplySeed.PatternAsync(factory, 3, PatternStatus.Emerging, title: "secret internal pattern");
        var (updated, _) = await ReplySeed.PatternAsync(factory, 3, PatternStatus.Emerging, title: "mail delays");
        using var anonymous = factory.CreateClient(new() { AllowAutoRedirect = false });
        using var before = await anonymous.GetAsync("/status", Ct);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        var updates = factory.Services.GetRequiredService<IncidentUpdates>();
        var posted = await updates.PostAsync(updated, new IncidentUpdateRequest("Mail delays <script>alert(1)</script>", IncidentState.Identified,
            "Queue on mx-2 is <b>draining</b>.", "mx-2, ams1", false, null), new BulkReplyActor("lead@example.com", null), "k1", Ct);
        Assert.Null(posted.Error);

        using var response = await anonymous.GetAsync("/status", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("public", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("restores fail on node-209", html, StringComparison.Ordinal);
        Assert.Contains("node-209", html, StringComparison.Ordinal);
        Assert.Contains("Mail delays &lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;draining&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("secret internal pattern", html, StringComparison.Ordinal);
        Assert.Contains("2 active incidents", html, StringComparison.Ordinal);
        Assert.Contains($"incident-{confirmed}", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"incident-{emerging}", html, StringComparison.Ordinal);

        await using (var db = factory.CreateDbContext())
        {
            Assert.Equal(PatternStatus.Confirmed, (await db.Patterns.FindAsync([updated], Ct))!.Status);
        }

        using var feed = await anonymous.GetAsync("/status/feed", Ct);
        Assert.Equal("application/atom+xml", feed.Content.Headers.ContentType?.MediaType);
        var atom = XDocument.Parse(await feed.Content.ReadAsStringAsync(Ct));
        XNamespace ns = "http://www.w3.org/2005/Atom";
        var entries = atom.Root!.Elements(ns + "entry").ToList();
        Assert.Equal(2, entries.Count);
        Assert.Contains(entries, e => e.Element(ns + "content")!.Value == "Queue on mx-2 is <b>draining</b>.");

        // Unchanged: a conditional request costs nothing.
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/status");
        conditional.Headers.TryAddWithoutValidation("If-None-Match", response.Headers.ETag!.ToString());
        using var notModified = await anonymous.SendAsync(conditional, Ct);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }
}
