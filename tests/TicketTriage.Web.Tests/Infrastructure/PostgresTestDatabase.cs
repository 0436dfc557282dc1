using Npgsql;

namespace TicketTriage.Web.Tests.Infrastructure;

/// <summary>
/// A fresh, empty PostgreSQL database on the server named by <c>TICKETTRIAGE_TEST_POSTGRES</c> (test.sh starts a
/// throwaway one and exports it), dropped on dispose. <see cref="CreateAsync"/> returns null when the variable is not
/// set, so tests can <c>Assert.SkipWhen(db is null, …)</c> on a machine without PostgreSQL.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string Variable = "TICKETTRIAGE_TEST_POSTGRES";
    public const string SkipReason = "PostgreSQL not available: set " + Variable + " (test.sh does).";

    private readonly string _server;
    private readonly string _name;

    private PostgresTestDatabase(string server, string name)
    {
        _server = server;
        _name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString;
    }

    /// <summary>Connection string of the new database (pooling off, so dropping it never waits on idle connections).</summary>
    public string ConnectionString { get; }

    public static string? ServerConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } s ? s : null;

    public static async Task<PostgresTestDatabase?> CreateAsync(CancellationToken cancellationToken = default)
    {
        if (ServerConnectionString is not { } server)
        {
            return null;
        }

        var name = $"tt_test_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new PostgresTestDatabase(server, name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
