extern alias cli;

using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using cli::TicketTriage.Cli.Http;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Cli;

/// <summary>
/// <c>triage bench ui</c>'s two halves with small counts, so the benchmark keeps working: the raw seed lands rows the
/// app reads as triaged tickets and board patterns, and the timer signs in and times the two pages.
/// </summary>
public sealed class BenchUiTests(TriageAppFactory app) : IClassFixture<TriageAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Seeded_rows_are_read_by_the_app_and_both_pages_are_timed_signed_in()
    {
        using var http = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        var seeded = UiBenchSeeder.Seed(app.DatabasePath, tickets: 600, patterns: 40, DateTime.UtcNow);

        Assert.Equal(600, seeded.Tickets);
        await using (var db = app.CreateDbContext())
        {
            var tickets = await db.Tickets.AsNoTracking().Where(t => t.Source == "bench-ui").ToListAsync(Ct);
            Assert.Equal(600, tickets.Count);
            Assert.All(tickets, t => Assert.NotNull(t.TriagedAt));
            Assert.Contains(tickets, t => t.PriorityScore is null);
            Assert.Contains(tickets, t => t.PatternId is not null);
            Assert.Equal(5, tickets.Select(t => t.Status).Distinct().Count());
            var patterns = await db.Patterns.AsNoTracking().ToListAsync(Ct);
            Assert.True(patterns.Count >= 40);
            Assert.Contains(patterns, p => p.Status == PatternStatus.Emerging || p.Status == PatternStatus.New);
        }

        var timer = new UiPageTimer(http);
        await timer.SignInAsync(TriageAppFactory.AdminEmail, TriageAppFactory.AdminPassword, Ct);
        var queue = await timer.TimeAsync("/queue", requests: 3, warmup: 1, Ct);
        var board = await timer.TimeAsync("/patterns", requests: 3, warmup: 1, Ct);

        Assert.Equal(3, queue.Requests);
        Assert.True(queue.P50Ms > 0 && queue.P95Ms >= queue.P50Ms);
        Assert.True(board.Bytes > 1000, "The board's HTML should be a real page, not a redirect body.");
        var html = await http.GetStringAsync("/queue", Ct);
        Assert.Contains("Site down after upgrade", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_reported_not_timed()
    {
        using var http = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        var timer = new UiPageTimer(http);

        await Assert.ThrowsAsync<InvalidOperationException>(() => timer.SignInAsync(TriageAppFactory.AdminEmail, "not-the-password", Ct));
    }
}
