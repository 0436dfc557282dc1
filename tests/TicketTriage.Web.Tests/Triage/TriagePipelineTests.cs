using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TicketTriage.ML.Engine;
using TicketTriage.Web.Features.Triage;
using TicketTriage.Web.Tests.Infrastructure;
using TicketTriage.Web.Tests.Ingest;

namespace TicketTriage.Web.Tests.Triage;

/// <summary>
/// The worker prepares tickets on several threads and writes a batch while the engine triages the next: with small
/// batches (many overlaps), every ticket is triaged once, stamps follow arrival order, and category and pattern are
/// exactly those of one engine fed the same tickets one after another.
/// </summary>
public sealed class TriagePipelineTests : IAsyncLifetime
{
    private readonly TriageAppFactory _factory = new() { Settings = { ["Triage:BatchSize"] = "25" } };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private static readonly string[][] Themes =
    [
        ["Cannot send email", "Outlook says 535 5.7.8 authentication failed when sending from mailbox"],
        ["SSL certificate expired", "Browsers warn that the certificate of our shop expired, customers see a warning on"],
        ["Invoice question", "Please send the invoice for last month as PDF, reference"],
        ["Site down", "Our website answers 503 service unavailable since this morning on page"],
        ["Password reset", "The reset link in the email says the token is invalid for user"],
    ];

    [Fact]
    public async Task Overlapping_batches_give_the_results_of_one_ticket_after_another()
    {
        var worker = _factory.Services.GetRequiredService<TriageWorker>();
        for (var i = 0; !worker.Ready; i++)
        {
            Assert.True(i < 600, "the worker did not start in 60 s");
            await Task.Delay(100, Ct);
        }

        using var client = _factory.CreateApiClient();
        const int Total = 400;
        for (var first = 0; first < Total; first += 50)
        {
            var tickets = Enumerable.Range(first, 50).Select(i => (JsonNode?)new JsonObject
            {
                ["source"] = "pipeline",
                ["externalId"] = $"P-{i}",
                ["subject"] = Themes[i * 7 % Themes.Length][0],
                ["body"] = $"{Themes[i * 7 % Themes.Length][1]} {i % 13} (ticket {i})",
                ["customer"] = new JsonObject { ["email"] = $"c{i % 40}@example.com", ["server"] = $"web-0{i % 4}", ["tier"] = i % 3 == 0 ? "enterprise" : "standard" },
            });
            using var posted = await client.PostBatchAsync(tickets, Ct);
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        var rows = await WaitTriagedAsync(Total);

        // Stamps follow arrival: batches are written one at a time, in the order the engine saw them.
        for (var i = 1; i < rows.Count; i++)
        {
            Assert.True(rows[i].TriagedAt >= rows[i - 1].TriagedAt, $"ticket {rows[i].Id} stamped before ticket {rows[i - 1].Id}, which arrived earlier");
        }

        // The same engine (fitted on no history, as the worker's was), fed one ticket after another.
        var reference = TriageEngine.Create(new EngineOptions(), [], _factory.Services.GetRequiredService<ClassifierSource>().Current);
        var outcomes = rows.Select(t => reference.Triage(EngineTickets.From(t))).ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(outcomes[i].Category, rows[i].Category);
            Assert.Equal((double)outcomes[i].CategoryConfidence, rows[i].CategoryConfidence!.Value, 5);
            Assert.Equal(reference.Resolve(outcomes[i].PatternId), rows[i].PatternId);
        }

        Assert.Equal(Total, worker.Triaged);
    }

    private async Task<List<Domain.Ticket>> WaitTriagedAsync(int count)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = _factory.CreateDbContext();
            var rows = await db.Tickets.AsNoTracking().Include(t => t.Customer).Where(t => t.Source == "pipeline")
                .OrderBy(t => t.ReceivedAt).ThenBy(t => t.Id).ToListAsync(Ct);
            if (rows.Count == count && rows.All(t => t.TriagedAt is not null))
            {
                return rows;
            }

            Assert.True(attempt < 1200, $"{rows.Count(t => t.TriagedAt is null)} of {rows.Count} tickets still untriaged after 120 s");
            await Task.Delay(100, Ct);
        }
    }
}
