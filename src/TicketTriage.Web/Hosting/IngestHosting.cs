using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TicketTriage.Web.Features.ApiKeys;
using TicketTriage.Web.Features.Ingest;

namespace TicketTriage.Web.Hosting;

/// <summary>API keys, the single ticket writer, the ingest endpoints, health and OpenAPI.</summary>
public static class IngestHosting
{
    public static WebApplicationBuilder AddIngestApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<IngestOptions>(builder.Configuration.GetSection("Ingest"));
        services.AddProblemDetails();
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, IngestJsonContext.Default));

        // Added to whatever default scheme the UI sets (cookies): the API endpoints name this scheme in their policies.
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(ApiKeyAuthenticationHandler.AddPolicies);

        services.TryAddSingleton<TicketWriterHooks>();
        services.AddSingleton<IngestAdmission>();
        services.AddSingleton<TicketWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<TicketWriter>());
        return builder;
    }

    public static WebApplication MapIngestApi(this WebApplication app)
    {
        // The API description is public, like the API's error answers; the UI's fallback policy must not hide it.
        app.MapOpenApi().AllowAnonymous();
        app.MapHealthEndpoints();

        var api = app.MapGroup("/api").WithTags("Tickets");
        api.MapSubmitTicket().RequireAuthorization(ApiKeyAuthenticationHandler.IngestPolicy);
        api.MapSubmitTicketBatch().RequireAuthorization(ApiKeyAuthenticationHandler.IngestPolicy);
        if (app.Configuration.GetValue("Bench:ReferenceEndpoints", false))
        {
            api.MapGroup("/bench").RequireAuthorization(ApiKeyAuthenticationHandler.IngestPolicy).MapParseOnlyReference();
        }

        return app;
    }
}
