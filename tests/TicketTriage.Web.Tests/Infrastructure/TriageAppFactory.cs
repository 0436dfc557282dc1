using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TicketTriage.Web.Data;

namespace TicketTriage.Web.Tests.Infrastructure;

/// <summary>
/// The whole app in memory on its own temporary SQLite file (or a PostgreSQL or SQL Server database), demo data off, with a known
/// admin password and API key. Use as <c>IClassFixture&lt;TriageAppFactory&gt;</c>, or create one per test with
/// settings: <c>new TriageAppFactory { Settings = { ["Ingest:QueueCapacity"] = "4" } }</c> (before first use).
/// </summary>
public class TriageAppFactory : WebApplicationFactory<Program>
{
    /// <summary>Bootstrap key with scopes ingest + read.</summary>
    public const string ApiKey = "tt_testkey01_0123456789abcdefghijklmnopqrstuv";
    public const string AdminEmail = "admin@example.com";
    public const string AdminPassword = "admin-test-password-1";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tt-tests", Guid.NewGuid().ToString("N"));

    public TriageAppFactory()
    {
        Directory.CreateDirectory(_directory);
        DatabasePath = Path.Combine(_directory, "triage.db");
    }

    /// <summary>Extra configuration, applied with <c>UseSetting</c> over the defaults below; set before first use.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>Extra service registrations (test doubles), applied after the app's own.</summary>
    public Action<IServiceCollection>? ConfigureTestServices { get; init; }

    /// <summary>The SQLite file (unused when <see cref="PostgresConnectionString"/> is set).</summary>
    public string DatabasePath { get; }

    /// <summary>A temporary folder deleted with the factory, for Data Protection keys and other files.</summary>
    public string TempDirectory => _directory;

    /// <summary>The ASP.NET Core environment (Production: error page, HSTS, no demo data by default).</summary>
    public string Environment { get; init; } = "Development";

    /// <summary>The <c>Demo:Seed</c> setting; null leaves it to the app's own configuration files.</summary>
    public string? DemoSeed { get; init; } = "false";

    /// <summary>Run on PostgreSQL instead (e.g. <see cref="PostgresTestDatabase.ConnectionString"/>).</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>Run on SQL Server instead (e.g. <see cref="SqlServerTestDatabase.ConnectionString"/>).</summary>
    public string? SqlServerConnectionString { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        if (PostgresConnectionString is { } postgres)
        {
            builder.UseSetting("Database:Provider", "Postgres");
            builder.UseSetting("ConnectionStrings:Triage", postgres);
        }
        else if (SqlServerConnectionString is { } sqlServer)
        {
            builder.UseSetting("Database:Provider", "SqlServer");
            builder.UseSetting("ConnectionStrings:Triage", sqlServer);
        }
        else
        {
            builder.UseSetting("Database:Provider", "Sqlite");
            // Pooling off so the file can be deleted when the factory is disposed.
            builder.UseSetting("ConnectionStrings:Triage", $"Data Source={DatabasePath};Pooling=false");
        }

        if (DemoSeed is not null)
        {
            builder.UseSetting("Demo:Seed", DemoSeed);
        }

        builder.UseSetting("Bootstrap:AdminEmail", AdminEmail);
        builder.UseSetting("Bootstrap:AdminPassword", AdminPassword);
        builder.UseSetting("Bootstrap:ApiKey", ApiKey);
        builder.UseSetting("DataProtection:KeysPath", Path.Combine(_directory, "keys"));
        // Mail goes to this factory's own pickup folder, never into the source tree.
        builder.UseSetting("Mail:PickupPath", Path.Combine(_directory, "mail-pickup"));
        // The first featurizer fit tops an empty database up with corpus tickets; a quarter of the production 4,000
        // still gives the latent block (it needs 256), at a quarter of the CPU — and this suite starts dozens of apps.
        // The E2E tests run the app with its production default.
        builder.UseSetting("Triage:HistoryMinTickets", "1000");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        if (ConfigureTestServices is { } configure)
        {
            builder.ConfigureServices(configure);
        }
    }

    /// <summary>A client that sends <c>X-Api-Key</c> (the bootstrap key unless another is given; null sends none).</summary>
    public HttpClient CreateApiClient(string? apiKey = ApiKey)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    /// <summary>A fresh context on the app's database (dispose it).</summary>
    public TriageDbContext CreateDbContext() => Services.GetRequiredService<IDbContextFactory<TriageDbContext>>().CreateDbContext();

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        catch (Exception e)
        {
            // xUnit names a failed fixture clean-up by its wrapper's type only; say what failed, for the CI log.
            await Console.Error.WriteLineAsync($"[TriageAppFactory] stopping the app failed: {e}");
            throw;
        }

        GC.SuppressFinalize(this);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow shutdown: the OS temp cleaner gets it.
        }
    }
}
