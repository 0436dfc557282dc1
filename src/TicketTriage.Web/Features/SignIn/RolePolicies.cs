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

        // Every endpoint without its own metadata needs a signed-in user; public ones say [AllowAnonymous].
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}
