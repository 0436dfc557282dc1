namespace TicketTriage.Web.Hosting;

/// <summary>
/// The whole app's composition, one call per area; each area's registrations live in its own Hosting/*.cs file.
/// </summary>
public static class TicketTriageHosting
{
    public static WebApplicationBuilder AddTicketTriage(this WebApplicationBuilder builder)
    {
        builder.AddDataAccess();          // DataHosting.cs: DbContext, provider by configuration
        builder.AddIngestApi();           // IngestHosting.cs: API keys, ticket writer, ingest endpoints
        builder.AddUserInterface();       // UiHosting.cs: cookie sign-in, interactive Razor components, MudBlazor
        return builder;
    }

    public static WebApplication MapTicketTriage(this WebApplication app)
    {
        app.UseUserInterfacePipeline();   // UiHosting.cs: static assets, authentication, authorization, antiforgery
        app.MapIngestApi();               // IngestHosting.cs: /api/*, /healthz, /readyz, /openapi
        app.MapUserInterface();           // UiHosting.cs: pages, sign-out and admin form posts
        return app;
    }
}
