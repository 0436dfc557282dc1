using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace TicketTriage.Web.Data;

/// <summary>
/// Whether a failed write broke a unique index, on any of the three providers: the signal that a concurrent retry got
/// there first and its row is the answer. Anything else (a lost connection, a deadlock) is a real failure.
/// </summary>
public static class UniqueViolation
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    public static bool Is(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // 2601: duplicate key in a unique index; 2627: in a unique or primary key constraint.
                case SqlException sql when sql.Errors.Cast<SqlError>().Any(x => x.Number is 2601 or 2627):
                case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }:
                case SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintUnique or SqliteConstraintPrimaryKey }:
                    return true;
            }
        }

        return false;
    }
}
