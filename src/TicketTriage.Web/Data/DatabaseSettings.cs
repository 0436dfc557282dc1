using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace TicketTriage.Web.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Which database and where, read once from <c>Database:Provider</c> and <c>ConnectionStrings:Triage</c>.
/// A relative SQLite path is taken relative to the content root, and its folder is created.
/// </summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString, string SqliteSynchronous)
{
    public const string DefaultSqlite = "Data Source=.data/triage.db";

    public bool IsSqlite => Provider == DatabaseProvider.Sqlite;

    public static DatabaseSettings From(IConfiguration configuration, string contentRoot)
    {
        var providerName = configuration["Database:Provider"];
        var provider = string.IsNullOrWhiteSpace(providerName) ? DatabaseProvider.Sqlite
            : Enum.TryParse<DatabaseProvider>(providerName, ignoreCase: true, out var p) ? p
            : throw new InvalidOperationException($"Database:Provider must be Sqlite or Postgres, not '{providerName}'.");
        var connectionString = configuration.GetConnectionString("Triage");
        // NORMAL is durable against a crash of the process (see SqliteConnectionSetup); FULL also against power loss.
        var synchronous = configuration["Database:SqliteSynchronous"] ?? "NORMAL";
        if (synchronous is not ("NORMAL" or "FULL" or "EXTRA"))
        {
            throw new InvalidOperationException("Database:SqliteSynchronous must be NORMAL, FULL or EXTRA.");
        }

        if (provider == DatabaseProvider.Postgres)
        {
            return string.IsNullOrWhiteSpace(connectionString)
                ? throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Triage is empty.")
                : new DatabaseSettings(provider, connectionString, synchronous);
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
        if (IsSqlite)
        {
            options.UseSqlite(ConnectionString).AddInterceptors(new SqliteConnectionSetup(SqliteSynchronous));
        }
        else
        {
            options.UseNpgsql(ConnectionString);
        }
    }
}
