using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Ingest;
using TicketTriage.Web.Features.Live;
using TicketTriage.Web.Features.Queue;
using TicketTriage.Web.Features.Triage;
using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Data;

/// <summary>
/// SQL Server without a server: the DDL the migrations produce against the DDL of the model (the drift test, offline),
/// SQL Server's own schema rules, and the T-SQL of the hot paths, all parsed with Microsoft's T-SQL parser. The live
/// counterparts (<see cref="SqlServerLiveTests"/>) run only where <c>TICKETTRIAGE_TEST_SQLSERVER</c> names a server.
/// </summary>
public sealed partial class SqlServerOfflineTests
{
    [Fact]
    public void Migrations_produce_the_model_schema_on_SqlServer()
    {
        using var db = new TriageDbContext(OfflineSqlServer.Options());

        // The script `dotnet ef migrations script` would print: every migration's Up, through IMigrationsSqlGenerator.
        var migrated = SqlServerScriptSchema.Read(db.GetService<IMigrator>().GenerateScript());
        var created = SqlServerScriptSchema.Read(db.Database.GenerateCreateScript());

        Assert.Contains("column Tickets.Id bigint NOT NULL IDENTITY(1, 1)", created);
        Assert.Contains("column Patterns.Id bigint NOT NULL", created);
        Assert.Contains("column Tickets.ReceivedAt datetime2 NOT NULL DEFAULT '1970-01-01T00:00:00.0000000Z'", created);
        Assert.Contains($"column Tickets.ExternalId nvarchar(200) COLLATE {SqlServerSchema.CaseSensitiveCollation} NOT NULL", created);
        Assert.Contains("index Tickets.IX_Tickets_Untriaged (ReceivedAt, Id) WHERE \"TriagedAt\" IS NULL", created);
        Assert.Equal(created, migrated);
    }

