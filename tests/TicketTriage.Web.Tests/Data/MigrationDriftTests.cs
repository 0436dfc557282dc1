using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Data;

/// <summary>
/// There is no model snapshot (migrations are written by hand), so nothing else notices when an entity or its
/// configuration changes without a migration. These tests build one database through the migrations and another
/// from the model (EnsureCreated) and require the same tables, columns, types, nullability, indexes and keys.
/// </summary>
public sealed class MigrationDriftTests
{
    [Fact]
    public async Task Migrations_produce_the_model_schema_on_Sqlite()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = Directory.CreateTempSubdirectory("tt-drift-");
        try
        {
            var migrated = await SqliteSchemaAsync(Path.Combine(directory.FullName, "migrated.db"), migrate: true, ct);
            var created = await SqliteSchemaAsync(Path.Combine(directory.FullName, "created.db"), migrate: false, ct);

            Assert.Contains("table Tickets", created);
            Assert.Equal(created, migrated);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Migrations_produce_the_model_schema_on_Postgres()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var migratedDb = await PostgresTestDatabase.CreateAsync(ct);
        Assert.SkipWhen(migratedDb is null, PostgresTestDatabase.SkipReason);
        await using var createdDb = await PostgresTestDatabase.CreateAsync(ct);

        var migrated = await PostgresSchemaAsync(migratedDb.ConnectionString, migrate: true, ct);
        var created = await PostgresSchemaAsync(createdDb!.ConnectionString, migrate: false, ct);

        Assert.Contains(created, l => l.StartsWith("column Tickets.Subject character varying(500)", StringComparison.Ordinal));
        Assert.Equal(created, migrated);
    }

    [Fact]
    public void The_model_has_one_migration_per_schema_change_and_they_are_discovered()
    {
        using var db = new TriageDbContext(new DbContextOptionsBuilder<TriageDbContext>().UseSqlite("Data Source=:memory:").Options);

        Assert.Contains("20261121000000_Initial", db.Database.GetMigrations());
    }

    private static async Task<List<string>> SqliteSchemaAsync(string path, bool migrate, CancellationToken ct)
    {
        var options = new DbContextOptionsBuilder<TriageDbContext>().UseSqlite($"Data Source={path};Pooling=false").Options;
        await using var db = new TriageDbContext(options);
        await (migrate ? db.Database.MigrateAsync(ct) : db.Database.EnsureCreatedAsync(ct));
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        await connection.OpenAsync(ct);
        return await SchemaSnapshot.ReadSqliteAsync(connection, ct);
    }

    private static async Task<List<string>> PostgresSchemaAsync(string connectionString, bool migrate, CancellationToken ct)
    {
        var options = new DbContextOptionsBuilder<TriageDbContext>().UseNpgsql(connectionString).Options;
        await using var db = new TriageDbContext(options);
        await (migrate ? db.Database.MigrateAsync(ct) : db.Database.EnsureCreatedAsync(ct));
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        return await SchemaSnapshot.ReadPostgresAsync(connection, ct);
    }
}
