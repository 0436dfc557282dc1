using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.ApiKeys;
using TicketTriage.Web.Features.SignIn;

namespace TicketTriage.Web.Features.Admin;

public sealed record RoleForm(string? Role);

/// <summary>
/// Row actions of the admin pages (role, disable, enable, revoke): plain form posts answered with a redirect back
/// to the page, which shows the outcome from the query string. Creating users and keys is a form on the page itself.
/// </summary>
internal static class AdminActions
{
    public static RouteGroupBuilder MapAdminActions(this RouteGroupBuilder ui)
    {
        var admin = ui.MapGroup("/admin").RequireAuthorization(RolePolicies.Admin);

        admin.MapPost("/users/{id:int}/role", async (int id, [FromForm] RoleForm form, ClaimsPrincipal user, UserAdministration users, CancellationToken ct) =>
            !Enum.TryParse<UserRole>(form.Role, out var role) || !Enum.IsDefined(role)
                ? Back("/admin/users", new AdminResult("bad-role"))
                : Back("/admin/users", await users.ChangeRoleAsync(id, role, Actor(user), ct)));

        admin.MapPost("/users/{id:int}/disable", async (int id, ClaimsPrincipal user, UserAdministration users, CancellationToken ct) =>
            Back("/admin/users", await users.SetDisabledAsync(id, true, Actor(user), ct)));

        admin.MapPost("/users/{id:int}/enable", async (int id, ClaimsPrincipal user, UserAdministration users, CancellationToken ct) =>
            Back("/admin/users", await users.SetDisabledAsync(id, false, Actor(user), ct)));

        // [FromServices]: ApiKeyService has a static TryParse, which minimal APIs would take for a route binder.
        admin.MapPost("/keys/{id:int}/revoke", async (int id, ClaimsPrincipal user, [FromServices] ApiKeyService keys, CancellationToken ct) =>
            Back("/admin/keys", new AdminResult(await keys.RevokeAsync(id, Actor(user), ct) ? "revoked" : "no-key")));

        return ui;
    }

    /// <summary>The audit actor: the signed-in user's email.</summary>
    public static string Actor(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name ?? "unknown";

    private static RedirectHttpResult Back(string page, AdminResult result) => TypedResults.Redirect($"{page}?outcome={result.Code}");
}
