using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Queue;
using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Pages;

/// <summary>"Next ticket" on SQLite, PostgreSQL and SQL Server: highest priority first, and a ticket is never handed out twice.</summary>
public abstract class TicketClaimsTestsBase(TriageAppFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected TriageAppFactory Factory { get; } = factory;

    /// <summary>Why the tests cannot run here (no PostgreSQL configured), or null.</summary>
    protected virtual string? Unavailable => null;

    [Fact]
    public async Task Next_ticket_takes_the_highest_priority_unclaimed_new_or_open_ticket()
    {
        Assert.SkipWhen(Unavailable is not null, Unavailable ?? "");
        var agent = await Seed.UserAsync(Factory, $"next-{Guid.NewGuid():N}@example.com", UserRole.Agent, "agent-password-1");
        var other = await Seed.UserAsync(Factory, $"other-{Guid.NewGuid():N}@example.com", UserRole.Agent, "agent-password-1");
        var tag = Guid.NewGuid().ToString("N");
        // Everything above 2.0 belongs to this test: claimed, solved or lower ones must be passed over.
        await Seed.TicketAsync(Factory, tag, priority: 9.0, assigneeId: other, status: TicketStatus.Open);
        await Seed.TicketAsync(Factory, tag, priority: 8.0, status: TicketStatus.Solved);
        var best = await Seed.TicketAsync(Factory, tag, priority: 7.0, status: TicketStatus.Open);
        var second = await Seed.TicketAsync(Factory, tag, priority: 6.0);
        var claims = Factory.Services.GetRequiredService<TicketClaims>();

        Assert.Equal(best, await claims.ClaimNextAsync(agent, Ct));
        Assert.Equal(second, await claims.ClaimNextAsync(agent, Ct));

        await using var db = Factory.CreateDbContext();
        var claimed = await db.Tickets.SingleAsync(t => t.Id == second, Ct);
        Assert.Equal(agent, claimed.AssigneeId);
        Assert.Equal(TicketStatus.Open, claimed.Status);
        Assert.False(await Factory.Services.GetRequiredService<TicketClaims>().TryClaimAsync(second, other, Ct));
    }

    [Fact]
    public async Task Agents_pressing_next_ticket_at_the_same_moment_never_get_the_same_ticket()
    {
        Assert.SkipWhen(Unavailable is not null, Unavailable ?? "");
        const int agents = 12;
        var ids = new List<int>();
        for (var i = 0; i < agents; i++)
        {
            ids.Add(await Seed.UserAsync(Factory, $"race-{i}-{Guid.NewGuid():N}@example.com", UserRole.Agent, "agent-password-1"));
        }

        // Fewer tickets than agents at the very top: every agent races for the same first candidates.
        for (var i = 0; i < agents; i++)
        {
            await Seed.TicketAsync(Factory, "Race", priority: 100.0 + (i % 3));
        }

        var claims = Factory.Services.GetRequiredService<TicketClaims>();
        using var go = new ManualResetEventSlim(false);
        var tasks = ids.Select(id => Task.Run(async () =>
        {
            go.Wait(Ct);
            return await claims.ClaimNextAsync(id, Ct);
        }, Ct)).ToList();
        go.Set();
        var got = await Task.WhenAll(tasks);

        Assert.All(got, g => Assert.NotNull(g));
        Assert.Equal(agents, got.Distinct().Count());
        await using var db = Factory.CreateDbContext();
        foreach (var (agent, ticket) in ids.Zip(got))
        {
            Assert.Equal(agent, (await db.Tickets.SingleAsync(t => t.Id == ticket, Ct)).AssigneeId);
        }
    }
}

public sealed class TicketClaimsTests(TriageAppFactory factory) : TicketClaimsTestsBase(factory), IClassFixture<TriageAppFactory>;

public sealed class TicketClaimsPostgresTests(PostgresAppFactory factory) : TicketClaimsTestsBase(factory), IClassFixture<PostgresAppFactory>
{
    protected override string? Unavailable => factory.Database is null ? PostgresTestDatabase.SkipReason : null;
}

public sealed class TicketClaimsSqlServerTests(SqlServerAppFactory factory) : TicketClaimsTestsBase(factory), IClassFixture<SqlServerAppFactory>
{
    protected override string? Unavailable => factory.Database is null ? SqlServerTestDatabase.SkipReason : null;
}
