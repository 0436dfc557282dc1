using System.Net;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.SignIn;
using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Pages;

public sealed class SignInTests(TriageAppFactory factory) : IClassFixture<TriageAppFactory>
{
    [Fact]
    public async Task Pages_send_an_anonymous_visitor_to_sign_in_with_the_return_url()
    {
        using var client = UiClient.Anonymous(factory);
        var response = await client.Http.GetAsync("/queue?status=Open", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        // Relative: a redirect never names a host taken from the request (SecurityHosting.cs).
        Assert.Equal("/signin?ReturnUrl=%2Fqueue%3Fstatus%3DOpen", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_right_password_signs_in_with_a_strict_httponly_cookie_and_returns_to_the_page()
    {
        await Seed.UserAsync(factory, "right@example.com", UserRole.Agent, "right-password-1");
        using var client = UiClient.Anonymous(factory);

        var response = await client.SignInAsync("Right@Example.com", "right-password-1", returnUrl: "/queue?status=Open");

        UiClient.AssertRedirect(response, "/queue?status=Open");
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(SignInCookie.Name + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        var queue = await client.GetPageAsync("/queue");
        Assert.Equal("right", queue.QuerySelector(".who-name")!.TextContent);
    }

    [Theory]
    [InlineData("//evil.example/phish")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    public async Task A_return_url_to_another_site_is_ignored(string returnUrl)
    {
        using var client = UiClient.Anonymous(factory);
        var response = await client.SignInAsync(TriageAppFactory.AdminEmail, TriageAppFactory.AdminPassword, returnUrl);

        UiClient.AssertRedirect(response, "/queue");
    }

    [Fact]
    public async Task A_wrong_password_shows_a_clear_error_and_sets_no_cookie()
    {
        await Seed.UserAsync(factory, "wrong@example.com", UserRole.Agent, "right-password-1");
        using var client = UiClient.Anonymous(factory);

        var response = await client.SignInAsync("wrong@example.com", "not-the-password");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(SignInCookie.Name, StringComparison.Ordinal)));
        var page = UiClient.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(PasswordSignIn.WrongCredentials, page.QuerySelector("[data-test=signin-error]")!.TextContent);
    }

    [Fact]
    public async Task An_unknown_email_gets_the_same_answer_as_a_wrong_password()
    {
        using var client = UiClient.Anonymous(factory);
        var response = await client.SignInAsync("nobody@example.com", "whatever-password");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var page = UiClient.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(PasswordSignIn.WrongCredentials, page.QuerySelector("[data-test=signin-error]")!.TextContent);
    }

    [Fact]
    public async Task Five_failures_lock_the_account_for_fifteen_minutes_even_against_the_right_password()
    {
        var id = await Seed.UserAsync(factory, "locked@example.com", UserRole.Agent, "right-password-1");
        using var client = UiClient.Anonymous(factory);

        for (var i = 0; i < PasswordSignIn.MaxFailures; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SignInAsync("locked@example.com", $"wrong-{i}")).StatusCode);
        }

        var response = await client.SignInAsync("locked@example.com", "right-password-1");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var page = UiClient.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains("locked", page.QuerySelector("[data-test=signin-error]")!.TextContent, StringComparison.Ordinal);
        await using var db = factory.CreateDbContext();
        var user = await db.Users.SingleAsync(u => u.Id == id, TestContext.Current.CancellationToken);
        Assert.InRange(user.LockoutEnd!.Value, DateTime.UtcNow.AddMinutes(14), DateTime.UtcNow.AddMinutes(15.1));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "signin.lockedout" && a.Target == $"user:{id}", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Parallel_wrong_passwords_are_all_counted_and_lock_the_account()
    {
        var id = await Seed.UserAsync(factory, "burst@example.com", UserRole.Agent, "right-password-1");
        var clients = Enumerable.Range(0, PasswordSignIn.MaxFailures).Select(_ => UiClient.Anonymous(factory)).ToList();
        var tokens = await Task.WhenAll(clients.Select(c => c.TokenAsync("/signin")));

        await Task.WhenAll(clients.Select((c, i) => c.PostFormAsync("/signin", new()
        {
            ["_handler"] = "signin", ["__RequestVerificationToken"] = tokens[i],
            ["Input.Email"] = "burst@example.com", ["Input.Password"] = $"guess-{i}",
        })));

        await using var db = factory.CreateDbContext();
        var user = await db.Users.SingleAsync(u => u.Id == id, TestContext.Current.CancellationToken);
        Assert.NotNull(user.LockoutEnd);
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task Four_failures_then_the_right_password_signs_in_and_resets_the_count()
    {
        var id = await Seed.UserAsync(factory, "almost@example.com", UserRole.Agent, "right-password-1");
        using var client = UiClient.Anonymous(factory);
        for (var i = 0; i < PasswordSignIn.MaxFailures - 1; i++)
        {
            await client.SignInAsync("almost@example.com", $"wrong-{i}");
        }

        Assert.Equal(HttpStatusCode.Found, (await client.SignInAsync("almost@example.com", "right-password-1")).StatusCode);
        await using var db = factory.CreateDbContext();
        Assert.Equal(0, (await db.Users.SingleAsync(u => u.Id == id, TestContext.Current.CancellationToken)).FailedSignInCount);
    }

    [Fact]
    public async Task A_disabled_user_is_refused_with_a_clear_message()
    {
        await Seed.UserAsync(factory, "gone@example.com", UserRole.Agent, "right-password-1", disabled: true);
        using var client = UiClient.Anonymous(factory);

        var response = await client.SignInAsync("gone@example.com", "right-password-1");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var page = UiClient.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(PasswordSignIn.DisabledAccount, page.QuerySelector("[data-test=signin-error]")!.TextContent);
    }

    [Fact]
    public async Task Sign_out_ends_the_session()
    {
        using var client = await UiClient.SignedInAsync(factory, TriageAppFactory.AdminEmail, TriageAppFactory.AdminPassword);
        var token = await client.TokenAsync("/queue");

        var response = await client.PostFormAsync("/signout", new() { ["__RequestVerificationToken"] = token });

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await client.Http.GetAsync("/queue", TestContext.Current.CancellationToken)).StatusCode);
    }
}