    [Fact]
    public void Every_identity_key_of_the_model_is_an_identity_column_in_the_migrations()
    {
        using var db = new TriageDbContext(OfflineSqlServer.Options());
        var migrated = SqlServerScriptSchema.Read(db.GetService<IMigrator>().GenerateScript());

        foreach (var entity in db.Model.GetEntityTypes())
        {
            var key = entity.FindPrimaryKey()!.Properties.Single();
            var line = migrated.Single(l => l.StartsWith($"column {entity.GetTableName()}.{key.GetColumnName()} ", StringComparison.Ordinal));
            Assert.Equal(key.ValueGenerated == ValueGenerated.OnAdd && key.ClrType != typeof(string),
                line.Contains("IDENTITY(1, 1)", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Every_index_key_fits_SQL_Server_limits()
    {
        using var db = new TriageDbContext(OfflineSqlServer.Options());
        foreach (var table in db.Model.GetRelationalModel().Tables)
        {
            foreach (var index in table.Indexes)
            {
                // SQL Server cannot use nvarchar(max)/varbinary(max) as an index key, and a nonclustered key holds at
                // most 1,700 bytes.
                var bytes = index.Columns.Sum(c => KeyBytes(c.StoreType, $"{table.Name}.{index.Name}.{c.Name}"));
                Assert.True(bytes <= 1700, $"{table.Name}.{index.Name}: {bytes} bytes of key");
            }
        }
    }

    [Fact]
    public void No_table_is_reached_by_two_cascading_paths()
    {
        // SQL Server refuses a foreign key that makes a second path of ON DELETE/UPDATE actions to a table, or a
        // cycle (error 1785), counting paths without looking at what the actions do. Check the migrations' DDL.
        using var db = new TriageDbContext(OfflineSqlServer.Options());
        var cascading = SqlServerScriptSchema.Read(db.GetService<IMigrator>().GenerateScript())
            .Select(l => ForeignKeyLine().Match(l)).Where(m => m.Success)
            .Where(m => !IsNoAction(m.Groups["delete"].Value) || !IsNoAction(m.Groups["update"].Value))
            .Select(m => (From: m.Groups["parent"].Value, To: m.Groups["child"].Value)).ToList();
        Assert.NotEmpty(cascading);

        foreach (var root in cascading.Select(e => e.From).Distinct())
        {
            var paths = new Dictionary<string, int>();
            var pending = new Queue<(string Table, int Depth)>([(root, 0)]);
            while (pending.TryDequeue(out var at))
            {
                Assert.True(at.Depth < 20, $"cascading cycle through {root}");
                foreach (var edge in cascading.Where(e => e.From == at.Table))
                {
                    paths[edge.To] = paths.GetValueOrDefault(edge.To) + 1;
                    pending.Enqueue((edge.To, at.Depth + 1));
                }
            }

            Assert.All(paths, p => Assert.True(p.Value == 1 && p.Key != root, $"{p.Key} is reached from {root} by {p.Value} cascading paths"));
        }
    }

    [Fact]
    public async Task The_queue_page_reads_as_TSQL_keyset_seeks_with_TOP()
    {
        var ct = TestContext.Current.CancellationToken;
        var sql = new OfflineSqlServer();
        var queue = new TicketQueue(sql);

        await queue.ReadAsync(new QueueFilter(Status: TicketStatus.New), new QueueCursor(0.5, DateTime.UtcNow, 42), ct);
        await queue.ReadAsync(new QueueFilter(), new QueueCursor(null, DateTime.UtcNow, 42), ct);

        Assert.Equal(3, sql.Commands.Count);
        foreach (var command in sql.Commands)
        {
            AssertTsql(command);
            Assert.Matches(@"SELECT TOP\(@\w+\)", command);
            Assert.DoesNotContain("LIMIT", command, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("OFFSET", command, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("ORDER BY", command, StringComparison.Ordinal);
        }

        // The keyset bound on the score, then on time and id (a seek, not a scan of skipped rows).
        Assert.Contains("[t].[PriorityScore] <= @", sql.Commands[0], StringComparison.Ordinal);
        Assert.Contains("ORDER BY [t].[PriorityScore] DESC, [t].[CreatedAt] DESC, [t].[Id] DESC", sql.Commands[0], StringComparison.Ordinal);
        Assert.Contains("[t].[PriorityScore] IS NULL", sql.Commands[2], StringComparison.Ordinal);
        Assert.Contains("datetime2", sql.Commands[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_next_ticket_claim_is_one_conditional_UPDATE_in_TSQL()
    {
        var ct = TestContext.Current.CancellationToken;
        var sql = new OfflineSqlServer();
        var claims = new TicketClaims(sql, new TicketQueue(sql), new LiveEvents(TimeProvider.System, NullLogger<LiveEvents>.Instance), TimeProvider.System);

        Assert.Null(await claims.ClaimNextAsync(userId: 7, ct));
        Assert.False(await claims.TryClaimAsync(ticketId: 42, userId: 7, ct));

        var update = Assert.Single(sql.Commands, c => c.Contains("UPDATE", StringComparison.Ordinal));
        AssertTsql(update);
        Assert.Contains("[t].[AssigneeId] IS NULL", update, StringComparison.Ordinal);
        Assert.Contains("SET [t].[AssigneeId] = @", update, StringComparison.Ordinal);
        Assert.All(sql.Commands, c => AssertTsql(c));
        Assert.All(sql.Commands.Where(c => c.Contains("SELECT", StringComparison.Ordinal)), c => Assert.Contains("[t].[AssigneeId] IS NULL", c, StringComparison.Ordinal));
    }

    [Fact]
    public void The_ingest_statements_are_TSQL_with_a_locked_existence_check()
    {
        var sql = TicketWriterSql.SqlServer;

        var find = AssertTsql(Declare("@source nvarchar(4000), @externalId nvarchar(4000)") + sql.FindTicket);
        Assert.Single(Statements<SelectStatement>(find));

        var insert = AssertTsql(Declare("@source nvarchar(4000), @externalId nvarchar(4000), @channel nvarchar(4000), @subject nvarchar(4000), " +
            "@body nvarchar(max), @createdAt datetime2, @now datetime2, @attributes nvarchar(max), @customerId bigint") + sql.InsertTicket);
        var insertStatement = Assert.Single(Statements<InsertStatement>(insert));
        Assert.NotNull(insertStatement.InsertSpecification.OutputClause);
        Assert.Contains("WITH (UPDLOCK, HOLDLOCK)", sql.InsertTicket, StringComparison.Ordinal);

        var upsert = AssertTsql(Declare("@email nvarchar(4000), @username nvarchar(4000), @name nvarchar(4000), @plan nvarchar(4000), @tier nvarchar(4000), " +
            "@server nvarchar(4000), @datacenter nvarchar(4000), @region nvarchar(4000), @attributes nvarchar(max), @now datetime2") + sql.UpsertCustomer);
        var merge = Assert.Single(Statements<MergeStatement>(upsert));
        Assert.NotNull(merge.MergeSpecification.OutputClause);

        Assert.DoesNotContain("ON CONFLICT", sql.InsertTicket + sql.UpsertCustomer, StringComparison.Ordinal);
        Assert.DoesNotContain("RETURNING", sql.InsertTicket + sql.UpsertCustomer, StringComparison.Ordinal);
    }

    [Fact]
    public void The_triage_write_is_one_UPDATE_by_key_in_TSQL()
    {
        var update = AssertTsql(Declare("@category nvarchar(4000), @confidence float, @needsReview bit, @patternId bigint, @similarity float, " +
            "@priority float, @reasons nvarchar(max), @triagedAt datetime2, @id bigint") + TriageTicketWriter.UpdateSql);
        var statement = Assert.Single(Statements<UpdateStatement>(update));
        Assert.Equal(8, statement.UpdateSpecification.SetClauses.Count);
        Assert.Contains("WHERE \"Id\" = @id", TriageTicketWriter.UpdateSql, StringComparison.Ordinal);
    }

    [Fact]
    public void The_SQL_Server_model_has_case_sensitive_keys_and_the_others_keep_their_default()
    {
        using var sqlServer = new TriageDbContext(OfflineSqlServer.Options());
        using var sqlite = new TriageDbContext(new DbContextOptionsBuilder<TriageDbContext>().UseSqlite("Data Source=:memory:").Options);

        var sqlServerModel = sqlServer.GetService<IDesignTimeModel>().Model;
        Assert.Equal(SqlServerSchema.CaseSensitiveCollation, sqlServerModel.FindEntityType(typeof(Ticket))!.FindProperty(nameof(Ticket.ExternalId))!.GetCollation());
        Assert.Equal(SqlServerSchema.CaseSensitiveCollation, sqlServerModel.FindEntityType(typeof(ApiKey))!.FindProperty(nameof(ApiKey.Prefix))!.GetCollation());
        Assert.Null(sqlite.GetService<IDesignTimeModel>().Model.FindEntityType(typeof(Ticket))!.FindProperty(nameof(Ticket.ExternalId))!.GetCollation());
        Assert.Contains("COLLATE", sqlServer.Database.GenerateCreateScript(), StringComparison.Ordinal);
        Assert.DoesNotContain("COLLATE", sqlite.Database.GenerateCreateScript(), StringComparison.Ordinal);
    }

    private static TSqlScript AssertTsql(string sql)
    {
        Assert.DoesNotContain("LIMIT ", sql, StringComparison.OrdinalIgnoreCase);
        return SqlServerScriptSchema.Parse(sql);
    }

    private static bool IsNoAction(string action) => action is "NoAction" or "NotSpecified";

    private static string Declare(string parameters) => $"DECLARE {parameters};\n";

    private static IEnumerable<T> Statements<T>(TSqlScript script) where T : TSqlStatement =>
        script.Batches.SelectMany(b => b.Statements).OfType<T>();

    private static int KeyBytes(string storeType, string where)
    {
        Assert.DoesNotContain("(max)", storeType, StringComparison.OrdinalIgnoreCase);
        var match = SizedType().Match(storeType);
        if (match.Success)
        {
            var length = int.Parse(match.Groups["length"].Value, System.Globalization.CultureInfo.InvariantCulture);
            return match.Groups["type"].Value.StartsWith('n') ? 2 * length : length;
        }

        return storeType switch
        {
            "bigint" or "float" or "datetime2" => 8,
            "int" => 4,
            "bit" => 1,
            _ => throw new InvalidOperationException($"{where}: no key size known for {storeType}"),
        };
    }

    [GeneratedRegex(@"^(?<type>n?varchar|varbinary)\((?<length>\d+)\)$")]
    private static partial Regex SizedType();

    [GeneratedRegex(@"^fk (?<child>\w+)\.\w+ \([^)]*\) -> (?<parent>\w+) \([^)]*\) on delete (?<delete>\w+) on update (?<update>\w+)$")]
    private static partial Regex ForeignKeyLine();
}
