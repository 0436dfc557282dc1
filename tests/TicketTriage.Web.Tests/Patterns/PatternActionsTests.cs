using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Patterns;
using TicketTriage.Web.Tests.Infrastructure;
using TicketTriage.Web.Tests.Ingest;

namespace TicketTriage.Web.Tests.Patterns;

/// <summary>
/// Lead actions in the running app with the triage worker on: each changes the engine (sizes come back from it),
/// the database rows and tickets, writes an audit entry, and saves the engine's state at once.
/// </summary>
public sealed class PatternActionsTests(TriageAppFactory factory) : IClassFixture<TriageAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject Ticket(string source, int i, string subject, string body, string server) => new()
    {
        ["source"] = source,
        ["externalId"] = $"T-{i}",
        ["subject"] = subject,
        ["body"] = body,
        ["customer"] = new JsonObject { ["email"] = $"c{i}@example.com", ["server"] = server },
    };

    [Fact]
    public async Task Split_move_merge_confirm_and_rename_are_fed_to_the_engine_and_audited()
    {
        var source = "lead-" + Guid.NewGuid().ToString("N")[..8];
        using (var client = factory.CreateApiClient())
        {
            var tickets = Enumerable.Range(1, 10).Select(i => (JsonNode?)Ticket(source, i, $"Backup restore failed for account {i}",
                    "The nightly backup restore fails with error RST-42 on node-209; restore of my files does not finish.", "node-209"))
                .Concat(Enumerable.Range(11, 10).Select(i => (JsonNode?)Ticket(source, i, $"Invoice charged twice {i}",
                    "My credit card was billed twice for the invoice this month; please refund the duplicate payment.", "web-101")));
            using var posted = await client.PostBatchAsync(tickets, Ct);
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        var rows = await WaitTriagedAsync(source, 20);
        var backups = Majority(rows.Take(10));
        var billing = Majority(rows.Skip(10));
        Assert.NotEqual(backups, billing);
        var actions = factory.Services.GetRequiredService<PatternActions>();
        var backupTickets = rows.Take(10).Where(t => t.PatternId == backups).Select(t => t.Id).ToList();
        var sizeBefore = await SizeAsync(backups);

        var split = await actions.RunAsync(new PatternAction(PatternActionKind.Split, backups, "lead@example.com", TicketIds: backupTickets[..2]), Ct);

        Assert.True(split.Ok, split.Message);
        var created = split.PatternId!.Value;
        Assert.NotEqual(backups, created);
        Assert.Equal(2, await SizeAsync(created));
        Assert.Equal(sizeBefore - 2, await SizeAsync(backups));
        await using (var db = factory.CreateDbContext())
        {
            Assert.Equal(2, await db.Tickets.CountAsync(t => t.PatternId == created, Ct));
            var audit = await db.AuditEntries.SingleAsync(a => a.Action == "pattern.split" && a.Target == $"pattern:{backups}", Ct);
            Assert.Equal("lead@example.com", audit.Actor);
            Assert.Contains($"\"into\":{created}", audit.DetailsJson, StringComparison.Ordinal);
        }

        var move = await actions.RunAsync(new PatternAction(PatternActionKind.Move, created, "lead@example.com", IntoId: backups, TicketIds: [backupTickets[0]]), Ct);
        Assert.True(move.Ok, move.Message);
        Assert.Equal(1, await SizeAsync(created));
        Assert.Equal(sizeBefore - 1, await SizeAsync(backups));

        var merge = await actions.RunAsync(new PatternAction(PatternActionKind.Merge, created, "lead@example.com", IntoId: backups), Ct);
        Assert.True(merge.Ok, merge.Message);
        Assert.Equal(backups, merge.PatternId);
        Assert.Equal(sizeBefore, await SizeAsync(backups));

        var confirm = await actions.RunAsync(new PatternAction(PatternActionKind.Confirm, backups, "lead@example.com"), Ct);
        var rename = await actions.RunAsync(new PatternAction(PatternActionKind.Rename, backups, "lead@example.com", Title: "Restores fail on node-209"), Ct);
        Assert.True(confirm.Ok && rename.Ok);

        await using (var db = factory.CreateDbContext())
        {
            var pattern = await db.Patterns.AsNoTracking().SingleAsync(p => p.Id == backups, Ct);
            Assert.Equal(PatternStatus.Confirmed, pattern.Status);
            Assert.Equal("Restores fail on node-209", pattern.DisplayTitle);
            Assert.Equal(backups, (await db.Patterns.AsNoTracking().SingleAsync(p => p.Id == created, Ct)).MergedIntoId);
            Assert.Equal(0, await db.Tickets.CountAsync(t => t.PatternId == created, Ct));
            Assert.Equal(["pattern.confirmed", "pattern.merged", "pattern.renamed", "pattern.split", "pattern.tickets_moved"],
                (await db.AuditEntries.Where(a => a.Action.StartsWith("pattern.")).Select(a => a.Action).ToListAsync(Ct)).Distinct().Order());
            // Saved with the action, not at the next interval: a restart keeps the lead's decisions.
            var state = await db.TriageStates.AsNoTracking().SingleAsync(s => s.Id == TriageState.EngineKey, Ct);
            var lastAction = await db.AuditEntries.Where(a => a.Action.StartsWith("pattern.")).MaxAsync(a => a.At, Ct);
            Assert.True(state.SavedAt >= lastAction, $"engine state saved {state.SavedAt:O}, last action {lastAction:O}");
        }

        var stale = await actions.RunAsync(new PatternAction(PatternActionKind.Confirm, created, "lead@example.com"), Ct);
        Assert.False(stale.Ok);
        Assert.Contains($"merged into #{backups}", stale.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tickets_that_are_not_in_the_pattern_are_refused_and_nothing_changes()
    {
        var source = "lead-bad-" + Guid.NewGuid().ToString("N")[..8];
        using (var client = factory.CreateApiClient())
        {
            using var posted = await client.PostBatchAsync([.. Enumerable.Range(1, 3).Select(i => (JsonNode?)Ticket(source, i,
                "Mailbox quota exceeded", "My mailbox says quota exceeded and mail bounces.", "mx-1"))], Ct);
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        var rows = await WaitTriagedAsync(source, 3);
        var pattern = rows[0].PatternId!.Value;
        var actions = factory.Services.GetRequiredService<PatternActions>();

        var result = await actions.RunAsync(new PatternAction(PatternActionKind.Split, pattern, "lead@example.com", TicketIds: [rows[0].Id, 987654321]), Ct);

        Assert.False(result.Ok);
        await using var db = factory.CreateDbContext();
        Assert.Equal(pattern, (await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == rows[0].Id, Ct)).PatternId);
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Target == $"pattern:{pattern}" && a.Action == "pattern.split", Ct));
    }

    private static long Majority(IEnumerable<Ticket> tickets) =>
        tickets.GroupBy(t => t.PatternId!.Value).OrderByDescending(g => g.Count()).First().Key;

    private async Task<int> SizeAsync(long id)
    {
        await using var db = factory.CreateDbContext();
        return (await db.Patterns.AsNoTracking().SingleAsync(p => p.Id == id, Ct)).Size;
    }

    private Task<List<Ticket>> WaitTriagedAsync(string source, int count) => factory.WaitTriagedAsync(source, count, Ct);
}
