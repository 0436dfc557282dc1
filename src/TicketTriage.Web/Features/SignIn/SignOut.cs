using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace TicketTriage.Web.Features.SignIn;

internal static class SignOut
{
    /// <summary>POST only (a link could sign people out from another site); the UI group checks antiforgery.</summary>
    public static RouteGroupBuilder MapSignOut(this RouteGroupBuilder ui)
    {
        ui.MapPost("/signout", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return TypedResults.Redirect("/signin");
        }).AllowAnonymous();
        return ui;
    }
}
