using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using TicketTriage.Web.Data.Configurations;

namespace TicketTriage.Web.Data.Migrations;

/// <summary><c>Changes.Series</c>: the rollout a change is one batch of, so a pattern can link to the whole rollout.</summary>
[DbContext(typeof(TriageDbContext))]
[Migration("20261204000100_ChangeSeries")]
public sealed class ChangeSeries : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<string>("Series", "Changes", maxLength: Limits.Label, nullable: true);

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn("Series", "Changes");
}
