using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

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
/// A cookie outlives changes to its user, so every request checks it against the user's current row
/// (<see cref="SessionStamps"/>, cached): a stamp that no longer matches (sign-out, password change), a disabled or
/// deleted user ends the session; a changed role or name takes effect. Requests that are not page navigations
/// (the circuit's /_blazor, the API) get 401/403 instead of a redirect to an HTML page they cannot show.
/// </summary>
internal sealed class SignInCookieEvents(SessionStamps stamps) : CookieAuthenticationEvents
{
    /// <summary>How long a change made outside this process (another instance, SQL) may take to reach a session.</summary>
    public static TimeSpan RecheckAfter => SessionStamps.RecheckAfter;

    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var id = int.TryParse(principal?.FindFirstValue(ClaimTypes.NameIdentifier), CultureInfo.InvariantCulture, out var value) ? value : 0;
        var user = await stamps.GetAsync(id, context.HttpContext.RequestAborted);
        // Cookies issued before stamps existed carry none: they match the empty stamp every user starts with.
        var stamp = principal is null ? "" : principal.FindFirstValue(PasswordSignIn.StampClaim) ?? "";
        if (user is null || principal is null || user.Disabled || !CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(stamp), System.Text.Encoding.UTF8.GetBytes(user.SecurityStamp)))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        if (principal.FindFirstValue(ClaimTypes.Role) != user.Role.ToString()
            || principal.FindFirstValue(ClaimTypes.Email) != user.Email
            || principal.FindFirstValue(ClaimTypes.Name) != PasswordSignIn.DisplayName(user.Email, user.DisplayName))
        {
            context.ReplacePrincipal(PasswordSignIn.CreatePrincipal(user));
            context.ShouldRenew = true;
        }
    }

    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context) =>
        Answer(context, StatusCodes.Status401Unauthorized, "/signin");

    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context) =>
        Answer(context, StatusCodes.Status403Forbidden, "/denied");

    /// <summary>
    /// A browser gets a 302, always: the default since .NET 10 answers minimal-API endpoints (the form posts of
    /// TicketActions, AdminActions) with 401 + Location, which a browser shows as a blank page. After signing in, a
    /// form post returns to the page the form was on (its Referer, when on this site), not to the POST-only URL.
    /// </summary>
    private static Task Answer(RedirectContext<CookieAuthenticationOptions> context, int status, string page)
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/_blazor"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        var returnUrl = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            ? request.PathBase + request.Path + request.QueryString
            : SamePageAsForm(request);
        context.Response.Redirect(page + QueryString.Create(context.Options.ReturnUrlParameter, returnUrl));
        return Task.CompletedTask;
    }

    private static string SamePageAsForm(HttpRequest request) =>
        Uri.TryCreate(request.Headers.Referer.ToString(), UriKind.Absolute, out var referer)
        && string.Equals(referer.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase)
            ? referer.PathAndQuery
            : "/queue";
}
