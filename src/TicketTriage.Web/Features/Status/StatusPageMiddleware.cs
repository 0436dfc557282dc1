namespace TicketTriage.Web.Features.Status;

/// <summary>
/// Answers <c>GET /status</c> and <c>GET /status/feed</c> from <see cref="StatusPageCache"/> before routing,
/// authentication, antiforgery or Blazor run, so the page costs a dictionary-free path compare and a byte copy even
/// while ingest saturates the rest. Public by design: it shows only what leads wrote for the public (and component
/// names), never ticket text. Shared caches may keep it for a few seconds.
/// </summary>
internal sealed class StatusPageMiddleware(RequestDelegate next, StatusPageCache cache)
{
    private const string Policy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        var isPage = path.Equals("/status", StringComparison.OrdinalIgnoreCase) || path.Equals("/status/", StringComparison.OrdinalIgnoreCase);
        var isFeed = path.Equals("/status/feed", StringComparison.OrdinalIgnoreCase);
        if (!(isPage || isFeed) || !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
        {
            await next(context);
            return;
        }

        var snapshot = await cache.GetAsync();
        var headers = context.Response.Headers;
        var etag = isFeed ? snapshot.ETag.Insert(1, "f") : snapshot.ETag;
        headers.CacheControl = "public, max-age=10";
        headers.ETag = etag;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (context.Request.Headers.IfNoneMatch == etag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var body = isFeed ? snapshot.Feed : snapshot.Html;
        context.Response.ContentType = isFeed ? "application/atom+xml; charset=utf-8" : "text/html; charset=utf-8";
        context.Response.ContentLength = body.Length;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }
}
