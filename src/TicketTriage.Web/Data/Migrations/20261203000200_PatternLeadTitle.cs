using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using TicketTriage.Web.Data.Configurations;

namespace TicketTriage.Web.Data.Migrations;

/// <summary><c>Patterns.LeadTitle</c>: a lead's name for a pattern, kept apart from the engine's title, which the triage worker rewrites.</summary>
[DbContext(typeof(TriageDbContext))]
[Migration("20261203000200_PatternLeadTitle")]
public sealed class PatternLeadTitle : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<string>("LeadTitle", "Patterns", maxLength: Limits.Subject, nullable: true);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropColumn("LeadTitle", "Patterns");
}
