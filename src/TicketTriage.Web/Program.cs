using TicketTriage.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddTicketTriage();

var app = builder.Build();
await app.PrepareDatabaseAsync();
app.MapTicketTriage();
app.Run();

/// <summary>Entry point, public so integration tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
