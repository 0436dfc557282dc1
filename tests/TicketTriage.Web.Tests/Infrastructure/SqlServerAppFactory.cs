namespace TicketTriage.Web.Tests.Infrastructure;

/// <summary>
/// <see cref="TriageAppFactory"/> on a fresh SQL Server database (one per test class, dropped afterwards).
/// <see cref="Database"/> is null without <c>TICKETTRIAGE_TEST_SQLSERVER</c>: tests must skip then.
/// </summary>
public sealed class SqlServerAppFactory : TriageAppFactory
{
    public SqlServerAppFactory()
    {
        // A fixture has no async constructor; this runs once per test class.
        Database = SqlServerTestDatabase.CreateAsync().GetAwaiter().GetResult();
        SqlServerConnectionString = Database?.ConnectionString;
    }

    public SqlServerTestDatabase? Database { get; }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }
}
