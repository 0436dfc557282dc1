using System.Data.Common;

namespace TicketTriage.Web.Tests.Data;

/// <summary>
/// A database schema as sorted lines ("column Tickets.Subject TEXT NOT NULL", "index …", "fk …"), read from the
/// database itself, so two schemas compare with a readable diff.
/// </summary>
internal static class SchemaSnapshot
{
    private static readonly string[] Internal = ["__EFMigrationsHistory", "__EFMigrationsLock", "sqlite_sequence"];

    public static async Task<List<string>> ReadSqliteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        var tables = await QueryAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", cancellationToken);
        foreach (var table in tables.Select(r => (string)r[0]!).Where(t => !Internal.Contains(t)))
        {
            lines.Add($"table {table}");
            foreach (var c in await QueryAsync(connection, $"PRAGMA table_info(\"{table}\")", cancellationToken))
            {
                // cid, name, type, notnull, dflt_value, pk
                lines.Add($"column {table}.{c[1]} {c[2]} {((long)c[3]! == 1 ? "NOT NULL" : "NULL")} default={c[4]} pk={c[5]}");
            }

            foreach (var i in await QueryAsync(connection, $"PRAGMA index_list(\"{table}\")", cancellationToken))
            {
                // seq, name, unique, origin, partial
                var columns = await QueryAsync(connection, $"PRAGMA index_info(\"{i[1]}\")", cancellationToken);
                lines.Add($"index {table}.{i[1]} unique={i[2]} origin={i[3]} partial={i[4]} ({string.Join(", ", columns.OrderBy(r => (long)r[0]!).Select(r => r[2]))})");
            }

            foreach (var f in await QueryAsync(connection, $"PRAGMA foreign_key_list(\"{table}\")", cancellationToken))
            {
                // id, seq, table, from, to, on_update, on_delete, match
                lines.Add($"fk {table}.{f[3]} -> {f[2]}.{f[4]} on delete {f[6]}");
            }

            foreach (var index in await QueryAsync(connection, $"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table}' AND sql IS NOT NULL", cancellationToken))
            {
                lines.Add($"index-sql {index[0]} {index[1]}");
            }

            var sql = await QueryAsync(connection, $"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{table}'", cancellationToken);
            if (((string)sql[0][0]!).Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase))
            {
                lines.Add($"autoincrement {table}");
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    public static async Task<List<string>> ReadPostgresAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        foreach (var c in await QueryAsync(connection, """
            SELECT table_name, column_name, data_type, character_maximum_length, is_nullable, column_default, is_identity, identity_generation
            FROM information_schema.columns WHERE table_schema = 'public'
            """, cancellationToken))
        {
            if (!Internal.Contains((string)c[0]!))
            {
                lines.Add($"column {c[0]}.{c[1]} {c[2]}({c[3]}) nullable={c[4]} default={c[5]} identity={c[6]} {c[7]}");
            }
        }

        foreach (var i in await QueryAsync(connection, "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'", cancellationToken))
        {
            if (!Internal.Contains((string)i[0]!))
            {
                lines.Add($"index {i[0]}.{i[1]} {i[2]}");
            }
        }

        foreach (var k in await QueryAsync(connection, """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint WHERE connamespace = 'public'::regnamespace
            """, cancellationToken))
        {
            if (!Internal.Contains(((string)k[0]!).Trim('"')))
            {
                lines.Add($"constraint {k[0]}.{k[1]} {k[2]}");
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>SQL Server's catalog: columns with type, length, collation, identity and default; indexes; keys.</summary>
    public static async Task<List<string>> ReadSqlServerAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        foreach (var c in await QueryAsync(connection, """
            SELECT t.name, c.name, TYPE_NAME(c.user_type_id), c.max_length, c.is_nullable, c.is_identity, c.collation_name, d.definition
            FROM sys.tables t JOIN sys.columns c ON c.object_id = t.object_id
            LEFT JOIN sys.default_constraints d ON d.object_id = c.default_object_id
            """, cancellationToken))
        {
            if (!Internal.Contains((string)c[0]!))
            {
                lines.Add($"column {c[0]}.{c[1]} {c[2]}({c[3]}) nullable={c[4]} identity={c[5]} collation={c[6]} default={c[7]}");
            }
        }

        foreach (var i in await QueryAsync(connection, """
            SELECT t.name, i.name, i.is_unique, i.is_primary_key, i.filter_definition,
                   STRING_AGG(c.name, ', ') WITHIN GROUP (ORDER BY ic.key_ordinal)
            FROM sys.tables t JOIN sys.indexes i ON i.object_id = t.object_id
            JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id
            JOIN sys.columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
            GROUP BY t.name, i.name, i.is_unique, i.is_primary_key, i.filter_definition
            """, cancellationToken))
        {
            if (!Internal.Contains((string)i[0]!))
            {
                lines.Add($"index {i[0]}.{i[1]} unique={i[2]} pk={i[3]} filter={i[4]} ({i[5]})");
            }
        }

        foreach (var f in await QueryAsync(connection, """
            SELECT OBJECT_NAME(f.parent_object_id), f.name, OBJECT_NAME(f.referenced_object_id), f.delete_referential_action_desc
            FROM sys.foreign_keys f
            """, cancellationToken))
        {
            lines.Add($"fk {f[0]}.{f[1]} -> {f[2]} on delete {f[3]}");
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static async Task<List<object?[]>> QueryAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
