using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using TicketTriage.Web.Data.Configurations;

namespace TicketTriage.Web.Data.Migrations;

/// <summary>
/// Triage in the app: a ticket's arrival time and review flag, patterns, changes, labeled examples and the engine's
/// saved state. Provider-neutral like the first migration.
/// </summary>
[DbContext(typeof(TriageDbContext))]
[Migration("20261202000100_Triage")]
public sealed class Triage : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        // Existing tickets arrived when they were created, as far as anyone knows. SQLite cannot add a NOT NULL
        // column without a default and cannot drop one without the model (no table rebuild here), so the model
        // keeps the same default (TicketConfiguration); every writer sets the column anyway.
        migrationBuilder.AddColumn<DateTime>("ReceivedAt", "Tickets", nullable: false, defaultValue: DateTime.UnixEpoch);
        migrationBuilder.AddColumn<bool>("NeedsReview", "Tickets", nullable: true);
        migrationBuilder.Sql("UPDATE \"Tickets\" SET \"ReceivedAt\" = \"CreatedAt\";");
        migrationBuilder.CreateIndex("IX_Tickets_ReceivedAt", "Tickets", "ReceivedAt");
        migrationBuilder.CreateIndex("IX_Tickets_Untriaged", "Tickets", ["ReceivedAt", "Id"], filter: "\"TriagedAt\" IS NULL");

        migrationBuilder.CreateTable(
            name: "Patterns",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false),
                Title = table.Column<string>(maxLength: Limits.Subject, nullable: false),
                Status = table.Column<string>(maxLength: Limits.Enum, nullable: false),
                Size = table.Column<int>(nullable: false),
                FirstSeen = table.Column<DateTime>(nullable: false),
                LastSeen = table.Column<DateTime>(nullable: false),
                EmergingSince = table.Column<DateTime>(nullable: true),
                EmergenceEvidence = table.Column<string>(nullable: true),
                TopTermsJson = table.Column<string>(nullable: false),
                ConcentrationsJson = table.Column<string>(nullable: false),
                LikelyChangeJson = table.Column<string>(nullable: true),
                MergedIntoId = table.Column<long>(nullable: true),
                UpdatedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Patterns", x => x.Id));

        migrationBuilder.CreateTable(
            name: "Changes",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn)
                    .Annotation("SqlServer:Identity", "1, 1"),
                Source = table.Column<string>(maxLength: Limits.Label, nullable: false, collation: SqlServerSchema.KeyCollation(migrationBuilder)),
                ExternalId = table.Column<string>(maxLength: Limits.ExternalId, nullable: false, collation: SqlServerSchema.KeyCollation(migrationBuilder)),
                Name = table.Column<string>(maxLength: Limits.Subject, nullable: false),
                Kind = table.Column<string>(maxLength: Limits.Label, nullable: false),
                StartAt = table.Column<DateTime>(nullable: false),
                EndAt = table.Column<DateTime>(nullable: true),
                TargetsJson = table.Column<string>(nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Changes", x => x.Id));

        migrationBuilder.CreateTable(
            name: "LabeledExamples",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn)
                    .Annotation("SqlServer:Identity", "1, 1"),
                TicketId = table.Column<long>(nullable: false),
                Text = table.Column<string>(nullable: false),
                Label = table.Column<string>(maxLength: Limits.Label, nullable: false),
                PreviousLabel = table.Column<string>(maxLength: Limits.Label, nullable: true),
                LabeledBy = table.Column<string>(maxLength: Limits.Email, nullable: false),
                LabeledAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_LabeledExamples", x => x.Id);
                table.ForeignKey("FK_LabeledExamples_Tickets_TicketId", x => x.TicketId, "Tickets", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "TriageStates",
            columns: table => new
            {
                Id = table.Column<string>(maxLength: Limits.Label, nullable: false),
                Data = table.Column<byte[]>(nullable: false),
                SavedAt = table.Column<DateTime>(nullable: false),
                CoversTriagedThrough = table.Column<DateTime>(nullable: true),
                TicketsSeen = table.Column<long>(nullable: false),
                Clock = table.Column<DateTime>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_TriageStates", x => x.Id));

        migrationBuilder.CreateIndex("IX_Patterns_LastSeen", "Patterns", "LastSeen");
        migrationBuilder.CreateIndex("IX_Changes_Source_ExternalId", "Changes", ["Source", "ExternalId"], unique: true);
        migrationBuilder.CreateIndex("IX_Changes_StartAt", "Changes", "StartAt");
        migrationBuilder.CreateIndex("IX_LabeledExamples_TicketId", "LabeledExamples", "TicketId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("TriageStates");
        migrationBuilder.DropTable("LabeledExamples");
        migrationBuilder.DropTable("Changes");
        migrationBuilder.DropTable("Patterns");
        migrationBuilder.DropIndex("IX_Tickets_Untriaged", "Tickets");
        migrationBuilder.DropIndex("IX_Tickets_ReceivedAt", "Tickets");
        migrationBuilder.DropColumn("NeedsReview", "Tickets");
        migrationBuilder.DropColumn("ReceivedAt", "Tickets");
    }
}
