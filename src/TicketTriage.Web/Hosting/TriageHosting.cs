using TicketTriage.Web.Features.ApiKeys;
using TicketTriage.Web.Features.Changes;
using TicketTriage.Web.Features.Demo;
using TicketTriage.Web.Features.Ingest;
using TicketTriage.Web.Features.Patterns;
using TicketTriage.Web.Features.Similar;
using TicketTriage.Web.Features.TicketApi;
using TicketTriage.Web.Features.Triage;

namespace TicketTriage.Web.Hosting;

/// <summary>Triage: the worker fed by ingest, the category model, changes, and the read API over tickets and patterns.</summary>
public static class TriageHosting
{
    public static WebApplicationBuilder AddTriage(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection("Triage");
        services.Configure<TriageOptions>(section);
        var options = section.Get<TriageOptions>() ?? new TriageOptions();
        services.AddSingleton(new TriageSignals(options.QueueCapacity));
        services.AddSingleton<ITicketIngestObserver, TriageIngestObserver>();
        services.Configure<ClassifierEngineOptions>(builder.Configuration.GetSection("Classifier"));
        services.AddSingleton<ClassifierSource>();
        // Loads the category model before the app listens, so a model that does not fit stops the start-up.
        services.AddHostedService(sp => new ClassifierStartupCheck(sp.GetRequiredService<ClassifierSource>()));
        services.AddSingleton<EngineStateStore>();
        services.AddSingleton<ChangeStore>();
        services.AddSingleton<TicketRecategorization>();
        services.AddSingleton<PatternActionQueue>();
        services.AddSingleton<PatternActionWriter>();
        services.AddSingleton<PatternActions>();
        services.AddSingleton<TriageWorker>();
        services.AddSingleton<SimilarTicketSearch>();
        services.AddHostedService(sp => sp.GetRequiredService<SimilarTicketSearch>());
        if (options.Enabled)
        {
            services.AddHostedService(sp => sp.GetRequiredService<TriageWorker>());
        }

        services.AddHostedService<DemoReplay>();
        return builder;
    }

    public static WebApplication MapTriageApi(this WebApplication app)
    {
        var read = app.MapGroup("/api").RequireAuthorization(ApiKeyAuthenticationHandler.ReadPolicy);
        read.WithTags("Tickets").MapGetTicket();
        read.MapListTickets().WithTags("Tickets");
        read.MapGetSimilarTickets().WithTags("Tickets");
        read.MapListLabeledExamples().WithTags("Training");
        read.MapListChanges().WithTags("Changes");
        read.MapGroup("").WithTags("Patterns").MapPatternsApi();
        app.MapGroup("/api").WithTags("Changes").RequireAuthorization(ApiKeyAuthenticationHandler.IngestPolicy).MapPostChange();
        return app;
    }
}
