using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace TicketTriage.Web.Features.SignIn;

/// <summary>
/// The user of an open circuit. A circuit makes no HTTP requests after it starts, so the cookie's per-request check
/// (<see cref="SignInCookieEvents"/>) never runs for it; this checks the same things on the same interval, through
/// the same cached rows (<see cref="SessionStamps"/>). A signed-out (stamp rotated), disabled or deleted user, or one
/// whose role changed, becomes anonymous in the circuit: the page's <c>AuthorizeRouteView</c> then sends them to
/// sign in again (which issues a cookie with the new role).
/// </summary>
internal sealed class CircuitUserRevalidation(ILoggerFactory loggerFactory, SessionStamps stamps)
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

        if (!int.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }

        var user = await stamps.GetAsync(id, cancellationToken);
        var stamp = principal.FindFirstValue(PasswordSignIn.StampClaim) ?? "";
        return user is not null && !user.Disabled
            && principal.FindFirstValue(ClaimTypes.Role) == user.Role.ToString()
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(stamp), Encoding.UTF8.GetBytes(user.SecurityStamp));
    }
}
