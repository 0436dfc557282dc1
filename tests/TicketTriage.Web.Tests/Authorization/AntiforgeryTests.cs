using System.Net;
using TicketTriage.Web.Tests.Infrastructure;
using TicketTriage.Web.Tests.Pages;

namespace TicketTriage.Web.Tests.Authorization;

/// <summary>
/// Every state-changing UI request needs the antiforgery token. The list is taken from routing, so a new POST
/// endpoint is covered the day it is added (stack.md trap 3: minimal APIs check only when they bind a form).
/// </summary>
public sealed class AntiforgeryTests(TriageAppFactory factory) : IClassFixture<TriageAppFactory>
{
    public static IEnumerable<AppEndpoint> UiPosts(TriageAppFactory factory) =>
        AppEndpoints.All(factory).Where(e => e.Method is "POST" or "PUT" or "PATCH" or "DELETE"
            && !e.Route.StartsWith("/api/", StringComparison.Ordinal)
            && !e.Route.StartsWith("/_blazor", StringComparison.Ordinal)   // the circuit: SameSite=Strict cookie + its own protocol
            && e.Route != "/error");                                        // re-executed failed requests; changes nothing

    [Fact]
    public async Task Every_state_changing_UI_endpoint_refuses_a_request_without_a_token()
    {
        var ticket = await Seed.TicketAsync(factory, "Antiforgery");
        var userId = await Seed.UserAsync(factory, "af-target@example.com", Domain.UserRole.Agent, "target-password-1");
        using var admin = await UiClient.SignedInAsync(factory, TriageAppFactory.AdminEmail, TriageAppFactory.AdminPassword);
        var posts = UiPosts(factory).ToList();
        Assert.Contains(posts, p => p.Route == "/admin/users/{id:int}/role");
        Assert.Contains(posts, p => p.Route == "/signout");

        var accepted = new List<string>();
        foreach (var endpoint in posts)
        {
            var path = endpoint.Route.Replace("{Id:long}", $"{ticket}", StringComparison.Ordinal)
                .Replace("{id:long}", $"{ticket}", StringComparison.Ordinal).Replace("{id:int}", $"{userId}", StringComparison.Ordinal);
            // A form that would otherwise succeed: only the token is missing.
            var response = await admin.PostFormAsync(path, new()
            {
                ["_handler"] = path.Contains("users", StringComparison.Ordinal) ? "create-user" : path.Contains("keys", StringComparison.Ordinal) ? "create-key" : "signin",
                ["body"] = "hello", ["visibility"] = "public", ["status"] = "Solved", ["role"] = "Admin",
            });
            if (response.StatusCode != HttpStatusCode.BadRequest)
            {
                accepted.Add($"{endpoint}: {(int)response.StatusCode}");
            }
        }

        Assert.True(accepted.Count == 0, "Accepted without an antiforgery token:\n" + string.Join("\n", accepted));
        await using var db = factory.CreateDbContext();
        Assert.False(db.TicketMessages.Any(m => m.TicketId == ticket));
        Assert.Equal(Domain.UserRole.Agent, db.Users.Single(u => u.Id == userId).Role);
        Assert.False(db.Users.Single(u => u.Id == userId).Disabled);
    }

    [Fact]
    public async Task A_token_from_another_user_is_refused()
    {
        var target = await Seed.UserAsync(factory, "af-target2@example.com", Domain.UserRole.Agent, "target-password-1");
        await Seed.UserAsync(factory, "af-other@example.com", Domain.UserRole.Agent, "other-password-1");
        using var other = await UiClient.SignedInAsync(factory, "af-other@example.com", "other-password-1");
        using var admin = await UiClient.SignedInAsync(factory, TriageAppFactory.AdminEmail, TriageAppFactory.AdminPassword);
        var foreignToken = await other.TokenAsync("/queue");

        var response = await admin.PostFormAsync($"/admin/users/{target}/role", new()
        {
            ["__RequestVerificationToken"] = foreignToken, ["role"] = "Admin",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var db = factory.CreateDbContext();
        Assert.Equal(Domain.UserRole.Agent, db.Users.Single(u => u.Id == target).Role);
    }
}
