using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TicketTriage.Web.Data;

/// <summary>
/// Per-connection SQLite settings, applied each time EF Core (or code using the context's connection) opens one.
/// </summary>
/// <remarks>
/// Durability: the database runs in WAL mode (set once, persistent, in <c>PrepareDatabaseAsync</c>). With
/// <c>synchronous=NORMAL</c> a commit is written to the WAL file before it returns, but not fsynced; the WAL is
/// fsynced at checkpoints. That survives a crash or SIGKILL of the <i>process</i> — the written pages are in the
/// operating system's cache and reach the disk regardless — so a ticket acknowledged with 2xx is never lost when the
/// app dies. It does not survive a power loss or kernel crash, which can drop the last commits before a checkpoint.
/// Set <c>Database:SqliteSynchronous=FULL</c> for that (an fsync per commit; group commit keeps it affordable).
/// </remarks>
internal sealed class SqliteConnectionSetup(string synchronous) : DbConnectionInterceptor
{
    private readonly string _pragmas = $"PRAGMA synchronous={synchronous}; PRAGMA busy_timeout=10000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
