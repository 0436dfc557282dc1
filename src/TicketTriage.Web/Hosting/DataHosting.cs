using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.ApiKeys;
using TicketTriage.Web.Features.Demo;
using TicketTriage.Web.Features.People;

namespace TicketTriage.Web.Hosting;

/// <summary>The database: provider by configuration, migrations at start-up, first-start accounts and demo data.</summary>
public static class DataHosting
{
    public static WebApplicationBuilder AddDataAccess(this WebApplicationBuilder builder)
    {
        var settings = DatabaseSettings.From(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        // The factory is a singleton (background services use it); it also registers TriageDbContext as scoped for
        // pages and endpoints.
        builder.Services.AddDbContextFactory<TriageDbContext>(settings.Configure);
        builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        builder.Services.AddSingleton<ApiKeyService>();
        builder.Services.AddSingleton<BootstrapAccounts>();
        builder.Services.AddSingleton<DemoSeeder>();
        if (settings.IsSqlite)
        {
            builder.Services.AddHostedService<SqliteCheckpointer>();
        }
        return builder;
    }

    /// <summary>
    /// Checks that a database server answers (<see cref="DatabaseUnavailableException"/> if not), migrates the database,
    /// creates the first admin and API key, and seeds demo data when enabled.
    /// </summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var services = app.Services;
        var settings = services.GetRequiredService<DatabaseSettings>();
        var dbFactory = services.GetRequiredService<IDbContextFactory<TriageDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            if (settings.IsSqlite)
            {
                // Persistent in the file: readers never block the writer and a commit is one append to the WAL.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            }

            await DatabaseConnectivity.EnsureReachableAsync(db, settings);

            await db.Database.MigrateAsync();
        }

        var demo = app.Configuration.GetValue("Demo:Seed", false);
        await services.GetRequiredService<BootstrapAccounts>().EnsureAsync(includeDemoUsers: demo);
        if (demo)
        {
            await services.GetRequiredService<DemoSeeder>().SeedAsync();
        }
    }
}
