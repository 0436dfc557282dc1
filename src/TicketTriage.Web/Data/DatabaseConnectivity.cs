using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace TicketTriage.Web.Data;

/// <summary>
/// The database server could not be reached at start-up. The message says what was tried (server, database, user —
/// never the password) and how long it waited; Program.cs prints it instead of a stack trace and exits with 1.
/// </summary>
public sealed class DatabaseUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// The first thing start-up does with a server database: open one connection, bounded by the connect timeout
/// (<c>Database:ConnectTimeoutSeconds</c> or the connection string's own), and turn a failure into a
/// <see cref="DatabaseUnavailableException"/> that an operator can act on.
/// </summary>
public static class DatabaseConnectivity
{
    public static async Task EnsureReachableAsync(DbContext db, DatabaseSettings settings, CancellationToken cancellationToken = default)
    {
        if (settings.IsSqlite)
        {
            return;
        }

        // The provider's own connection, not EF's: no execution strategy wrapping the error, no second log entry.
        var connection = db.Database.GetDbConnection();
        var clock = Stopwatch.StartNew();
        try
        {
            await connection.OpenAsync(cancellationToken);
            await connection.CloseAsync();
        }
        catch (Exception e) when (e is DbException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw new DatabaseUnavailableException(Describe(settings, clock.Elapsed, e), e);
        }
    }

    /// <summary>"Could not connect to SQL Server at 'tcp:db,1433' (database 'triage', user 'app') after 2.0 s (connect timeout 2 s): …".</summary>
    public static string Describe(DatabaseSettings settings, TimeSpan waited, Exception error)
    {
        var (product, server, database, user, timeout) = Target(settings);
        var who = string.IsNullOrEmpty(user) ? "integrated security" : $"user '{user}'";
        return string.Create(CultureInfo.InvariantCulture,
            $"Could not connect to {product} at '{server}' (database '{database}', {who}) from ConnectionStrings:Triage: " +
            $"gave up after {waited.TotalSeconds:0.0} s (connect timeout {timeout} s; Database:ConnectTimeoutSeconds sets it). " +
            $"{product} said: {FirstLine(error.Message)}");
    }

    private static (string Product, string Server, string Database, string User, int TimeoutSeconds) Target(DatabaseSettings settings)
    {
        if (settings.Provider == DatabaseProvider.SqlServer)
        {
            var b = new SqlConnectionStringBuilder(settings.ConnectionString);
            return ("SQL Server", b.DataSource, b.InitialCatalog, b.IntegratedSecurity ? "" : b.UserID, b.ConnectTimeout);
        }

        var n = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        return ("PostgreSQL", $"{n.Host}:{n.Port}", n.Database ?? "", n.Username ?? "", n.Timeout);
    }

    private static string FirstLine(string message) =>
        message.Split('\n', 2)[0].Trim();
}
