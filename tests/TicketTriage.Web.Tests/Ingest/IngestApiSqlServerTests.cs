using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Ingest;

/// <summary>Every ingest test again, with the app on SQL Server (its own T-SQL in the writer); skipped without a server.</summary>
public sealed class IngestApiSqlServerTests(SqlServerAppFactory app) : IngestApiTests(app), IClassFixture<SqlServerAppFactory>
{
    protected override string? Unavailable => app.Database is null ? SqlServerTestDatabase.SkipReason : null;
}
