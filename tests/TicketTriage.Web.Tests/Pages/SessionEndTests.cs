using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.SignIn;
using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Pages;

/// <summary>
/// Sign-out, disabling and a password change end every existing session on the next request — a cookie copied
/// before is refused — and the per-request check costs no database read while nothing changed.
/// </summary>
public sealed class SessionEndTests(TriageAppFactory factory) : IClassFixture<TriageAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Signs in; also returns a second client that sends a copy of the sign-in cookie (stolen, or another tab).</summary>
    private async Task<(UiClient Browser, UiClient Copy)> SignInWithCopyAsync(string email, string password)
    {
        var browser = UiClient.Anonymous(factory);
        var response = await browser.SignInAsync(email, password);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").First(c => c.StartsWith(SignInCookie.Name + "=", StringComparison.Ordinal)).Split(';')[0];
        var copy = new UiClient(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }));
        copy.Http.DefaultRequestHeaders.Add("Cookie", cookie);
        return (browser, copy);
    }

    private static async Task AssertSignedOutAsync(UiClient client)
    {
        var response = await client.Http.GetAsync("/queue", Ct);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_sign_out_a_cookie_copied_before_no_longer_opens_the_queue()
    {
        await Seed.UserAsync(factory, "leaver@example.com", UserRole.Agent, "leaver-password-1");
        var (browser, stolen) = await SignInWithCopyAsync("leaver@example.com", "leaver-password-1");
        using var _ = browser;
        using var __ = stolen;
        await stolen.GetPageAsync("/queue");

        var token = await browser.TokenAsync("/queue");
        var signOut = await browser.PostFormAsync("/signout", new() { ["__RequestVerificationToken"] = token });

        UiClient.AssertRedirect(signOut, "/signin");
        await AssertSignedOutAsync(stolen);
        await AssertSignedOutAsync(browser);
    }

    [Fact]
    public async Task Disabling_a_user_ends_their_sessions_at_once_and_enabling_does_not_revive_them()
    {
        var id = await Seed.UserAsync(factory, "disabled-now@example.com", UserRole.Agent, "worker-password-1");
        using var worker = await UiClient.SignedInAsync(factory, "disabled-now@example.com", "worker-password-1");
        await worker.GetPageAsync("/queue");
        using var admin = await UiClient.SignedInAsync(factory, TriageAppFactory.AdminEmail, TriageAppFactory.AdminPassword);
        var token = await admin.TokenAsync("/admin/users");

        UiClient.AssertRedirect(await admin.PostFormAsync($"/admin/users/{id}/disable", new() { ["__RequestVerificationToken"] = token }), "/admin/users?outcome=disabled");
        await AssertSignedOutAsync(worker);

        UiClient.AssertRedirect(await admin.PostFormAsync($"/admin/users/{id}/enable", new() { ["__RequestVerificationToken"] = token }), "/admin/users?outcome=enabled");
        await AssertSignedOutAsync(worker);
    }

    [Fact]
    public async Task Changing_the_password_ends_other_sessions_and_keeps_this_one()
    {
        await Seed.UserAsync(factory, "changer@example.com", UserRole.Agent, "old-password-123");
        var (here, copied) = await SignInWithCopyAsync("changer@example.com", "old-password-123");
        using var _ = here;
        using var __ = copied;
        using var elsewhere = await UiClient.SignedInAsync(factory, "changer@example.com", "old-password-123");

        var token = await here.TokenAsync("/account/password");
        var response = await here.PostFormAsync("/account/password", new()
        {
            ["_handler"] = "password",
            ["__RequestVerificationToken"] = token,
            ["Input.Current"] = "old-password-123",
            ["Input.Next"] = "new-password-456",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = UiClient.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Contains("Password changed", page.QuerySelector("[data-test=password-outcome]")!.TextContent, StringComparison.Ordinal);
        await here.GetPageAsync("/queue");
        await AssertSignedOutAsync(elsewhere);
        await AssertSignedOutAsync(copied);
        using var fresh = UiClient.Anonymous(factory);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fresh.SignInAsync("changer@example.com", "old-password-123")).StatusCode);
        UiClient.AssertRedirect(await fresh.SignInAsync("changer@example.com", "new-password-456"), "/queue");
    }

    [Fact]
    public async Task A_wrong_current_password_changes_nothing()
    {
        await Seed.UserAsync(factory, "keeper@example.com", UserRole.Agent, "keep-password-123");
        using var here = await UiClient.SignedInAsync(factory, "keeper@example.com", "keep-password-123");
        var token = await here.TokenAsync("/account/password");

        var response = await here.PostFormAsync("/account/password", new()
        {
            ["_handler"] = "password",
            ["__RequestVerificationToken"] = token,
            ["Input.Current"] = "not-my-password",
            ["Input.Next"] = "new-password-456",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await here.GetPageAsync("/queue");
    }

    [Fact]
    public async Task While_nothing_changes_a_hundred_requests_read_the_user_row_at_most_once()
    {
        await Seed.UserAsync(factory, "steady@example.com", UserRole.Agent, "steady-password-1");
        using var worker = await UiClient.SignedInAsync(factory, "steady@example.com", "steady-password-1");
        await worker.GetPageAsync("/queue");
        var stamps = factory.Services.GetRequiredService<SessionStamps>();
        var before = stamps.Loads;

        for (var i = 0; i < 100; i++)
        {
            using var response = await worker.Http.GetAsync("/queue", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.True(stamps.Loads - before <= 1, $"{stamps.Loads - before} user reads for 100 requests");
    }
}

/// <summary>Parallel wrong guesses cannot check more passwords than the lockout allows.</summary>
public sealed class LockoutRaceTests
{
    private sealed class CountingHasher : IPasswordHasher<User>
    {
        private readonly PasswordHasher<User> _inner = new();
        public int Verifications;

        public string HashPassword(User user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
        {
            if (user.Id != 0)
            {
                Interlocked.Increment(ref Verifications);
            }

            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    [Fact]
    public async Task Forty_parallel_wrong_guesses_check_at_most_five_passwords_and_lock_the_account()
    {
        var hasher = new CountingHasher();
        await using var factory = new TriageAppFactory { ConfigureTestServices = s => s.AddSingleton<IPasswordHasher<User>>(hasher) };
        await Seed.UserAsync(factory, "target@example.com", UserRole.Agent, "the-real-password");
        var clients = new List<UiClient>();
        var tokens = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var client = UiClient.Anonymous(factory);
            clients.Add(client);
            tokens.Add(await client.TokenAsync("/signin"));
        }

        Interlocked.Exchange(ref hasher.Verifications, 0);
        var guesses = clients.Select((c, i) => c.PostFormAsync("/signin?ReturnUrl=%2Fqueue", new()
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = tokens[i],
            ["Input.Email"] = "target@example.com",
            ["Input.Password"] = $"guess-{i}",
        }));
        var answers = await Task.WhenAll(guesses);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
        Assert.InRange(hasher.Verifications, 1, PasswordSignIn.MaxFailures);
        await using var db = factory.CreateDbContext();
        var user = await db.Users.SingleAsync(u => u.Email == "target@example.com", TestContext.Current.CancellationToken);
        Assert.NotNull(user.LockoutEnd);
        using var late = UiClient.Anonymous(factory);
        Assert.Equal(HttpStatusCode.Unauthorized, (await late.SignInAsync("target@example.com", "the-real-password")).StatusCode);
        clients.ForEach(c => c.Dispose());
    }
}
