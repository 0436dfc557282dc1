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
        builder.AddSecurityDefaults();    // SecurityHosting.cs: session stamps, Secure cookies, HSTS
        builder.ServeBuildOutputAssets(); // BuildOutputAssets.cs: static files from bin/ outside Development
        builder.AddErrorHandling();       // ErrorHandling.cs: error page for browsers, problem details for the API
        builder.AddTriage();              // TriageHosting.cs: triage worker, category model, changes, patterns API
        builder.AddReplies();             // RepliesHosting.cs: mail outbox + dispatcher, bulk replies, status page
        return builder;
    }

    public static WebApplication MapTicketTriage(this WebApplication app)
    {
        app.UseSecurityDefaults();        // SecurityHosting.cs: HSTS, no-store, host-free redirects
        app.UseStatusPage();              // RepliesHosting.cs: public /status and /status/feed, cached, before the rest
        app.UseUserInterfacePipeline();   // UiHosting.cs: static assets, authentication, authorization, antiforgery
        app.MapIngestApi();               // IngestHosting.cs: /api/tickets (ingest), /healthz, /readyz, /openapi
        app.MapTriageApi();               // TriageHosting.cs: /api/tickets (read), /api/changes, /api/patterns
        app.MapRepliesApi();              // RepliesHosting.cs: /api/patterns/{id}/bulk-replies, /api/bulk-replies/{id}
        app.MapUserInterface();           // UiHosting.cs: pages, sign-out, recategorize and admin form posts
        return app;
    }
}
