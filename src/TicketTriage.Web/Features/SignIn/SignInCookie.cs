using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;

namespace TicketTriage.Web.Features.SignIn;

/// <summary>The sign-in cookie: HttpOnly, SameSite=Strict, sliding eight hours, checked against the user row.</summary>
internal static class SignInCookie
{
    public const string Name = "tt.auth";

    public static void Configure(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = Name;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.ExpireTimeSpan = TimeSpan.FromHours(8);
        options.SlidingExpiration = true;
        options.LoginPath = "/signin";
        options.LogoutPath = "/signout";
        options.AccessDeniedPath = "/denied";
        options.EventsType = typeof(SignInCookieEvents);
    }
}

/// <summary>
/// A cookie outlives changes to its user. Every <see cref="RecheckAfter"/> the user row is read again: a disabled
/// or deleted user is signed out, a changed role takes effect. Requests that are not page navigations (the
/// circuit's /_blazor, the API) get 401/403 instead of a redirect to an HTML page they cannot show.
/// </summary>
internal sealed class SignInCookieEvents(TriageDbContext db, TimeProvider time) : CookieAuthenticationEvents
{
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(30);
    private const string CheckedAtKey = "tt.checked";

    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var now = time.GetUtcNow();
        if (context.Properties.Items.TryGetValue(CheckedAtKey, out var checkedAt)
            && DateTimeOffset.TryParse(checkedAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            && now - at < RecheckAfter)
        {
            return;
        }

        var id = int.TryParse(context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier), CultureInfo.InvariantCulture, out var value) ? value : 0;
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, context.HttpContext.RequestAborted);
        if (user is null || user.Disabled)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        context.ReplacePrincipal(PasswordSignIn.CreatePrincipal(user));
        context.Properties.Items[CheckedAtKey] = now.ToString("O", CultureInfo.InvariantCulture);
        context.ShouldRenew = true;
    }

    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context) =>
        Answer(context, StatusCodes.Status401Unauthorized, () => base.RedirectToLogin(context));

    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context) =>
        Answer(context, StatusCodes.Status403Forbidden, () => base.RedirectToAccessDenied(context));

    private static Task Answer(RedirectContext<CookieAuthenticationOptions> context, int status, Func<Task> redirect)
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/_blazor"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        return redirect();
    }
}
