using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Ingest;

/// <summary>Every ingest test again, with the app on PostgreSQL: the writer's SQL is shared by both providers.</summary>
public sealed class IngestApiPostgresTests(PostgresAppFactory app) : IngestApiTests(app), IClassFixture<PostgresAppFactory>
{
    protected override string? Unavailable => app.Database is null ? PostgresTestDatabase.SkipReason : null;
}
