using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using TicketTriage.Web.Data.Configurations;

namespace TicketTriage.Web.Data.Migrations;

/// <summary>
/// <c>Patterns.LeadTitle</c>: a lead's name for a pattern, kept apart from the engine's title, which the triage worker
/// rewrites. <c>Patterns.ArrivalsJson</c>: hourly arrivals over the engine's series window, for the board's sparklines.
/// </summary>
[DbContext(typeof(TriageDbContext))]
[Migration("20261203000200_PatternLeadTitle")]
public sealed class PatternLeadTitle : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>("LeadTitle", "Patterns", maxLength: Limits.Subject, nullable: true);
        migrationBuilder.AddColumn<string>("ArrivalsJson", "Patterns", nullable: false, defaultValue: "[]");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn("ArrivalsJson", "Patterns");
        migrationBuilder.DropColumn("LeadTitle", "Patterns");
    }
}
