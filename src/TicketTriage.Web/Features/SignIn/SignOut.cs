using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace TicketTriage.Web.Features.SignIn;

internal static class SignOut
{
    /// <summary>
    /// POST only (a link could sign people out from another site); the UI group checks antiforgery. Deleting the
    /// cookie is not enough — a copy of it would still work — so the user's stamp is replaced: every session of this
    /// user ends, on every device.
    /// </summary>
    public static RouteGroupBuilder MapSignOut(this RouteGroupBuilder ui)
    {
        ui.MapPost("/signout", async (HttpContext context, SessionStamps stamps) =>
        {
            if (int.TryParse(context.User.FindFirstValue(ClaimTypes.NameIdentifier), CultureInfo.InvariantCulture, out var id))
            {
                await stamps.RotateAsync(id, CancellationToken.None);
            }

            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return TypedResults.Redirect("/signin");
        }).AllowAnonymous();
        return ui;
    }
}
