using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace TicketTriage.Web.Data.Migrations;

/// <summary>
/// The agents' priority queue (PriorityScore desc, unscored last, then newest) as index range seeks, with and without
/// a status filter. Hand-written and provider-neutral; the drift test compares it with the model.
/// </summary>
[DbContext(typeof(TriageDbContext))]
[Migration("20261202000300_Ui")]
public sealed class Ui : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateIndex("IX_Tickets_PriorityScore_CreatedAt_Id", "Tickets", ["PriorityScore", "CreatedAt", "Id"]);
        migrationBuilder.CreateIndex("IX_Tickets_Status_PriorityScore_CreatedAt_Id", "Tickets", ["Status", "PriorityScore", "CreatedAt", "Id"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex("IX_Tickets_Status_PriorityScore_CreatedAt_Id", "Tickets");
        migrationBuilder.DropIndex("IX_Tickets_PriorityScore_CreatedAt_Id", "Tickets");
    }
}
