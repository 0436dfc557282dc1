using System.Globalization;
using System.Security.Claims;
using TicketTriage.Web.Features.Tickets;

namespace TicketTriage.Web.Features.SignIn;

/// <summary>The signed-in user as pages in a circuit act for them (from the circuit's authentication state).</summary>
internal static class CurrentUser
{
    public static Actor Of(ClaimsPrincipal user) => new(
        int.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0,
        user.Identity?.Name ?? "unknown");
}
