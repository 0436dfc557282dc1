using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using TicketTriage.Web.Components;
using TicketTriage.Web.Features.Admin;
using TicketTriage.Web.Features.Live;
using TicketTriage.Web.Features.Queue;
using TicketTriage.Web.Features.SignIn;
using TicketTriage.Web.Features.Tickets;
using TicketTriage.Web.Features.Triage;
using TicketTriage.Web.Hubs;

namespace TicketTriage.Web.Hosting;

/// <summary>
/// The browser side of the app: cookie sign-in, role policies, static SSR Razor components, htmx endpoints that
/// answer with fragments, and the SignalR hub that pushes server-rendered rows. See ../shared/docs/stack.md for
/// why there is no blazor.web.js and no interactive render mode.
/// </summary>
public static class UiHosting
{
    public static WebApplicationBuilder AddUserInterface(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorComponents();

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, SignInCookie.Configure);
        services.AddScoped<SignInCookieEvents>();
        services.AddAuthorization(RolePolicies.Configure);

        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "tt.af";
            options.Cookie.SameSite = SameSiteMode.Strict;
        });

        // Default is ~/.aspnet: keys must survive restarts (or every cookie dies) and tests need their own folder.
        var keysPath = builder.Configuration["DataProtection:KeysPath"];
        keysPath = string.IsNullOrWhiteSpace(keysPath)
            ? Path.Combine(builder.Environment.ContentRootPath, ".data", "keys")
            : Path.GetFullPath(keysPath, builder.Environment.ContentRootPath);
        services.AddDataProtection()
            .SetApplicationName("TicketTriage")
            .PersistKeysToFileSystem(new DirectoryInfo(keysPath));

        // In Development, MapStaticAssets adds a catch-all GET route for files created after the build; its mere
        // presence turns every unknown POST into 405 and shadows 404s (dotnet/aspnetcore#59964). Every asset here
        // comes from the build, so it is off unless configured.
        builder.Configuration["DisableStaticAssetNotFoundRuntimeFallback"] ??= "true";

        services.AddSignalR();
        services.AddSingleton<LiveEvents>();
        services.AddScoped<FragmentRenderer>();
        services.AddScoped<PasswordSignIn>();
        services.AddQueueLiveUpdates();
        services.AddScoped<TicketView>();
        services.AddScoped<UserAdministration>();
        return builder;
    }

    public static WebApplication UseUserInterfacePipeline(this WebApplication app)
    {
        // Browsers get a page; API clients get problem details (ErrorHandling.cs).
        app.UseErrorPages();
        app.Use(SecurityHeaders);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapUserInterface(this WebApplication app)
    {
        // Static asset endpoints carry no authorization metadata, so the fallback policy would send the sign-in
        // page's own stylesheet to the sign-in page.
        app.MapStaticAssets().AllowAnonymous();

        app.MapRazorComponents<App>();

        app.MapHub<LiveHub>(LiveHub.Path).RequireAuthorization(RolePolicies.Agent);

        // Every state-changing UI endpoint lives in this group. Minimal APIs only validate antiforgery when they
        // bind a form (stack.md trap 3), so the group checks the token itself: no token, no change.
        var ui = app.MapGroup("").WithTags("UI").ExcludeFromDescription().AddEndpointFilter(RequireAntiforgeryToken);
        ui.MapSignOut();
        ui.MapTicketActions();
        ui.MapRecategorize();
        ui.MapAdminActions();
        return app;
    }

    /// <summary>
    /// Defence in depth for hostile ticket text: even if some text escaped encoding, the browser would run no inline
    /// script and load none from elsewhere. htmx and app.js are same-origin files; no hx-on/eval is used.
    /// Inline style attributes stay allowed (htmx adds its indicator style).
    /// </summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

    private static Task SecurityHeaders(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        return next(context);
    }

    private static async ValueTask<object?> RequireAntiforgeryToken(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var antiforgery = context.HttpContext.RequestServices.GetRequiredService<IAntiforgery>();
        if (!await antiforgery.IsRequestValidAsync(context.HttpContext))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest,
                title: "Missing or invalid antiforgery token", detail: "Reload the page and try again.");
        }

        return await next(context);
    }
}
