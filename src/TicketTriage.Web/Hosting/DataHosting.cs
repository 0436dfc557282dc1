namespace TicketTriage.Web.Hosting;

// Placeholder: the data layer replaces this.
public static class DataHosting
{
    public static WebApplicationBuilder AddDataAccess(this WebApplicationBuilder builder) => builder;

    public static Task PrepareDatabaseAsync(this WebApplication app) => Task.CompletedTask;
}
