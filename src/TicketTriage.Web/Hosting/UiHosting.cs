namespace TicketTriage.Web.Hosting;

// Placeholder: the user interface replaces this.
public static class UiHosting
{
    public static WebApplicationBuilder AddUserInterface(this WebApplicationBuilder builder) => builder;

    public static WebApplication UseUserInterfacePipeline(this WebApplication app) => app;

    public static WebApplication MapUserInterface(this WebApplication app) => app;
}
