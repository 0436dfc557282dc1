namespace TicketTriage.Web.Tests.Infrastructure;

/// <summary>
/// <see cref="TriageAppFactory"/> on a fresh PostgreSQL database (one per test class, dropped afterwards).
/// <see cref="Database"/> is null without <c>TICKETTRIAGE_TEST_POSTGRES</c>: tests must skip then.
/// </summary>
public sealed class PostgresAppFactory : TriageAppFactory
{
    public PostgresAppFactory()
    {
        // A fixture has no async constructor; this runs once per test class.
        Database = PostgresTestDatabase.CreateAsync().GetAwaiter().GetResult();
        PostgresConnectionString = Database?.ConnectionString;
    }

    public PostgresTestDatabase? Database { get; }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }
}
