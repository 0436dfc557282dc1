using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.ApiKeys;
using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Pages;

public sealed class AdminPageTests(TriageAppFactory factory) : IClassFixture<TriageAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<UiClient> AdminAsync() => UiClient.SignedInAsync(factory, TriageAppFactory.AdminEmail, TriageAppFactory.AdminPassword);

    [Fact]
    public async Task An_admin_creates_a_user_who_can_then_sign_in_and_the_change_is_audited()
    {
        using var admin = await AdminAsync();
        var token = await admin.TokenAsync("/admin/users");

        var response = await admin.PostFormAsync("/admin/users", new()
        {
            ["_handler"] = "create-user", ["__RequestVerificationToken"] = token,
            ["Input.Email"] = "New.Lead@Example.com", ["Input.DisplayName"] = "New Lead", ["Input.Role"] = "Lead",
            ["Input.Password"] = "a-long-password-1",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = UiClient.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("created", page.QuerySelector("[data-outcome]")!.GetAttribute("data-outcome"));
        Assert.NotNull(page.QuerySelector("tr[data-user='new.lead@example.com']"));
        await using var db = factory.CreateDbContext();
        var user = await db.Users.SingleAsync(u => u.Email == "new.lead@example.com", Ct);
        Assert.Equal(UserRole.Lead, user.Role);
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == "user.created" && a.Target == $"user:{user.Id}", Ct);
        Assert.Equal(TriageAppFactory.AdminEmail, audit.Actor);
        using var lead = await UiClient.SignedInAsync(factory, "new.lead@example.com", "a-long-password-1");
    }

    [Fact]
    public async Task A_short_password_or_a_taken_email_creates_nothing()
    {
        using var admin = await AdminAsync();
        var token = await admin.TokenAsync("/admin/users");
        Dictionary<string, string> Form(string email, string password) => new()
        {
            ["_handler"] = "create-user", ["__RequestVerificationToken"] = token, ["Input.Email"] = email,
            ["Input.DisplayName"] = "X", ["Input.Role"] = "Agent", ["Input.Password"] = password,
        };

        var shortPassword = await admin.PostFormAsync("/admin/users", Form("short@example.com", "short"));
        var taken = await admin.PostFormAsync("/admin/users", Form(TriageAppFactory.AdminEmail, "a-long-password-1"));

        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
        Assert.Equal("exists", UiClient.Parse(await taken.Content.ReadAsStringAsync(Ct)).QuerySelector("[data-outcome]")!.GetAttribute("data-outcome"));
        Assert.NotEqual(HttpStatusCode.Found, shortPassword.StatusCode);
        await using var db = factory.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.Email == "short@example.com", Ct));
    }

    [Fact]
    public async Task An_admin_changes_a_role_and_disables_a_user_and_both_are_audited()
    {
        var id = await Seed.UserAsync(factory, "worker@example.com", UserRole.Agent, "worker-password-1");
        using var admin = await AdminAsync();
        var token = await admin.TokenAsync("/admin/users");

        var role = await admin.PostFormAsync($"/admin/users/{id}/role", new() { ["__RequestVerificationToken"] = token, ["role"] = "Lead" });
        var disable = await admin.PostFormAsync($"/admin/users/{id}/disable", new() { ["__RequestVerificationToken"] = token });

        UiClient.AssertRedirect(role, "/admin/users?outcome=role-changed");
        UiClient.AssertRedirect(disable, "/admin/users?outcome=disabled");
        await using (var db = factory.CreateDbContext())
        {
            var user = await db.Users.SingleAsync(u => u.Id == id, Ct);
            Assert.Equal(UserRole.Lead, user.Role);
            Assert.True(user.Disabled);
            var actions = await db.AuditEntries.Where(a => a.Target == $"user:{id}").Select(a => a.Action).ToListAsync(Ct);
            Assert.Contains("user.role_changed", actions);
            Assert.Contains("user.disabled", actions);
        }
    }

    [Fact]
    public async Task The_last_enabled_admin_cannot_be_demoted_or_disabled()
    {
        using var admin = await AdminAsync();
        var token = await admin.TokenAsync("/admin/users");
        await using var db = factory.CreateDbContext();
        var admins = await db.Users.Where(u => u.Role == UserRole.Admin && !u.Disabled).Select(u => u.Id).ToListAsync(Ct);
        Assert.Single(admins);

        var demote = await admin.PostFormAsync($"/admin/users/{admins[0]}/role", new() { ["__RequestVerificationToken"] = token, ["role"] = "Agent" });
        var disable = await admin.PostFormAsync($"/admin/users/{admins[0]}/disable", new() { ["__RequestVerificationToken"] = token });

        UiClient.AssertRedirect(demote, "/admin/users?outcome=last-admin");
        UiClient.AssertRedirect(disable, "/admin/users?outcome=last-admin");
        await using var after = factory.CreateDbContext();
        Assert.Equal(UserRole.Admin, (await after.Users.SingleAsync(u => u.Id == admins[0], Ct)).Role);
    }

    [Fact]
    public async Task An_admin_creates_a_key_shown_once_that_validates_with_its_scopes_then_revokes_it()
    {
        using var admin = await AdminAsync();
        var token = await admin.TokenAsync("/admin/keys");

        var response = await admin.PostFormAsync("/admin/keys", new()
        {
            ["_handler"] = "create-key", ["__RequestVerificationToken"] = token, ["Input.Name"] = "helpdesk-sync",
            ["Input.Ingest"] = "true", ["Input.Read"] = "false",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var plaintext = UiClient.Parse(await response.Content.ReadAsStringAsync(Ct)).QuerySelector("[data-test=new-key]")!.TextContent;
        var keys = factory.Services.GetRequiredService<ApiKeyService>();
        var identity = await keys.ValidateAsync(plaintext, Ct);
        Assert.Equal(ApiKeyScopes.Ingest, identity!.Scopes);

        var list = await admin.GetPageAsync("/admin/keys");
        Assert.DoesNotContain(plaintext, list.DocumentElement.OuterHtml, StringComparison.Ordinal);

        var revoke = await admin.PostFormAsync($"/admin/keys/{identity.Id}/revoke", new() { ["__RequestVerificationToken"] = token });
        UiClient.AssertRedirect(revoke, "/admin/keys?outcome=revoked");
        Assert.Null(await keys.ValidateAsync(plaintext, Ct));
        await using var db = factory.CreateDbContext();
        var actions = await db.AuditEntries.Where(a => a.Target == $"apikey:{identity.Id}").Select(a => new { a.Action, a.Actor }).ToListAsync(Ct);
        Assert.Contains(new { Action = "apikey.created", Actor = TriageAppFactory.AdminEmail }, actions);
        Assert.Contains(new { Action = "apikey.revoked", Actor = TriageAppFactory.AdminEmail }, actions);
    }

    [Fact]
    public async Task A_key_without_any_scope_is_refused()
    {
        using var admin = await AdminAsync();
        var token = await admin.TokenAsync("/admin/keys");
        await using var before = factory.CreateDbContext();
        var count = await before.ApiKeys.CountAsync(Ct);

        var response = await admin.PostFormAsync("/admin/keys", new()
        {
            ["_handler"] = "create-key", ["__RequestVerificationToken"] = token, ["Input.Name"] = "nothing",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var after = factory.CreateDbContext();
        Assert.Equal(count, await after.ApiKeys.CountAsync(Ct));
    }

    [Fact]
    public async Task Admin_pages_offer_forms_with_explicit_actions_only()
    {
        using var admin = await AdminAsync();
        foreach (var path in new[] { "/admin/users", "/admin/keys" })
        {
            var page = await admin.GetPageAsync(path);
            Assert.All(page.QuerySelectorAll("form"), form =>
            {
                Assert.Equal("post", form.GetAttribute("method"));
                Assert.False(string.IsNullOrEmpty(form.GetAttribute("action")), form.OuterHtml);
                Assert.NotNull(form.QuerySelector("input[name=__RequestVerificationToken]"));
            });
        }
    }
}
