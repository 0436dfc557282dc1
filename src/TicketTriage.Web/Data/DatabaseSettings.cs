using Microsoft.Data.Sqlite;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace TicketTriage.Web.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
    SqlServer,
}

/// <summary>
/// Which database and where, read once from <c>Database:Provider</c> and <c>ConnectionStrings:Triage</c>.
/// A relative SQLite path is taken relative to the content root, and its folder is created. For the server
/// providers, <c>Database:ConnectTimeoutSeconds</c> (when set) replaces the connection string's connect timeout, so
/// an unreachable server fails start-up in a known time (see <see cref="DatabaseConnectivity"/>).
/// </summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString, string SqliteSynchronous)
{
    public const string DefaultSqlite = "Data Source=.data/triage.db";

    public bool IsSqlite => Provider == DatabaseProvider.Sqlite;

    public static DatabaseSettings From(IConfiguration configuration, string contentRoot)
    {
        var provider = ParseProvider(configuration["Database:Provider"]);
        var connectionString = configuration.GetConnectionString("Triage");
        // NORMAL is durable against a crash of the process (see SqliteConnectionSetup); FULL also against power loss.
        var synchronous = configuration["Database:SqliteSynchronous"] ?? "NORMAL";
        if (synchronous is not ("NORMAL" or "FULL" or "EXTRA"))
        {
            throw new InvalidOperationException("Database:SqliteSynchronous must be NORMAL, FULL or EXTRA.");
        }

        if (provider != DatabaseProvider.Sqlite)
        {
            return string.IsNullOrWhiteSpace(connectionString)
                ? throw new InvalidOperationException($"Database:Provider is {provider} but ConnectionStrings:Triage is empty.")
                : new DatabaseSettings(provider, WithConnectTimeout(provider, connectionString, configuration), synchronous);
        }

        var sqlite = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(connectionString) ? DefaultSqlite : connectionString);
        if (sqlite.DataSource is not ("" or ":memory:") && sqlite.Mode != SqliteOpenMode.Memory)
        {
            if (!Path.IsPathRooted(sqlite.DataSource))
            {
                sqlite.DataSource = Path.GetFullPath(Path.Combine(contentRoot, sqlite.DataSource));
            }

            Directory.CreateDirectory(Path.GetDirectoryName(sqlite.DataSource)!);
        }

        return new DatabaseSettings(provider, sqlite.ToString(), synchronous);
    }

    public void Configure(DbContextOptionsBuilder options)
    {
        switch (Provider)
        {
            case DatabaseProvider.Sqlite:
                options.UseSqlite(ConnectionString).AddInterceptors(new SqliteConnectionSetup(SqliteSynchronous));
                break;
            case DatabaseProvider.Postgres:
                options.UseNpgsql(ConnectionString);
                break;
            case DatabaseProvider.SqlServer:
                // No retrying execution strategy: the ingest writer runs its own transactions, which a retrying
                // strategy refuses; a failed group is retried by the writer itself.
                options.UseSqlServer(ConnectionString);
                break;
        }
    }

    private static DatabaseProvider ParseProvider(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return DatabaseProvider.Sqlite;
        }

        // Names only: Enum.TryParse would also take "2" or "Sqlite, Postgres".
        foreach (var provider in Enum.GetValues<DatabaseProvider>())
        {
            if (string.Equals(provider.ToString(), name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return provider;
            }
        }

        throw new InvalidOperationException(
            $"Database:Provider '{name}' is not supported; use one of: {string.Join(", ", Enum.GetNames<DatabaseProvider>())}.");
    }

    private static string WithConnectTimeout(DatabaseProvider provider, string connectionString, IConfiguration configuration)
    {
        if (configuration["Database:ConnectTimeoutSeconds"] is not { Length: > 0 } text)
        {
            return connectionString;
        }

        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > 600)
        {
            throw new InvalidOperationException($"Database:ConnectTimeoutSeconds must be a whole number of seconds from 1 to 600, not '{text}'.");
        }

        return provider == DatabaseProvider.SqlServer
            ? new SqlConnectionStringBuilder(connectionString) { ConnectTimeout = seconds }.ConnectionString
            : new NpgsqlConnectionStringBuilder(connectionString) { Timeout = seconds }.ConnectionString;
    }
}
