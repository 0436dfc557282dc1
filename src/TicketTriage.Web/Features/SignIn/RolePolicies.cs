using Microsoft.AspNetCore.Authorization;

namespace TicketTriage.Web.Features.SignIn;

/// <summary>
/// Role policies, nested: a Lead may do everything an Agent may, an Admin everything. Pages and endpoints name the
/// least role they need (<c>[Authorize(Policy = RolePolicies.Lead)]</c>), never a role list of their own.
/// </summary>
public static class RolePolicies
{
    public const string Agent = "Agent";
    public const string Lead = "Lead";
    public const string Admin = "Admin";

    public static void Configure(AuthorizationOptions options)
    {
        options.AddPolicy(Agent, p => p.RequireAuthenticatedUser().RequireRole(Agent, Lead, Admin));
        options.AddPolicy(Lead, p => p.RequireAuthenticatedUser().RequireRole(Lead, Admin));
        options.AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireRole(Admin));

        // Every endpoint without its own metadata needs a signed-in user; public ones say [AllowAnonymous]. A URL
        // that matches no route (no endpoint, or routing's own 405 endpoint, which is not a RouteEndpoint) passes,
        // so it is a plain 404/405 for everyone, API clients included, instead of a sign-in redirect.
        options.FallbackPolicy = new AuthorizationPolicyBuilder()
            .RequireAssertion(context => context.User.Identity?.IsAuthenticated == true
                || (context.Resource is HttpContext http && http.GetEndpoint() is not RouteEndpoint))
            .Build();
    }
}
