using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using TicketTriage.Web.Data.Configurations;

namespace TicketTriage.Web.Data.Migrations;

/// <summary>
/// The first schema, written by hand and provider-neutral: no column types (each provider derives them from the CLR
/// type and max length); identity keys carry every provider's annotation; SQL Server's two differences come from
/// <see cref="SqlServerSchema"/>. The drift tests compare it with the model.
/// </summary>
[DbContext(typeof(TriageDbContext))]
[Migration("20261121000000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Customers",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn)
                    .Annotation("SqlServer:Identity", "1, 1"),
                Email = table.Column<string>(maxLength: Limits.Email, nullable: false),
                Username = table.Column<string>(maxLength: Limits.Name, nullable: true),
                Name = table.Column<string>(maxLength: Limits.Name, nullable: true),
                Plan = table.Column<string>(maxLength: Limits.Label, nullable: true),
                Tier = table.Column<string>(maxLength: Limits.Label, nullable: true),
                Server = table.Column<string>(maxLength: Limits.Label, nullable: true),
                Datacenter = table.Column<string>(maxLength: Limits.Label, nullable: true),
                Region = table.Column<string>(maxLength: Limits.Label, nullable: true),
                AttributesJson = table.Column<string>(nullable: true),
                CreatedAt = table.Column<DateTime>(nullable: false),
                UpdatedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Customers", x => x.Id));

        migrationBuilder.CreateTable(
            name: "Users",
            columns: table => new
            {
                Id = table.Column<int>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn)
                    .Annotation("SqlServer:Identity", "1, 1"),
                Email = table.Column<string>(maxLength: Limits.Email, nullable: false),
                DisplayName = table.Column<string>(maxLength: Limits.Name, nullable: false),
                PasswordHash = table.Column<string>(nullable: false),
                Role = table.Column<string>(maxLength: Limits.Enum, nullable: false),
                Disabled = table.Column<bool>(nullable: false),
                FailedSignInCount = table.Column<int>(nullable: false),
                LockoutEnd = table.Column<DateTime>(nullable: true),
                CreatedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Users", x => x.Id));

        migrationBuilder.CreateTable(
            name: "ApiKeys",
            columns: table => new
            {
                Id = table.Column<int>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn)
                    .Annotation("SqlServer:Identity", "1, 1"),
                Name = table.Column<string>(maxLength: Limits.Name, nullable: false),
                Prefix = table.Column<string>(maxLength: Limits.Label, nullable: false, collation: SqlServerSchema.KeyCollation(migrationBuilder)),
                SecretHash = table.Column<string>(maxLength: 64, nullable: false),
                Scopes = table.Column<int>(nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
                RevokedAt = table.Column<DateTime>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_ApiKeys", x => x.Id));

        migrationBuilder.CreateTable(
            name: "AuditEntries",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn)
                    .Annotation("SqlServer:Identity", "1, 1"),
                At = table.Column<DateTime>(nullable: false),
                Actor = table.Column<string>(maxLength: Limits.Email, nullable: false),
                Action = table.Column<string>(maxLength: Limits.Label, nullable: false),
                Target = table.Column<string>(maxLength: Limits.ExternalId, nullable: true),
                DetailsJson = table.Column<string>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_AuditEntries", x => x.Id));

        migrationBuilder.CreateTable(
            name: "Tickets",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn)
                    .Annotation("SqlServer:Identity", "1, 1"),
                Source = table.Column<string>(maxLength: Limits.Label, nullable: false, collation: SqlServerSchema.KeyCollation(migrationBuilder)),
                ExternalId = table.Column<string>(maxLength: Limits.ExternalId, nullable: false, collation: SqlServerSchema.KeyCollation(migrationBuilder)),
                Channel = table.Column<string>(maxLength: Limits.Label, nullable: false),
                Subject = table.Column<string>(maxLength: Limits.Subject, nullable: false),
                Body = table.Column<string>(nullable: false),
                Status = table.Column<string>(maxLength: Limits.Enum, nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
                UpdatedAt = table.Column<DateTime>(nullable: false),
                AttributesJson = table.Column<string>(nullable: true),
                CustomerId = table.Column<long>(nullable: true),
                AssigneeId = table.Column<int>(nullable: true),
                Category = table.Column<string>(maxLength: Limits.Label, nullable: true),
                CategoryConfidence = table.Column<double>(nullable: true),
                PatternId = table.Column<long>(nullable: true),
                PatternSimilarity = table.Column<double>(nullable: true),
                PriorityScore = table.Column<double>(nullable: true),
                PriorityReasons = table.Column<string>(nullable: true),
                TriagedAt = table.Column<DateTime>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Tickets", x => x.Id);
                table.ForeignKey("FK_Tickets_Customers_CustomerId", x => x.CustomerId, "Customers", "Id", onDelete: ReferentialAction.Restrict);
                table.ForeignKey("FK_Tickets_Users_AssigneeId", x => x.AssigneeId, "Users", "Id", onDelete: ReferentialAction.SetNull);
            });

        migrationBuilder.CreateTable(
            name: "TicketMessages",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn)
                    .Annotation("SqlServer:Identity", "1, 1"),
                TicketId = table.Column<long>(nullable: false),
                AuthorKind = table.Column<string>(maxLength: Limits.Enum, nullable: false),
                AuthorUserId = table.Column<int>(nullable: true),
                IsInternal = table.Column<bool>(nullable: false),
                Body = table.Column<string>(nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_TicketMessages", x => x.Id);
                table.ForeignKey("FK_TicketMessages_Tickets_TicketId", x => x.TicketId, "Tickets", "Id", onDelete: ReferentialAction.Cascade);
                table.ForeignKey("FK_TicketMessages_Users_AuthorUserId", x => x.AuthorUserId, "Users", "Id", onDelete: SqlServerSchema.MessageAuthorOnDelete(migrationBuilder));
            });

        migrationBuilder.CreateIndex("IX_Customers_Email", "Customers", "Email", unique: true);
        migrationBuilder.CreateIndex("IX_Customers_Server", "Customers", "Server");
        migrationBuilder.CreateIndex("IX_Users_Email", "Users", "Email", unique: true);
        migrationBuilder.CreateIndex("IX_ApiKeys_Prefix", "ApiKeys", "Prefix", unique: true);
        migrationBuilder.CreateIndex("IX_AuditEntries_At", "AuditEntries", "At");
        migrationBuilder.CreateIndex("IX_Tickets_Source_ExternalId", "Tickets", ["Source", "ExternalId"], unique: true);
        migrationBuilder.CreateIndex("IX_Tickets_CreatedAt_Id", "Tickets", ["CreatedAt", "Id"]);
        migrationBuilder.CreateIndex("IX_Tickets_Status_CreatedAt_Id", "Tickets", ["Status", "CreatedAt", "Id"]);
        migrationBuilder.CreateIndex("IX_Tickets_PatternId", "Tickets", "PatternId", filter: "\"PatternId\" IS NOT NULL");
        migrationBuilder.CreateIndex("IX_Tickets_CustomerId", "Tickets", "CustomerId");
        migrationBuilder.CreateIndex("IX_Tickets_AssigneeId", "Tickets", "AssigneeId", filter: "\"AssigneeId\" IS NOT NULL");
        migrationBuilder.CreateIndex("IX_TicketMessages_TicketId_CreatedAt", "TicketMessages", ["TicketId", "CreatedAt"]);
        migrationBuilder.CreateIndex("IX_TicketMessages_AuthorUserId", "TicketMessages", "AuthorUserId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("TicketMessages");
        migrationBuilder.DropTable("Tickets");
        migrationBuilder.DropTable("AuditEntries");
        migrationBuilder.DropTable("ApiKeys");
        migrationBuilder.DropTable("Users");
        migrationBuilder.DropTable("Customers");
    }
}
