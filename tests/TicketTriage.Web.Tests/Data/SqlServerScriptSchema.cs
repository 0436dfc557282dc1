using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace TicketTriage.Web.Tests.Data;

/// <summary>
/// The schema a T-SQL script leaves behind, as sorted lines like <see cref="SchemaSnapshot"/>'s, read by parsing the
/// script with Microsoft's T-SQL parser (ScriptDom) and replaying its DDL: CREATE TABLE, ALTER TABLE … ADD, CREATE
/// INDEX, DROP INDEX. No SQL Server runs here, so this is how the SQL Server DDL of the migrations and of the model are
/// compared offline. A script that does not parse fails with the parser's errors.
/// </summary>
internal static class SqlServerScriptSchema
{
    private const string History = "__EFMigrationsHistory";

    public static TSqlScript Parse(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        var fragment = parser.Parse(reader, out var errors);
        Assert.True(errors.Count == 0, "T-SQL does not parse: " + string.Join("; ", errors.Select(e => $"line {e.Line}: {e.Message}")) + "\n" + sql);
        return (TSqlScript)fragment;
    }

    public static string Render(TSqlFragment fragment)
    {
        new Sql160ScriptGenerator(new SqlScriptGeneratorOptions { KeywordCasing = KeywordCasing.Uppercase })
            .GenerateScript(fragment, out var text);
        return text.Trim();
    }

    /// <summary>"nvarchar(200)", "datetime2", "nvarchar(max)": the way the EF Core model spells store types.</summary>
    public static string TypeName(DataTypeReference type) => type switch
    {
        SqlDataTypeReference { Parameters.Count: > 0 } sized => sized.Name.BaseIdentifier.Value.ToLowerInvariant() +
            "(" + string.Join(",", sized.Parameters.Select(p => p is MaxLiteral ? "max" : p.Value)) + ")",
        _ => type.Name.BaseIdentifier.Value.ToLowerInvariant(),
    };

    public static List<string> Read(string script)
    {
        var replay = new Replay();
        Parse(script).Accept(replay);
        var lines = replay.Columns.Values.Concat(replay.Other.Values).ToList();
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private sealed class Replay : TSqlFragmentVisitor
    {
        public Dictionary<string, string> Columns { get; } = [];
        public Dictionary<string, string> Other { get; } = [];

        public override void ExplicitVisit(CreateTableStatement node)
        {
            var table = node.SchemaObjectName.BaseIdentifier.Value;
            if (table != History)
            {
                Add(table, node.Definition);
            }
        }

        public override void ExplicitVisit(AlterTableAddTableElementStatement node)
        {
            var table = node.SchemaObjectName.BaseIdentifier.Value;
            if (table != History)
            {
                Add(table, node.Definition);
            }
        }

        public override void ExplicitVisit(CreateIndexStatement node)
        {
            var table = node.OnName.BaseIdentifier.Value;
            var columns = string.Join(", ", node.Columns.Select(c => c.Column.MultiPartIdentifier.Identifiers[^1].Value + (c.SortOrder == SortOrder.Descending ? " DESC" : "")));
            var filter = node.FilterPredicate is null ? "" : " WHERE " + Render(node.FilterPredicate);
            Other[$"index {table}.{node.Name.Value}"] = $"index {table}.{node.Name.Value}{(node.Unique ? " UNIQUE" : "")} ({columns}){filter}";
        }

        public override void ExplicitVisit(DropIndexStatement node)
        {
            foreach (var clause in node.DropIndexClauses.OfType<BackwardsCompatibleDropIndexClause>())
            {
                Other.Remove($"index {clause.Index.BaseIdentifier.Value}.{clause.Index.ChildIdentifier?.Value}");
            }

            foreach (var clause in node.DropIndexClauses.OfType<DropIndexClause>())
            {
                Other.Remove($"index {clause.Object.BaseIdentifier.Value}.{clause.Index.Value}");
            }
        }

        public override void ExplicitVisit(AlterTableDropTableElementStatement node) =>
            throw new NotSupportedException("An Up script that drops columns or constraints: teach SqlServerScriptSchema to replay it.");

        private void Add(string table, TableDefinition definition)
        {
            foreach (var column in definition.ColumnDefinitions)
            {
                var name = column.ColumnIdentifier.Value;
                var nullable = column.Constraints.OfType<NullableConstraintDefinition>().SingleOrDefault()?.Nullable ?? true;
                // A bare IDENTITY means seed 1, increment 1.
                var identity = column.IdentityOptions is not { } i ? ""
                    : i.IdentitySeed is null ? " IDENTITY(1, 1)" : $" IDENTITY({Render(i.IdentitySeed)}, {Render(i.IdentityIncrement)})";
                var defaultValue = column.DefaultConstraint is { } d ? " DEFAULT " + Render(d.Expression) : "";
                var collation = column.Collation is { } c ? " COLLATE " + c.Value : "";
                Columns[$"column {table}.{name}"] =
                    $"column {table}.{name} {TypeName(column.DataType)}{collation} {(nullable ? "NULL" : "NOT NULL")}{identity}{defaultValue}";
            }

            foreach (var constraint in definition.TableConstraints)
            {
                switch (constraint)
                {
                    case UniqueConstraintDefinition { IsPrimaryKey: true } pk:
                        Other[$"pk {table}"] = $"pk {table} {pk.ConstraintIdentifier?.Value} ({string.Join(", ", pk.Columns.Select(c => c.Column.MultiPartIdentifier.Identifiers[^1].Value))})";
                        break;
                    case ForeignKeyConstraintDefinition fk:
                        Other[$"fk {table}.{fk.ConstraintIdentifier.Value}"] =
                            $"fk {table}.{fk.ConstraintIdentifier.Value} ({string.Join(", ", fk.Columns.Select(c => c.Value))}) -> " +
                            $"{fk.ReferenceTableName.BaseIdentifier.Value} ({string.Join(", ", fk.ReferencedTableColumns.Select(c => c.Value))}) " +
                            $"on delete {fk.DeleteAction} on update {fk.UpdateAction}";
                        break;
                    default:
                        Other[$"constraint {table}.{constraint.ConstraintIdentifier?.Value}"] = $"constraint {table} {Render(constraint)}";
                        break;
                }
            }
        }
    }
}
