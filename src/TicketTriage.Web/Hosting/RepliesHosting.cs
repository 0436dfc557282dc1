using TicketTriage.Web.Features.ApiKeys;
using TicketTriage.Web.Features.BulkReplies;
using TicketTriage.Web.Features.Mail;
using TicketTriage.Web.Features.Status;

namespace TicketTriage.Web.Hosting;

/// <summary>
/// Replies that reach customers: the mail outbox and its dispatcher (Pickup or SMTP), bulk replies and their runner,
/// incident updates and the public status page (served by a middleware early in the pipeline, see Features/Status).
/// </summary>
public static class RepliesHosting
{
    public static WebApplicationBuilder AddReplies(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<MailOptions>(builder.Configuration.GetSection("Mail"));
        var transport = builder.Configuration.GetValue("Mail:Transport", MailTransportKind.Pickup);
        if (transport == MailTransportKind.Smtp)
        {
            services.AddSingleton<IMailTransport, SmtpMailTransport>();
        }
        else
        {
            services.AddSingleton<IMailTransport, PickupMailTransport>();
        }

        services.AddSingleton<MailOutbox>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<BulkReplyRunner>();
        services.AddSingleton<BulkReplyOperations>();
        services.AddSingleton<IncidentUpdates>();
        services.AddSingleton<StatusPageCache>();
        services.Configure<StatusPageOptions>(builder.Configuration.GetSection("StatusPage"));
        if (builder.Configuration.GetValue("Mail:DispatcherEnabled", true))
        {
            services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        }

        if (builder.Configuration.GetValue("BulkReplies:RunnerEnabled", true))
        {
            services.AddHostedService(sp => sp.GetRequiredService<BulkReplyRunner>());
        }

        return builder;
    }

    /// <summary>Before authentication, routing and the UI: <c>/status</c> stays cheap when the rest is busy.</summary>
    public static WebApplication UseStatusPage(this WebApplication app)
    {
        app.UseMiddleware<StatusPageMiddleware>();
        return app;
    }

    public static WebApplication MapRepliesApi(this WebApplication app)
    {
        app.MapGroup("/api").WithTags("Bulk replies").RequireAuthorization(ApiKeyAuthenticationHandler.ReplyPolicy).MapBulkRepliesApi();
        return app;
    }
}
