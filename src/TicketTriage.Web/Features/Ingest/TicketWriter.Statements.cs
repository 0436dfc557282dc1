using System.Data;
using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;

namespace TicketTriage.Web.Features.Ingest;

// The writer's prepared statements: what one ticket costs on the hot path.
internal sealed partial class TicketWriter
{
    /// <summary>The writer's connection (opened through a context, so the SQLite pragmas apply) and its prepared statements.</summary>
    private sealed class Statements(TriageDbContext db, DbConnection connection) : IDisposable
    {
        private static readonly string[] LongTextParameters = ["body", "attributes"];

        private readonly DbCommand _find = Command(connection, TicketWriterSql.For(connection).FindTicket, ("source", DbType.String), ("externalId", DbType.String));

        private readonly DbCommand _upsertCustomer = Command(connection, TicketWriterSql.For(connection).UpsertCustomer,
            ("email", DbType.String), ("username", DbType.String), ("name", DbType.String), ("plan", DbType.String),
            ("tier", DbType.String), ("server", DbType.String), ("datacenter", DbType.String), ("region", DbType.String),
            ("attributes", DbType.String), ("now", null));

        private readonly SqliteConnection? _sqlite = connection as SqliteConnection;

        private readonly DbCommand _insert = Command(connection, TicketWriterSql.For(connection).InsertTicket,
            ("source", DbType.String), ("externalId", DbType.String), ("channel", DbType.String), ("subject", DbType.String),
            ("body", DbType.String), ("createdAt", null), ("now", null), ("attributes", DbType.String), ("customerId", DbType.Int64));

        public DbConnection Connection => connection;

        public bool IsSqlite => _sqlite is not null;

        public void Checkpoint()
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            command.ExecuteNonQuery();
        }

        public static Statements Open(IDbContextFactory<TriageDbContext> dbFactory)
        {
            var db = dbFactory.CreateDbContext();
            try
            {
                db.Database.OpenConnection();
                if (db.Database.IsSqlite())
                {
                    // No checkpoint inside commits (SQLite's default, every 1,000 pages): SqliteCheckpointer copies the
                    // WAL in the background and CheckpointIfDue finishes between groups. The size limit shrinks a WAL
                    // file that a burst had grown, once it restarts.
                    db.Database.ExecuteSqlRaw("PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit=67108864;");
                }

                var statements = new Statements(db, db.Database.GetDbConnection());
                statements.Prepare();
                return statements;
            }
            catch
            {
                db.Dispose();
                throw;
            }
        }

        public void Enlist(DbTransaction transaction)
        {
            _find.Transaction = transaction;
            _upsertCustomer.Transaction = transaction;
            _insert.Transaction = transaction;
        }

        public long? FindTicket(string source, string externalId)
        {
            _find.Parameters[0].Value = source;
            _find.Parameters[1].Value = externalId;
            return _find.ExecuteScalar() is { } id and not DBNull ? Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture) : null;
        }

        public long UpsertCustomer(NewCustomer c, DateTime now)
        {
            var p = _upsertCustomer.Parameters;
            p[0].Value = c.Email;
            p[1].Value = (object?)c.Username ?? DBNull.Value;
            p[2].Value = (object?)c.Name ?? DBNull.Value;
            p[3].Value = (object?)c.Plan ?? DBNull.Value;
            p[4].Value = (object?)c.Tier ?? DBNull.Value;
            p[5].Value = (object?)c.Server ?? DBNull.Value;
            p[6].Value = (object?)c.Datacenter ?? DBNull.Value;
            p[7].Value = (object?)c.Region ?? DBNull.Value;
            p[8].Value = (object?)c.AttributesJson ?? DBNull.Value;
            p[9].Value = now;
            return Convert.ToInt64(_upsertCustomer.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        public long? InsertTicket(NewTicket t, long? customerId, DateTime now)
        {
            var p = _insert.Parameters;
            p[0].Value = t.Source;
            p[1].Value = t.ExternalId;
            p[2].Value = t.Channel;
            p[3].Value = t.Subject;
            p[4].Value = t.Body;
            p[5].Value = t.CreatedAt;
            p[6].Value = now;
            p[7].Value = (object?)t.AttributesJson ?? DBNull.Value;
            p[8].Value = (object?)customerId ?? DBNull.Value;
            if (_sqlite is not null)
            {
                // One row changed: inserted. None: the key existed (ON CONFLICT DO NOTHING).
                return _insert.ExecuteNonQuery() == 1 ? SQLitePCL.raw.sqlite3_last_insert_rowid(_sqlite.Handle) : null;
            }

            try
            {
                return _insert.ExecuteScalar() is { } id and not DBNull ? Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture) : null;
            }
            catch (DbException e) when (connection is SqlConnection && UniqueViolation.Is(e))
            {
                // The range lock closes the gap between check and insert; should another writer win anyway, its row
                // is the first ticket, as with ON CONFLICT. The statement failed, the transaction goes on.
                return null;
            }
        }

        public void Dispose()
        {
            _find.Dispose();
            _upsertCustomer.Dispose();
            _insert.Dispose();
            db.Database.CloseConnection();
            db.Dispose();
        }

        private void Prepare()
        {
            // Prepared once per connection (SQLite compiles the statement; PostgreSQL keeps a server-side plan).
            // Parameter types are fixed up front: a null first value must not pin a wrong type.
            _find.Prepare();
            _upsertCustomer.Prepare();
            _insert.Prepare();
        }

        private static DbCommand Command(DbConnection connection, string sql, params (string Name, DbType? Type)[] parameters)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, type) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@" + name;
                // DateTime parameters are left untyped: Npgsql then maps a UTC DateTime to timestamptz. Each has a
                // value before Prepare, which needs every parameter's type.
                if (type is { } t)
                {
                    parameter.DbType = t;
                    parameter.Value = DBNull.Value;
                }
                else
                {
                    parameter.Value = DateTime.UnixEpoch;
                }

                if (connection is SqlConnection)
                {
                    // SqlClient would send an untyped DateTime as the old datetime (3 ms steps), and prepares only
                    // sized strings: nvarchar(4000) holds every bounded column (a longer value fails, never truncates),
                    // nvarchar(max) the bodies.
                    if (type is null)
                    {
                        parameter.DbType = DbType.DateTime2;
                    }
                    else if (type == DbType.String)
                    {
                        parameter.Size = LongTextParameters.Contains(name) ? -1 : 4000;
                    }
                }

                command.Parameters.Add(parameter);
            }

            return command;
        }
    }
}
