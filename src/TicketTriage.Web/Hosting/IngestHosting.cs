namespace TicketTriage.Web.Hosting;

// Placeholder: the ingest API replaces this.
public static class IngestHosting
{
    public static WebApplicationBuilder AddIngestApi(this WebApplicationBuilder builder) => builder;

    public static WebApplication MapIngestApi(this WebApplication app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok("ok"));
        return app;
    }
}
