using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using TicketTriage.Web.Data.Configurations;

namespace TicketTriage.Web.Data.Migrations;

/// <summary>
/// <c>Users.SecurityStamp</c>: the value a sign-in cookie must match. Existing users get the empty stamp, which their
/// existing cookies (issued without one) match, so nobody is signed out by the upgrade itself.
/// </summary>
[DbContext(typeof(TriageDbContext))]
[Migration("20261202000200_SessionStamp")]
public sealed class SessionStamp : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<string>("SecurityStamp", "Users", maxLength: Limits.Stamp, nullable: false, defaultValue: "");

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropColumn("SecurityStamp", "Users");
}
