using Microsoft.Data.Sqlite;

namespace TicketTriage.Web.Data;

/// <summary>
/// Moves SQLite WAL checkpoints off the ticket writer. By default the connection that commits runs the checkpoint
/// (copying the WAL into the database and fsyncing both) inside its commit, which stalls every request waiting on that
/// group. The writer turns that off; this service checkpoints from its own connection instead: PASSIVE every
/// <see cref="Interval"/> (never blocks the writer), and TRUNCATE when the WAL has grown past <see cref="HardLimitBytes"/>
/// under sustained load (briefly waits for the writer) so the file stays bounded.
/// </summary>
internal sealed class SqliteCheckpointer(DatabaseSettings settings, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private const long HardLimitBytes = 512L * 1024 * 1024;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var builder = new SqliteConnectionStringBuilder(settings.ConnectionString);
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:")
        {
            return;
        }

        var wal = builder.DataSource + "-wal";
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var size = File.Exists(wal) ? new FileInfo(wal).Length : 0;
                if (size == 0)
                {
                    continue;
                }

                await using var connection = new SqliteConnection(settings.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                await using var command = connection.CreateCommand();
                command.CommandText = $"PRAGMA busy_timeout=5000; PRAGMA journal_size_limit={64 * 1024 * 1024}; PRAGMA wal_checkpoint({(size > HardLimitBytes ? "TRUNCATE" : "PASSIVE")});";
                await command.ExecuteNonQueryAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "SQLite checkpoint failed; retrying in {Interval}.", Interval);
            }
        }
    }
}
