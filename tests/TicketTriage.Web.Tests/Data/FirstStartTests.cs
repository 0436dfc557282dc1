using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Demo;
using TicketTriage.Web.Features.People;
using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Data;

/// <summary>What a fresh database gets at start-up: the bootstrap admin and key, and demo data when enabled.</summary>
public sealed class FirstStartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_admin_is_created_from_the_bootstrap_settings_with_a_hashed_password()
    {
        await using var app = new TriageAppFactory();
        _ = app.Services;

        await using var db = app.CreateDbContext();
        var admin = await db.Users.SingleAsync(u => u.Role == UserRole.Admin, Ct);
        var hasher = app.Services.GetRequiredService<IPasswordHasher<User>>();
        Assert.Equal(TriageAppFactory.AdminEmail, admin.Email);
        Assert.DoesNotContain(TriageAppFactory.AdminPassword, admin.PasswordHash);
        Assert.Equal(PasswordVerificationResult.Success, hasher.VerifyHashedPassword(admin, admin.PasswordHash, TriageAppFactory.AdminPassword));
        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(admin, admin.PasswordHash, "wrong"));
        Assert.False(await db.Users.AnyAsync(u => u.Email == "agent@example.com", Ct));
        Assert.False(await db.Tickets.AnyAsync(Ct));
    }

    [Fact]
    public async Task Demo_data_seeds_customers_tickets_and_demo_users_once()
    {
        await using var app = new TriageAppFactory { Settings = { ["Demo:Seed"] = "true" } };
        _ = app.Services;
        await app.Services.GetRequiredService<DemoSeeder>().SeedAsync(Ct);

        await using var db = app.CreateDbContext();
        Assert.Equal(DemoSeeder.CustomerCount, await db.Customers.CountAsync(Ct));
        Assert.Equal(DemoSeeder.TicketCount, await db.Tickets.CountAsync(Ct));
        Assert.True(await db.Customers.Select(c => c.Server).Distinct().CountAsync(Ct) >= 40);
        Assert.Equal(["ams1", "dal1", "sgp1"], (await db.Customers.Select(c => c.Datacenter!).Distinct().ToListAsync(Ct)).Order());
        Assert.True(await db.Tickets.Select(t => t.Status).Distinct().CountAsync(Ct) >= 4);
        Assert.True(await db.TicketMessages.CountAsync(Ct) > DemoSeeder.TicketCount / 2);
        var hasher = app.Services.GetRequiredService<IPasswordHasher<User>>();
        foreach (var email in BootstrapAccounts.DemoUsers.Keys)
        {
            var user = await db.Users.SingleAsync(u => u.Email == email, Ct);
            Assert.Equal(PasswordVerificationResult.Success, hasher.VerifyHashedPassword(user, user.PasswordHash, BootstrapAccounts.DemoPassword(email)));
        }
    }
}
