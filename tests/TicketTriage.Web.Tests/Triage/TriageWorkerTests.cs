using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Triage;
using TicketTriage.Web.Tests.Infrastructure;
using TicketTriage.Web.Tests.Ingest;

namespace TicketTriage.Web.Tests.Triage;

/// <summary>
/// The triage worker in the running app: tickets posted through the API are triaged (category from the shipped
/// model, pattern, priority with reasons, triagedAt), patterns are listed, and an agent's correction becomes a
/// labeled example.
/// </summary>
public class TriageWorkerTests(TriageAppFactory factory) : IClassFixture<TriageAppFactory>
{
    protected virtual string? Unavailable => null;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject Ticket(string source, int i, string subject, string body, string server) => new()
    {
        ["source"] = source,
        ["externalId"] = $"T-{i}",
        ["subject"] = subject,
        ["body"] = body,
        ["customer"] = new JsonObject { ["email"] = $"c{i}@example.com", ["server"] = server, ["tier"] = i % 2 == 0 ? "enterprise" : "standard" },
    };

    [Fact]
    public async Task Posted_tickets_are_triaged_with_category_pattern_and_priority()
    {
        Assert.SkipWhen(Unavailable is not null, Unavailable ?? "");
        using var client = factory.CreateApiClient();
        var source = "worker-" + Guid.NewGuid().ToString("N")[..8];
        var tickets = Enumerable.Range(1, 12).Select(i => (JsonNode?)Ticket(source, i,
            "Cannot send email: 535 authentication failed", $"Outlook says 535 5.7.8 authentication failed when sending from mailbox {i}.", "web-05"))
            .Concat(Enumerable.Range(13, 6).Select(i => (JsonNode?)Ticket(source, i,
                "SSL certificate expired", $"Browsers warn that the certificate of shop{i}.example expired yesterday.", "web-0" + (i % 3))));
        using var posted = await client.PostBatchAsync(tickets, Ct);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        var rows = await WaitTriagedAsync(source, 18);
        Assert.All(rows, t =>
        {
            Assert.NotNull(t.Category);
            Assert.NotNull(t.NeedsReview);
            Assert.NotNull(t.PatternId);
            Assert.NotNull(t.PriorityScore);
            Assert.NotNull(t.PriorityReasons);
            Assert.True(t.TriagedAt >= t.ReceivedAt);
        });

        // The mail tickets share a pattern, apart from the certificate tickets.
        var mail = rows.Where(t => t.Subject.StartsWith("Cannot send", StringComparison.Ordinal)).GroupBy(t => t.PatternId).MaxBy(g => g.Count())!;
        Assert.True(mail.Count() >= 9, $"largest mail pattern holds {mail.Count()} of 12");
        Assert.DoesNotContain(rows.Where(t => t.Subject.StartsWith("SSL", StringComparison.Ordinal)), t => t.PatternId == mail.Key);

        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/patterns/{mail.Key}", Ct);
        Assert.True(detail.GetProperty("pattern").GetProperty("size").GetInt32() >= 9);
        Assert.NotEmpty(detail.GetProperty("hourly").EnumerateArray());
        var members = await client.GetFromJsonAsync<JsonElement>($"/api/patterns/{mail.Key}/tickets?limit=1000", Ct);
        Assert.Equal(mail.Count(), members.GetProperty("items").GetArrayLength());

        var one = await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{rows[0].Id}", Ct);
        foreach (var field in new[] { "receivedAt", "category", "categoryConfidence", "needsReview", "patternId", "priority", "priorityReasons", "triagedAt" })
        {
            Assert.NotEqual(JsonValueKind.Null, one.GetProperty(field).ValueKind);
        }
    }

    [Fact]
    public async Task A_recategorized_ticket_becomes_a_labeled_example()
    {
        Assert.SkipWhen(Unavailable is not null, Unavailable ?? "");
        using var client = factory.CreateApiClient();
        var source = "label-" + Guid.NewGuid().ToString("N")[..8];
        using var posted = await client.PostTicketAsync(Ticket(source, 1, "Invoice charged twice", "I was billed twice this month.", "web-01"), Ct);
        var id = (await posted.ReadJsonAsync(Ct)).GetProperty("id").GetInt64();
        var triaged = (await WaitTriagedAsync(source, 1))[0];

        var recategorization = factory.Services.GetRequiredService<TicketRecategorization>();
        var label = recategorization.Categories.First(c => c != triaged.Category);
        Assert.Equal(RecategorizeResult.Done, await recategorization.RecategorizeAsync(id, label, "agent@example.com", Ct));
        Assert.NotNull((await recategorization.RecategorizeAsync(id, "no-such-category", "agent@example.com", Ct)).Error);

        await using var db = factory.CreateDbContext();
        var example = await db.LabeledExamples.SingleAsync(e => e.TicketId == id, Ct);
        Assert.Equal(label, example.Label);
        Assert.Equal(triaged.Category, example.PreviousLabel);
        Assert.Equal("agent@example.com", example.LabeledBy);
        Assert.Contains("billed twice", example.Text, StringComparison.Ordinal);
        var ticket = await db.Tickets.SingleAsync(t => t.Id == id, Ct);
        Assert.Equal(label, ticket.Category);
        Assert.False(ticket.NeedsReview);
    }

    private Task<List<Ticket>> WaitTriagedAsync(string source, int count) => factory.WaitTriagedAsync(source, count, Ct);
}

/// <summary>The same on PostgreSQL.</summary>
public sealed class TriageWorkerPostgresTests(PostgresAppFactory app) : TriageWorkerTests(app), IClassFixture<PostgresAppFactory>
{
    protected override string? Unavailable => app.Database is null ? PostgresTestDatabase.SkipReason : null;
}

/// <summary>The same on SQL Server (skipped without one).</summary>
public sealed class TriageWorkerSqlServerTests(SqlServerAppFactory app) : TriageWorkerTests(app), IClassFixture<SqlServerAppFactory>
{
    protected override string? Unavailable => app.Database is null ? SqlServerTestDatabase.SkipReason : null;
}
