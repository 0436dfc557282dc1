using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace TicketTriage.Web.Data.Migrations;

/// <summary>
/// Indexes for the leads' and agents' pages at a million tickets and 10,000 patterns (<c>triage bench ui</c>).
/// <c>IX_Tickets_Category</c>: the queue's category menu without it visits every ticket (over a second); with it, one
/// seek per distinct category. <c>IX_Patterns_Board</c>: covers the board's filter and order, so the page of ids is
/// sorted from the index and only 60 full rows are read.
/// </summary>
[DbContext(typeof(TriageDbContext))]
[Migration("20261203000400_PageReads")]
public sealed class PageReads : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateIndex("IX_Tickets_Category", "Tickets", "Category");
        migrationBuilder.CreateIndex("IX_Patterns_Board", "Patterns", ["Status", "MergedIntoId", "Size", "EmergingSince", "LastSeen"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex("IX_Patterns_Board", "Patterns");
        migrationBuilder.DropIndex("IX_Tickets_Category", "Tickets");
    }
}
