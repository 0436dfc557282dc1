using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.People;
using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Pages;

/// <summary>The README's security defaults, each checked against the running app.</summary>
public sealed class SecurityDefaultsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_production_start_without_the_switch_creates_no_demo_users()
    {
        await using var app = new TriageAppFactory { Environment = "Production", DemoSeed = null };
        _ = app.Services;

        await using var db = app.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => BootstrapAccounts.DemoUsers.Keys.Contains(u.Email), Ct));
        Assert.False(await db.Customers.AnyAsync(Ct));
    }

    [Fact]
    public async Task A_development_start_seeds_the_demo_data_and_its_sign_ins_work()
    {
        await using var app = new TriageAppFactory { Environment = "Development", DemoSeed = null };
        using var client = UiClient.Anonymous(app);

        var response = await client.SignInAsync("agent@example.com", BootstrapAccounts.DemoPassword("agent@example.com"));

        UiClient.AssertRedirect(response, "/queue");
        await using var db = app.CreateDbContext();
        Assert.True(await db.Tickets.AnyAsync(Ct));
    }

    [Fact]
    public async Task A_forged_host_header_never_reaches_a_redirect()
    {
        await using var app = new TriageAppFactory { Environment = "Production" };
        using var client = UiClient.Anonymous(app);
        var challenge = new HttpRequestMessage(HttpMethod.Get, "/queue");
        challenge.Headers.Host = "evil.example";

        var response = await client.Http.SendAsync(challenge, Ct);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/signin?ReturnUrl=%2Fqueue", response.Headers.Location!.OriginalString);
        client.Http.DefaultRequestHeaders.Host = "evil.example";
        var signedIn = await client.SignInAsync(TriageAppFactory.AdminEmail, TriageAppFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Found, signedIn.StatusCode);
        Assert.DoesNotContain("evil", signedIn.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.StartsWith("/queue", signedIn.Headers.Location.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Under_https_cookies_are_secure_and_hsts_is_sent_outside_development()
    {
        await using var app = new TriageAppFactory { Environment = "Production" };
        using var client = new UiClient(app.CreateClient(new WebApplicationFactoryClientOptions
        {
            // Not localhost: HSTS is never sent to localhost (a developer's other sites would inherit it).
            BaseAddress = new Uri("https://triage.example"),
            AllowAutoRedirect = false,
            HandleCookies = true,
        }));

        var page = await client.Http.GetAsync("/signin", Ct);
        var signIn = await client.SignInAsync(TriageAppFactory.AdminEmail, TriageAppFactory.AdminPassword);

        Assert.True(page.Headers.Contains("Strict-Transport-Security"));
        var antiforgery = Assert.Single(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith("tt.af=", StringComparison.Ordinal));
        Assert.Contains("secure", antiforgery, StringComparison.OrdinalIgnoreCase);
        var auth = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("tt.auth=", StringComparison.Ordinal));
        Assert.Contains("secure", auth, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Api_answers_and_pages_are_not_stored_by_caches_and_static_assets_keep_their_caching()
    {
        await using var app = new TriageAppFactory();
        using var api = app.CreateApiClient();
        var created = await (await api.PostAsync("/api/tickets", Ingest.IngestClient.Json(Ingest.IngestClient.Ticket("cache-1")), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        var read = await api.GetAsync($"/api/tickets/{created.GetProperty("id").GetInt64()}", Ct);
        using var ui = await UiClient.SignedInAsync(app, TriageAppFactory.AdminEmail, TriageAppFactory.AdminPassword);
        var page = await ui.Http.GetAsync("/queue", Ct);
        var css = await ui.Http.GetAsync("/css/app.css", Ct);

        Assert.True(read.Headers.CacheControl?.NoStore, read.Headers.CacheControl?.ToString());
        Assert.True(page.Headers.CacheControl?.NoStore, page.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.False(css.Headers.CacheControl?.NoStore ?? false, css.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task An_exception_in_a_page_shows_the_error_page_and_an_api_exception_is_problem_details()
    {
        await using var app = new TriageAppFactory { Environment = "Production" };
        var id = await Seed.TicketAsync(app, "About to break");
        await using (var db = app.CreateDbContext())
        {
            // A value no code path writes: reading the row throws, in the page and in the API alike.
            await db.Database.ExecuteSqlRawAsync("UPDATE \"Tickets\" SET \"Status\" = 'Bogus' WHERE \"Id\" = {0}", [id], Ct);
        }

        using var ui = await UiClient.SignedInAsync(app, TriageAppFactory.AdminEmail, TriageAppFactory.AdminPassword);
        var page = await ui.Http.GetAsync($"/tickets/{id}", Ct);
        using var api = app.CreateApiClient();
        var read = await api.GetAsync($"/api/tickets/{id}", Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = UiClient.Parse(await page.Content.ReadAsStringAsync(Ct));
        Assert.Equal("Something went wrong", html.QuerySelector("h1")?.TextContent);
        Assert.DoesNotContain("Bogus", html.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.InternalServerError, read.StatusCode);
        Assert.Equal("application/problem+json", read.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("Bogus", await read.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_post_with_an_expired_session_is_sent_to_sign_in_and_back_to_its_page()
    {
        await using var app = new TriageAppFactory();
        var id = await Seed.TicketAsync(app, "Reply after lunch");
        using var client = UiClient.Anonymous(app);
        // Recategorize is the ticket page's remaining plain form post (status and replies go over the circuit).
        var post = new HttpRequestMessage(HttpMethod.Post, $"/tickets/{id}/category")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["category"] = "billing" }),
        };
        post.Headers.Referrer = new Uri($"http://localhost/tickets/{id}");

        var response = await client.Http.SendAsync(post, Ct);

        UiClient.AssertRedirect(response, $"/signin?ReturnUrl=%2Ftickets%2F{id}");
        await using var db = app.CreateDbContext();
        var ticket = await db.Tickets.SingleAsync(t => t.Id == id, Ct);
        Assert.NotEqual("billing", ticket.Category);
        Assert.Empty(await db.LabeledExamples.Where(e => e.TicketId == id).ToListAsync(Ct));
    }
}
