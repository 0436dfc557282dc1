using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Data;

/// <summary>
/// Where SQL Server needs the schema to differ for the app to behave as on SQLite and PostgreSQL. The model applies
/// these when the context runs on SQL Server (<see cref="TriageDbContext"/>), and the hand-written migrations make the
/// same choice through <see cref="MigrationBuilder.ActiveProvider"/>, so the three providers share one migrations set.
/// Unique indexes carry SQL Server's "IS NOT NULL" filter in the model (see <see cref="Apply"/>). Everything else
/// SQL Server needs is an annotation on the migration (<c>SqlServer:Identity</c>) or follows from the
/// CLR type and max length (<c>nvarchar(n)</c>, <c>datetime2</c>, <c>bit</c>, <c>varbinary(max)</c>).
/// </summary>
public static class SqlServerSchema
{
    public const string ProviderName = "Microsoft.EntityFrameworkCore.SqlServer";

    /// <summary>
    /// SQL Server's default collation ignores case, SQLite's and PostgreSQL's do not: with it, ("mail", "T-1") and
    /// ("mail", "t-1") would be one ticket to the unique index and the ingest lookup. The idempotency keys and API key
    /// prefixes use a binary collation instead, so they compare exactly as on the other two.
    /// </summary>
    public const string CaseSensitiveCollation = "Latin1_General_100_BIN2";

    /// <summary>The collation of an exact-match key column in a migration: binary on SQL Server, the default elsewhere.</summary>
    public static string? KeyCollation(MigrationBuilder migrationBuilder) =>
        migrationBuilder.ActiveProvider == ProviderName ? CaseSensitiveCollation : null;

    /// <summary>
    /// SQL Server refuses a second cascading path to one table (error 1785). TicketMessages is reached from Users
    /// directly (author, SET NULL) and through Tickets (assignee SET NULL, then messages CASCADE), so on SQL Server the
    /// author key takes NO ACTION. Users are disabled, never deleted, so nothing behaves differently.
    /// </summary>
    public static ReferentialAction MessageAuthorOnDelete(MigrationBuilder migrationBuilder) =>
        migrationBuilder.ActiveProvider == ProviderName ? ReferentialAction.NoAction : ReferentialAction.SetNull;

    /// <summary>
    /// OutboundMessages is reached from Tickets directly and through TicketMessages (both CASCADE); on SQL Server the
    /// direct key takes NO ACTION. Deleting a ticket still removes its mail, through its messages.
    /// </summary>
    public static ReferentialAction OutboundTicketOnDelete(MigrationBuilder migrationBuilder) =>
        migrationBuilder.ActiveProvider == ProviderName ? ReferentialAction.NoAction : ReferentialAction.Cascade;

    internal static void Apply(ModelBuilder model)
    {
        // EF's SQL Server migrations generator, given no target model (these migrations are hand-written), cannot see
        // that a column is NOT NULL and filters every unique index with "[Column] IS NOT NULL". The model says the
        // same, so migrated and created databases agree; on NOT NULL columns the filter leaves out no row.
        foreach (var index in model.Model.GetEntityTypes().SelectMany(e => e.GetIndexes()).Where(i => i.IsUnique && i.GetFilter() is null))
        {
            index.SetFilter(string.Join(" AND ", index.Properties.Select(p => $"[{p.GetColumnName()}] IS NOT NULL")));
        }

        model.Entity<Ticket>().Property(t => t.Source).UseCollation(CaseSensitiveCollation);
        model.Entity<Ticket>().Property(t => t.ExternalId).UseCollation(CaseSensitiveCollation);
        model.Entity<Change>().Property(c => c.Source).UseCollation(CaseSensitiveCollation);
        model.Entity<Change>().Property(c => c.ExternalId).UseCollation(CaseSensitiveCollation);
        model.Entity<ApiKey>().Property(k => k.Prefix).UseCollation(CaseSensitiveCollation);
        model.Entity<TicketMessage>().HasOne(m => m.AuthorUser).WithMany().HasForeignKey(m => m.AuthorUserId)
            .OnDelete(DeleteBehavior.ClientSetNull);
        model.Entity<OutboundMessage>().HasOne<Ticket>().WithMany().HasForeignKey(m => m.TicketId).OnDelete(DeleteBehavior.ClientCascade);
    }
}
