using Microsoft.Data.SqlClient;

namespace TicketTriage.Web.Tests.Infrastructure;

/// <summary>
/// A fresh, empty SQL Server database on the server named by <c>TICKETTRIAGE_TEST_SQLSERVER</c> (an ordinary SQL
/// Server connection string with rights to create databases), dropped on dispose. <see cref="CreateAsync"/> returns
/// null when the variable is not set — no SQL Server engine runs on this project's machines, so these tests skip
/// there with <see cref="SkipReason"/> and run wherever someone points them at a server.
/// </summary>
public sealed class SqlServerTestDatabase : IAsyncDisposable
{
    public const string Variable = "TICKETTRIAGE_TEST_SQLSERVER";
    public const string SkipReason = "SQL Server not available: set " + Variable + " to a SQL Server connection string (none can run on this project's machines).";

    private readonly string _server;
    private readonly string _name;

    private SqlServerTestDatabase(string server, string name)
    {
        _server = server;
        _name = name;
        ConnectionString = new SqlConnectionStringBuilder(server) { InitialCatalog = name, Pooling = false }.ConnectionString;
    }

    /// <summary>Connection string of the new database (pooling off, so dropping it never waits on idle connections).</summary>
    public string ConnectionString { get; }

    public static string? ServerConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } s ? s : null;

    public static async Task<SqlServerTestDatabase?> CreateAsync(CancellationToken cancellationToken = default)
    {
        if (ServerConnectionString is not { } server)
        {
            return null;
        }

        var name = $"tt_test_{Guid.NewGuid():N}";
        await using var connection = new SqlConnection(server);
        await connection.OpenAsync(cancellationToken);
        await using var command = new SqlCommand($"CREATE DATABASE [{name}]", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new SqlServerTestDatabase(server, name);
    }

    public async ValueTask DisposeAsync()
    {
        SqlConnection.ClearAllPools();
        await using var connection = new SqlConnection(_server);
        await connection.OpenAsync();
        await using var command = new SqlCommand(
            $"IF DB_ID(N'{_name}') IS NOT NULL BEGIN ALTER DATABASE [{_name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{_name}]; END", connection);
        await command.ExecuteNonQueryAsync();
    }
}
