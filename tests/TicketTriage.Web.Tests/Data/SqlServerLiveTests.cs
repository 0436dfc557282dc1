using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Data;

/// <summary>
/// The drift test against a real SQL Server: one database through the migrations, one from the model, the same
/// catalog. Runs only when <c>TICKETTRIAGE_TEST_SQLSERVER</c> names a server; the offline tests cover the DDL text.
/// </summary>
public sealed class SqlServerLiveTests
{
    [Fact]
    public async Task Migrations_produce_the_model_schema_on_a_live_SqlServer()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var migratedDb = await SqlServerTestDatabase.CreateAsync(ct);
        Assert.SkipWhen(migratedDb is null, SqlServerTestDatabase.SkipReason);
        await using var createdDb = await SqlServerTestDatabase.CreateAsync(ct);

        var migrated = await SchemaAsync(migratedDb.ConnectionString, migrate: true, ct);
        var created = await SchemaAsync(createdDb!.ConnectionString, migrate: false, ct);

        Assert.Contains(created, l => l.StartsWith("column Tickets.Subject nvarchar(1000)", StringComparison.Ordinal));
        Assert.Equal(created, migrated);
    }

    private static async Task<List<string>> SchemaAsync(string connectionString, bool migrate, CancellationToken ct)
    {
        var options = new DbContextOptionsBuilder<TriageDbContext>().UseSqlServer(connectionString).Options;
        await using var db = new TriageDbContext(options);
        await (migrate ? db.Database.MigrateAsync(ct) : db.Database.EnsureCreatedAsync(ct));
        await using var connection = new SqlConnection(connectionString);
        await connection.OpenAsync(ct);
        return await SchemaSnapshot.ReadSqlServerAsync(connection, ct);
    }
}
