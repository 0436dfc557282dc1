using TicketTriage.Web.Data;
using TicketTriage.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddTicketTriage();

var app = builder.Build();
try
{
    await app.PrepareDatabaseAsync();
}
catch (DatabaseUnavailableException e)
{
    // Configuration or network, not a bug: say what was tried and how long it waited, without a stack trace.
    app.Logger.LogCritical("{Reason}", e.Message);
    await app.DisposeAsync();
    return 1;
}

app.MapTicketTriage();
app.Run();
return 0;

/// <summary>Entry point, public so integration tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
