using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;

namespace TicketTriage.Web.Features.SignIn;

/// <summary>
/// The user of an open circuit. A circuit makes no HTTP requests after it starts, so the cookie's own 30-second
/// re-check (<see cref="SignInCookieEvents"/>) never runs for it; this re-reads the user row on the same interval.
/// A disabled or deleted user, or one whose role changed, becomes anonymous in the circuit: the page's
/// <c>AuthorizeRouteView</c> then sends them to sign in again (which issues a cookie with the new role).
/// </summary>
internal sealed class CircuitUserRevalidation(ILoggerFactory loggerFactory, IDbContextFactory<TriageDbContext> dbFactory)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => SignInCookieEvents.RecheckAfter;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var principal = authenticationState.User;
        if (principal.Identity?.IsAuthenticated != true)
        {
            return true;
        }

        return await IsStillValidAsync(dbFactory, principal, cancellationToken);
    }

    /// <summary>True while the user row exists, is enabled and still has the role the principal carries.</summary>
    public static async Task<bool> IsStillValidAsync(IDbContextFactory<TriageDbContext> dbFactory, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (!int.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new { u.Disabled, u.Role }).SingleOrDefaultAsync(cancellationToken);
        return user is not null && !user.Disabled && principal.IsInRole(user.Role.ToString())
            && principal.FindFirstValue(ClaimTypes.Role) == user.Role.ToString();
    }
}
