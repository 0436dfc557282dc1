using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Net.Http.Headers;
using TicketTriage.Web.Features.SignIn;

namespace TicketTriage.Web.Hosting;

/// <summary>
/// Security defaults that hold for every response, whatever area produced it (README, "Security defaults"):
/// server-side session stamps, Secure cookies under HTTPS, HSTS outside Development, redirects that never name a
/// host taken from the request, and <c>Cache-Control: no-store</c> on everything that is not a static asset.
/// </summary>
public static class SecurityHosting
{
    public static WebApplicationBuilder AddSecurityDefaults(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<SessionStamps>();
        services.AddScoped<PasswordChange>();

        // The auth cookie is SameAsRequest already (SignInCookie.cs); the antiforgery cookie's default is None, which
        // leaves it without Secure under HTTPS.
        services.Configure<AntiforgeryOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false;
        });
        return builder;
    }

    /// <summary>First in the pipeline, so that its headers also reach error pages and answers of the exception handler.</summary>
    public static WebApplication UseSecurityDefaults(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            // Only ever sent on HTTPS responses; Development stays free to use plain http://localhost.
            app.UseHsts();
        }

        app.Use(static (context, next) =>
        {
            context.Response.OnStarting(static state => BeforeHeadersAreSent((HttpContext)state), context);
            return next(context);
        });
        return app;
    }

    private static Task BeforeHeadersAreSent(HttpContext context)
    {
        var headers = context.Response.Headers;

        // Static assets set their own (long, fingerprinted) caching; everything else may hold customer data and must
        // not stay in a shared or back-button cache.
        if (!headers.ContainsKey(HeaderNames.CacheControl))
        {
            headers.CacheControl = "no-store";
        }

        // An absolute redirect is built from the request's Host header (cookie auth's sign-in redirect, Blazor's
        // NavigateTo), so "Host: evil.example" would send the browser there. A redirect to this site becomes
        // relative: it can only ever stay on the host the browser asked for.
        if (headers.Location is [{ } location] && Uri.TryCreate(location, UriKind.Absolute, out var uri)
            && uri.Scheme is "http" or "https" && string.Equals(uri.Host, context.Request.Host.Host, StringComparison.OrdinalIgnoreCase))
        {
            headers.Location = uri.PathAndQuery + uri.Fragment;
        }

        return Task.CompletedTask;
    }
}
