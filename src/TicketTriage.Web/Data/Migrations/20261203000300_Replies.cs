using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using TicketTriage.Web.Data.Configurations;

namespace TicketTriage.Web.Data.Migrations;

/// <summary>
/// Replies that leave the building: the mail outbox, bulk reply operations with one row per recipient ticket
/// (unique per operation: exactly once), and the public incident updates of the status page. Provider-neutral.
/// </summary>
[DbContext(typeof(TriageDbContext))]
[Migration("20261203000300_Replies")]
public sealed class Replies : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "OutboundMessages",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn)
                    .Annotation("SqlServer:Identity", "1, 1"),
                TicketId = table.Column<long>(nullable: false),
                TicketMessageId = table.Column<long>(nullable: false),
                BulkReplyOperationId = table.Column<long>(nullable: true),
                ToAddress = table.Column<string>(maxLength: Limits.Email, nullable: false),
                ToName = table.Column<string>(maxLength: Limits.Name, nullable: true),
                Subject = table.Column<string>(maxLength: Limits.Subject, nullable: false),
                Body = table.Column<string>(nullable: false),
                MessageId = table.Column<string>(maxLength: Limits.ExternalId, nullable: false),
                State = table.Column<string>(maxLength: Limits.Enum, nullable: false),
                Attempts = table.Column<int>(nullable: false),
                NextAttemptAt = table.Column<DateTime>(nullable: false),
                LastError = table.Column<string>(nullable: true),
                CreatedAt = table.Column<DateTime>(nullable: false),
                SentAt = table.Column<DateTime>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_OutboundMessages", x => x.Id);
                table.ForeignKey("FK_OutboundMessages_Tickets_TicketId", x => x.TicketId, "Tickets", "Id", onDelete: SqlServerSchema.OutboundTicketOnDelete(migrationBuilder));
                table.ForeignKey("FK_OutboundMessages_TicketMessages_TicketMessageId", x => x.TicketMessageId, "TicketMessages", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "BulkReplyOperations",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn)
                    .Annotation("SqlServer:Identity", "1, 1"),
                PatternId = table.Column<long>(nullable: false),
                IdempotencyKey = table.Column<string>(maxLength: Limits.ExternalId, nullable: true),
                SubjectTemplate = table.Column<string>(maxLength: Limits.Subject, nullable: false),
                BodyTemplate = table.Column<string>(nullable: false),
                StatusAfter = table.Column<string>(maxLength: Limits.Enum, nullable: true),
                ExclusionsJson = table.Column<string>(nullable: false),
                AutoReplyUntilResolved = table.Column<bool>(nullable: false),
                State = table.Column<string>(maxLength: Limits.Enum, nullable: false),
                Total = table.Column<int>(nullable: false),
                Sent = table.Column<int>(nullable: false),
                Skipped = table.Column<int>(nullable: false),
                Failed = table.Column<int>(nullable: false),
                FailureReason = table.Column<string>(nullable: true),
                CreatedBy = table.Column<string>(maxLength: Limits.Email, nullable: false),
                CreatedByUserId = table.Column<int>(nullable: true),
                CreatedAt = table.Column<DateTime>(nullable: false),
                FinishedAt = table.Column<DateTime>(nullable: true),
                UndoneAt = table.Column<DateTime>(nullable: true),
                UndoneBy = table.Column<string>(maxLength: Limits.Email, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_BulkReplyOperations", x => x.Id));

        migrationBuilder.CreateTable(
            name: "BulkReplyRecipients",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn)
                    .Annotation("SqlServer:Identity", "1, 1"),
                OperationId = table.Column<long>(nullable: false),
                TicketId = table.Column<long>(nullable: false),
                State = table.Column<string>(maxLength: Limits.Enum, nullable: false),
                Reason = table.Column<string>(maxLength: Limits.Subject, nullable: true),
                PreviousStatus = table.Column<string>(maxLength: Limits.Enum, nullable: true),
                ProcessedAt = table.Column<DateTime>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_BulkReplyRecipients", x => x.Id);
                table.ForeignKey("FK_BulkReplyRecipients_BulkReplyOperations_OperationId", x => x.OperationId, "BulkReplyOperations", "Id", onDelete: ReferentialAction.Cascade);
                table.ForeignKey("FK_BulkReplyRecipients_Tickets_TicketId", x => x.TicketId, "Tickets", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "IncidentUpdates",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn)
                    .Annotation("SqlServer:Identity", "1, 1"),
                PatternId = table.Column<long>(nullable: false),
                Title = table.Column<string>(maxLength: Limits.Subject, nullable: false),
                State = table.Column<string>(maxLength: Limits.Enum, nullable: false),
                Body = table.Column<string>(nullable: false),
                Components = table.Column<string>(maxLength: Limits.Subject, nullable: true),
                BulkReplyOperationId = table.Column<long>(nullable: true),
                CreatedBy = table.Column<string>(maxLength: Limits.Email, nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_IncidentUpdates", x => x.Id));

        migrationBuilder.CreateIndex("IX_OutboundMessages_State_NextAttemptAt_Id", "OutboundMessages", ["State", "NextAttemptAt", "Id"]);
        migrationBuilder.CreateIndex("IX_OutboundMessages_TicketId", "OutboundMessages", "TicketId");
        migrationBuilder.CreateIndex("IX_OutboundMessages_TicketMessageId", "OutboundMessages", "TicketMessageId", unique: true);
        migrationBuilder.CreateIndex("IX_OutboundMessages_MessageId", "OutboundMessages", "MessageId", unique: true);
        migrationBuilder.CreateIndex("IX_OutboundMessages_BulkReplyOperationId", "OutboundMessages", "BulkReplyOperationId");
        migrationBuilder.CreateIndex("IX_BulkReplyOperations_IdempotencyKey", "BulkReplyOperations", "IdempotencyKey", unique: true);
        migrationBuilder.CreateIndex("IX_BulkReplyOperations_PatternId_CreatedAt", "BulkReplyOperations", ["PatternId", "CreatedAt"]);
        migrationBuilder.CreateIndex("IX_BulkReplyOperations_State", "BulkReplyOperations", "State");
        migrationBuilder.CreateIndex("IX_BulkReplyRecipients_OperationId_TicketId", "BulkReplyRecipients", ["OperationId", "TicketId"], unique: true);
        migrationBuilder.CreateIndex("IX_BulkReplyRecipients_OperationId_State_Id", "BulkReplyRecipients", ["OperationId", "State", "Id"]);
        migrationBuilder.CreateIndex("IX_BulkReplyRecipients_TicketId", "BulkReplyRecipients", "TicketId");
        migrationBuilder.CreateIndex("IX_IncidentUpdates_PatternId_CreatedAt", "IncidentUpdates", ["PatternId", "CreatedAt"]);
        migrationBuilder.CreateIndex("IX_IncidentUpdates_CreatedAt", "IncidentUpdates", "CreatedAt");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("IncidentUpdates");
        migrationBuilder.DropTable("BulkReplyRecipients");
        migrationBuilder.DropTable("BulkReplyOperations");
        migrationBuilder.DropTable("OutboundMessages");
    }
}
