using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using TicketTriage.Web.Data;

namespace TicketTriage.Web.Tests.Infrastructure;

/// <summary>
/// A SQL Server-configured <see cref="TriageDbContext"/> that never connects: opening the connection is suppressed
/// and every command is recorded and answered with no rows. Feature code runs unchanged against it, so a test sees
/// the exact T-SQL EF Core would send to a real server (no SQL Server engine can run on these machines).
/// </summary>
internal sealed class OfflineSqlServer : IDbContextFactory<TriageDbContext>
{
    /// <summary>Never resolved: the connection is never opened.</summary>
    public const string ConnectionString = "Server=tcp:sqlserver.invalid,1433;Database=triage;User Id=app;Password=never-used;Encrypt=false";

    private readonly Recorder _recorder = new();

    /// <summary>Every command sent so far, in order.</summary>
    public IReadOnlyList<string> Commands => [.. _recorder.Commands];

    public static DbContextOptions<TriageDbContext> Options(params IInterceptor[] interceptors) =>
        new DbContextOptionsBuilder<TriageDbContext>().UseSqlServer(ConnectionString).AddInterceptors(interceptors).Options;

    public TriageDbContext CreateDbContext() => new(Options(_recorder));

    private sealed class Recorder : DbCommandInterceptor, IDbConnectionInterceptor
    {
        public ConcurrentQueue<string> Commands { get; } = new();

        public InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
            InterceptionResult.Suppress();

        public ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(InterceptionResult.Suppress());

        public InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
            InterceptionResult.Suppress();

        public ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
            ValueTask.FromResult(InterceptionResult.Suppress());

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
            InterceptionResult<DbDataReader>.SuppressWithResult(Record(command));

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(InterceptionResult<DbDataReader>.SuppressWithResult(Record(command)));

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            Record(command);
            return InterceptionResult<int>.SuppressWithResult(0);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(InterceptionResult<int>.SuppressWithResult(0));
        }

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            Record(command);
            return InterceptionResult<object>.SuppressWithResult(DBNull.Value);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(InterceptionResult<object>.SuppressWithResult(DBNull.Value));
        }

        private DbDataReader Record(DbCommand command)
        {
            // Parameters are declared as SQL Server receives them (sp_executesql), so the text parses on its own.
            var declarations = command.Parameters.Cast<DbParameter>()
                .Select(p => $"DECLARE {p.ParameterName} {SqlType(p)};");
            Commands.Enqueue(string.Join("\n", declarations.Append(command.CommandText)));
            return new DataTable().CreateDataReader();
        }

        private static string SqlType(DbParameter parameter) => parameter switch
        {
            Microsoft.Data.SqlClient.SqlParameter s => s.SqlDbType switch
            {
                SqlDbType.NVarChar => s.Size is > 0 and <= 4000 ? $"nvarchar({s.Size})" : "nvarchar(max)",
                SqlDbType.DateTime2 => "datetime2",
                _ => s.SqlDbType.ToString().ToLowerInvariant(),
            },
            _ => "sql_variant",
        };
    }
}
