using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.DataProtection;
using TicketTriage.Web.Components;
using TicketTriage.Web.Features.Admin;
using TicketTriage.Web.Components.Live;
using TicketTriage.Web.Features.Live;
using TicketTriage.Web.Features.Queue;
using TicketTriage.Web.Features.SignIn;
using TicketTriage.Web.Features.Tickets;
using TicketTriage.Web.Features.Triage;
using MudBlazor.Services;

namespace TicketTriage.Web.Hosting;

/// <summary>
/// The browser side of the app: cookie sign-in, role policies, and interactive Blazor Server pages with MudBlazor.
/// Sign-in and the admin forms stay static server-rendered (a cookie needs a real HTTP response); every other page
/// runs in a circuit, which is also how live updates reach it (LiveEvents, see Features/Live).
/// </summary>
public static class UiHosting
{
    public static WebApplicationBuilder AddUserInterface(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, SignInCookie.Configure);
        services.AddScoped<SignInCookieEvents>();
        services.AddAuthorization(RolePolicies.Configure);
        // Circuits: the user of an open circuit is re-checked against the user row every 30 s (disabled users and
        // role changes reach pages that never make another HTTP request).
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, CircuitUserRevalidation>();

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

        services.AddSingleton<LiveEvents>();
        services.AddSingleton<Features.Ingest.ITicketIngestObserver, QueueIngestObserver>();
        services.AddScoped<CircuitConnection>();
        services.AddScoped<CircuitHandler>(sp => sp.GetRequiredService<CircuitConnection>());
        services.AddScoped<PasswordSignIn>();
        services.AddScoped<UserAdministration>();
        // Pages in a circuit read through these (one DbContext per operation, from the factory).
        services.AddSingleton<TicketQueue>();
        services.AddSingleton<TicketClaims>();
        services.AddSingleton<TicketView>();
        services.AddSingleton<TicketReplies>();
        services.AddSingleton<Features.Patterns.PatternBoard>();
        services.AddSingleton<Features.Patterns.PatternDetails>();
        services.AddSingleton<Features.Dashboard.DashboardData>();
        services.AddSingleton<Features.Changes.ChangeEntry>();
        return builder;
    }

    public static WebApplication UseUserInterfacePipeline(this WebApplication app)
    {
        // Browsers get a page; API clients get problem details (ErrorHandling.cs).
        app.UseErrorPages();

        // A page that does not exist, or a ticket that does not, gets the app's own 404 page (API paths keep
        // their plain 404: clients read the status, not a page).
        // Only page navigations (GET outside /api and the circuit's /_blazor): a 401 to a script must stay a bare 401.
        app.UseWhen(c => HttpMethods.IsGet(c.Request.Method) && !c.Request.Path.StartsWithSegments("/api") && !c.Request.Path.StartsWithSegments("/_blazor"),
            b => b.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        // Explicit, after the error and status-code handlers: a re-executed request must be routed again (with the
        // implicit UseRouting at the start of the pipeline, /not-found would find no endpoint and answer empty).
        app.UseRouting();
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

        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

        // Every state-changing UI endpoint lives in this group. Minimal APIs only validate antiforgery when they
        // bind a form (stack.md trap 3), so the group checks the token itself: no token, no change.
        var ui = app.MapGroup("").WithTags("UI").ExcludeFromDescription().AddEndpointFilter(RequireAntiforgeryToken);
        ui.MapSignOut();
        ui.MapRecategorize();
        ui.MapAdminActions();
        return app;
    }

    /// <summary>
    /// Defence in depth for hostile ticket text: even if some text escaped encoding, the browser would run no inline
    /// script and load none from elsewhere. blazor.web.js, MudBlazor.min.js and app.js are same-origin files and
    /// need no eval; the circuit's WebSocket is same-origin ('self'). Inline style attributes stay allowed: MudBlazor
    /// writes them (popover placement, chart sizes), measured by the browser tests' console checks.
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
