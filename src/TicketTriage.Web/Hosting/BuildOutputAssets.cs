using Microsoft.AspNetCore.Hosting.StaticWebAssets;

namespace TicketTriage.Web.Hosting;

/// <summary>
/// Static files when the app runs from its build output (<c>bin/</c>) outside Development. There, the asset
/// endpoints (from <c>*.staticwebassets.endpoints.json</c>) name files — the pre-compressed <c>.gz</c> variants among
/// them — that live in the project and <c>obj/</c> folders, listed by <c>*.staticwebassets.runtime.json</c>, which
/// ASP.NET Core reads only in Development: every client that accepted gzip got a 200 with an empty body. Reading
/// that manifest in any environment serves the same bytes as Development. Published output (the documented way to
/// run in Production) has no such manifest — its files sit in <c>wwwroot/</c> — and is left alone.
/// </summary>
public static class BuildOutputAssets
{
    public static WebApplicationBuilder ServeBuildOutputAssets(this WebApplicationBuilder builder)
    {
        var manifest = Path.Combine(AppContext.BaseDirectory, $"{builder.Environment.ApplicationName}.staticwebassets.runtime.json");
        if (!builder.Environment.IsDevelopment() && File.Exists(manifest))
        {
            StaticWebAssetsLoader.UseStaticWebAssets(builder.Environment, builder.Configuration);
        }

        return builder;
    }
}
