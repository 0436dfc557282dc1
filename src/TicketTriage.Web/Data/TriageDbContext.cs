using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Data;

/// <summary>
/// The one database context, used directly by feature code (no repository layer). SQLite, PostgreSQL or SQL Server,
/// chosen by <c>Database:Provider</c> (see <c>Hosting/DataHosting.cs</c>).
/// </summary>
/// <remarks>
/// <para><b>Adding a migration by hand</b> (<c>dotnet ef</c> cannot run here: the Design package is not on the feed):
/// change the entity and its <c>Configurations/*Configuration.cs</c>, then add a class under <c>Data/Migrations/</c>
/// named <c>yyyyMMddHHmmss_What</c> with <c>[DbContext(typeof(TriageDbContext))]</c> and <c>[Migration("yyyyMMddHHmmss_What")]</c>
/// whose <c>Up</c> makes the same change with <c>MigrationBuilder</c> (<c>AddColumn</c>, <c>CreateIndex</c>, …).
/// Keep it provider-neutral: no column types (the provider derives them from the CLR type and max length), and on new
/// identity keys all three annotations, <c>Sqlite:Autoincrement</c>, <c>Npgsql:ValueGenerationStrategy</c> and
/// <c>SqlServer:Identity</c> (<c>"1, 1"</c>). SQL Server also needs: a max length on every indexed string column (it
/// cannot index <c>nvarchar(max)</c>; index keys up to 1,700 bytes), <see cref="SqlServerSchema.KeyCollation"/> on
/// exact-match keys, no second cascading path to a table (<see cref="SqlServerSchema.MessageAuthorOnDelete"/>), and
/// filters written with double-quoted names, which all three read.</para>
/// <para><b>What guards it</b>: there is no model snapshot, so EF Core never warns that the model and the migrations
/// disagree. <c>tests/TicketTriage.Web.Tests/Data/MigrationDriftTests.cs</c> migrates one database, creates another
/// from the model with <c>EnsureCreated</c>, and compares tables, columns, types, nullability, indexes and foreign
/// keys, on SQLite and on PostgreSQL; <c>SqlServerOfflineTests.cs</c> compares the SQL Server DDL of both without a
/// server. A model change without a matching migration fails those tests.</para>
/// </remarks>
public sealed class TriageDbContext(DbContextOptions<TriageDbContext> options) : DbContext(options)
{
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<TicketMessage> TicketMessages => Set<TicketMessage>();
    public DbSet<User> Users => Set<User>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Pattern> Patterns => Set<Pattern>();
    public DbSet<Change> Changes => Set<Change>();
    public DbSet<LabeledExample> LabeledExamples => Set<LabeledExample>();
    public DbSet<TriageState> TriageStates => Set<TriageState>();
    public DbSet<OutboundMessage> OutboundMessages => Set<OutboundMessage>();
    public DbSet<BulkReplyOperation> BulkReplyOperations => Set<BulkReplyOperation>();
    public DbSet<BulkReplyRecipient> BulkReplyRecipients => Set<BulkReplyRecipient>();
    public DbSet<IncidentUpdate> IncidentUpdates => Set<IncidentUpdate>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(TriageDbContext).Assembly);
        if (Database.ProviderName == SqlServerSchema.ProviderName)
        {
            SqlServerSchema.Apply(modelBuilder);
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every DateTime is UTC. Npgsql rejects other kinds for timestamptz; SQLite reads back Unspecified, so mark
        // values as UTC on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}
