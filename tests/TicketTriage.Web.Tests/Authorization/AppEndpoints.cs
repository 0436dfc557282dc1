using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Authorization;

/// <summary>One route and method the app answers, as routing knows it (not as a test author remembers it).</summary>
public sealed record AppEndpoint(string Method, string Route)
{
    public override string ToString() => $"{Method} {Route}";
}

internal static class AppEndpoints
{
    /// <summary>Every (method, route) of the running app, static assets collapsed into one <see cref="StaticAsset"/>.</summary>
    public static IReadOnlyList<AppEndpoint> All(TriageAppFactory factory)
    {
        var source = factory.Services.GetRequiredService<EndpointDataSource>();
        return source.Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => Methods(e).Select(m => IsStaticAsset(e) ? StaticAsset : new AppEndpoint(m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Distinct()
            .OrderBy(e => e.Route, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Stands for every file under wwwroot (MapStaticAssets makes one endpoint per file and fingerprint).</summary>
    public static readonly AppEndpoint StaticAsset = new("GET", "(static assets)");

    private static IEnumerable<string> Methods(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } methods ? methods : ["*"];

    private static bool IsStaticAsset(RouteEndpoint endpoint) =>
        endpoint.Metadata.Any(m => m.GetType().FullName == "Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor");
}
