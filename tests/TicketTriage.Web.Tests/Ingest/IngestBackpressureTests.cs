using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TicketTriage.Web.Features.Ingest;
using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Ingest;

public sealed class IngestBackpressureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_full_queue_answers_503_with_Retry_After_and_stores_nothing_while_queued_tickets_still_commit()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hooks = new TicketWriterHooks { BeforeWrite = ct => gate.Task.WaitAsync(ct) };
        await using var app = new TriageAppFactory { ConfigureTestServices = s => s.AddSingleton(hooks) };
        app.Settings["Ingest:QueueCapacity"] = "2";
        app.Settings["Ingest:MaxBatchPerCommit"] = "1";
        app.Settings["Ingest:RetryAfterSeconds"] = "3";
        using var client = app.CreateApiClient();
        var writer = app.Services.GetRequiredService<TicketWriter>();

        var first = client.PostTicketAsync(IngestClient.Ticket("bp-1"), Ct);
        var second = client.PostTicketAsync(IngestClient.Ticket("bp-2"), Ct);
        while (writer.Waiting < 2)
        {
            await Task.Delay(10, Ct);
        }

        var refused = await client.PostTicketAsync(IngestClient.Ticket("bp-3"), Ct);
        var refusedBatch = await client.PostBatchAsync([IngestClient.Ticket("bp-4")], Ct);
        gate.SetResult();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refusedBatch.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await first).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await second).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostTicketAsync(IngestClient.Ticket("bp-3"), Ct)).StatusCode);
        await using var db = app.CreateDbContext();
        Assert.DoesNotContain(db.Tickets, t => t.ExternalId == "bp-4");
    }

    [Fact]
    public async Task Requests_queued_while_the_writer_commits_are_written_together_in_one_group()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var groups = 0;
        var hooks = new TicketWriterHooks
        {
            BeforeWrite = async ct =>
            {
                Interlocked.Increment(ref groups);
                await gate.Task.WaitAsync(ct);
            },
        };
        await using var app = new TriageAppFactory { ConfigureTestServices = s => s.AddSingleton(hooks) };
        using var client = app.CreateApiClient();
        var writer = app.Services.GetRequiredService<TicketWriter>();

        var blocker = client.PostTicketAsync(IngestClient.Ticket("group-0"), Ct);
        while (Volatile.Read(ref groups) == 0)
        {
            await Task.Delay(10, Ct);
        }

        var queued = Enumerable.Range(1, 20).Select(i => client.PostTicketAsync(IngestClient.Ticket($"group-{i}"), Ct)).ToList();
        while (writer.Waiting < 21)
        {
            await Task.Delay(10, Ct);
        }

        gate.SetResult();
        var responses = await Task.WhenAll(queued.Append(blocker));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(2, Volatile.Read(ref groups));
    }
}
