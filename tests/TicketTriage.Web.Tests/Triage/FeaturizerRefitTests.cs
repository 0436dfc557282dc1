using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TicketTriage.Web.Features.Triage;
using TicketTriage.Web.Tests.Infrastructure;
using TicketTriage.Web.Tests.Ingest;

namespace TicketTriage.Web.Tests.Triage;

/// <summary>
/// The worker refits the featurizer as the stored tickets grow (here after 20 tickets, on a new install with no
/// history): tickets keep joining the patterns they joined before the refit, and a restart restores the refitted
/// featurizer rather than fitting a new one.
/// </summary>
public sealed class FeaturizerRefitTests : IAsyncLifetime
{
    // The second app runs on the first one's database (the first one's folder goes with it when it is disposed).
    private readonly TriageAppFactory _restarted = Refitting(new TriageAppFactory());
    private readonly TriageAppFactory _first;

    public FeaturizerRefitTests()
    {
        _first = Refitting(new TriageAppFactory());
        _first.Settings["ConnectionStrings:Triage"] = $"Data Source={_restarted.DatabasePath};Pooling=false";
    }

    private static TriageAppFactory Refitting(TriageAppFactory factory)
    {
        factory.Settings["Triage:RefitMinTickets"] = "20";
        factory.Settings["Triage:RefitMinInterval"] = "00:00:00"; // the test's tickets arrive within seconds
        factory.Settings["Triage:HistoryCorpusPath"] = "";
        factory.Settings["Triage:CatchUpInterval"] = "00:00:01";
        return factory;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _first.DisposeAsync();
        await _restarted.DisposeAsync();
    }

    [Fact]
    public async Task Tickets_join_the_same_pattern_across_a_refit_and_a_restart_restores_the_refitted_featurizer()
    {
        var worker = await ReadyAsync(_first);
        Assert.Equal(0, worker.HistorySize); // a new install: no stored tickets, no corpus
        using (var client = _first.CreateApiClient())
        {
            await PostAsync(client, 0, 30);
            var rows = await WaitTriagedAsync(_first, 30);
            var mail = MailPattern(rows, 20);

            for (var i = 0; worker.Refits == 0; i++)
            {
                Assert.True(i < 600, "no refit within 60 s");
                await Task.Delay(100, Ct);
            }

            Assert.Equal(30, worker.HistorySize);
            await PostAsync(client, 30, 40);
            rows = await WaitTriagedAsync(_first, 40);
            Assert.All(rows.Skip(30).Where(IsMail), t => Assert.Equal(mail, t.PatternId));
            Assert.All(rows.Skip(30).Where(t => !IsMail(t)), t => Assert.NotEqual(mail, t.PatternId));
        }

        await _first.DisposeAsync(); // stops the worker, which saves the state

        worker = await ReadyAsync(_restarted);
        Assert.Equal(30, worker.HistorySize); // restored: the refitted featurizer, not a new fit
        Assert.Equal(0, worker.Refits);
        using (var client = _restarted.CreateApiClient())
        {
            await PostAsync(client, 40, 48);
            var rows = await WaitTriagedAsync(_restarted, 48);
            var mail = MailPattern(rows.Take(30).ToList(), 20);
            Assert.All(rows.Skip(40).Where(IsMail), t => Assert.Equal(mail, t.PatternId));
        }
    }

    private static bool IsMail(Domain.Ticket t) => t.Subject.StartsWith("Cannot send", StringComparison.Ordinal);

    private static long MailPattern(List<Domain.Ticket> rows, int mails)
    {
        var mail = rows.Where(IsMail).GroupBy(t => t.PatternId).MaxBy(g => g.Count())!;
        Assert.True(mail.Count() >= mails - 2, $"largest mail pattern holds {mail.Count()} of {mails}");
        return mail.Key!.Value;
    }

    // Two mail tickets for each certificate ticket.
    private static async Task PostAsync(HttpClient client, int from, int to)
    {
        var tickets = Enumerable.Range(from, to - from).Select(i => (JsonNode?)new JsonObject
        {
            ["source"] = "refit",
            ["externalId"] = $"R-{i}",
            ["subject"] = i % 3 == 2 ? "SSL certificate expired" : "Cannot send email: 535 authentication failed",
            ["body"] = i % 3 == 2
                ? $"Browsers warn that the certificate of shop{i}.example expired yesterday."
                : $"Outlook says 535 5.7.8 authentication failed when sending from mailbox {i}.",
            ["customer"] = new JsonObject { ["email"] = $"c{i}@example.com", ["server"] = $"web-0{i % 3}" },
        });
        using var posted = await client.PostBatchAsync(tickets, Ct);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
    }

    private static async Task<TriageWorker> ReadyAsync(TriageAppFactory factory)
    {
        var worker = factory.Services.GetRequiredService<TriageWorker>();
        for (var i = 0; !worker.Ready; i++)
        {
            Assert.True(i < 600, "the worker did not start in 60 s");
            await Task.Delay(100, Ct);
        }

        return worker;
    }

    private static async Task<List<Domain.Ticket>> WaitTriagedAsync(TriageAppFactory factory, int count)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = factory.CreateDbContext();
            var rows = await db.Tickets.AsNoTracking().Where(t => t.Source == "refit").OrderBy(t => t.Id).ToListAsync(Ct);
            if (rows.Count == count && rows.All(t => t.TriagedAt is not null))
            {
                return rows;
            }

            Assert.True(attempt < 600, $"{rows.Count(t => t.TriagedAt is null)} of {rows.Count} tickets still untriaged after 60 s");
            await Task.Delay(100, Ct);
        }
    }
}
