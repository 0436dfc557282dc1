using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Triage;
using TicketTriage.Web.Tests.Infrastructure;
using TicketTriage.Web.Tests.Ingest;

namespace TicketTriage.Web.Tests.Triage;

/// <summary>
/// A stop the host cuts short (its shutdown timeout fired) leaves the last saved state and does not throw: a throw
/// from one hosted service's stop hides the others' and fails the host's shutdown.
/// </summary>
public sealed class TriageWorkerStopTests : IAsyncLifetime
{
    // No periodic save during the test: the triaged tickets are unsaved when the stop comes.
    private readonly TriageAppFactory _app = new() { Settings = { ["Triage:SaveInterval"] = "01:00:00" } };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task A_stop_whose_time_ran_out_does_not_throw_and_a_stop_after_the_loop_ended_saves()
    {
        var worker = _app.Services.GetRequiredService<TriageWorker>();
        using (var client = _app.CreateApiClient())
        {
            var tickets = Enumerable.Range(0, 6).Select(i => (JsonNode?)new JsonObject
            {
                ["source"] = "stop", ["externalId"] = $"S-{i}", ["subject"] = "Cannot send email",
                ["body"] = $"Outlook says 535 authentication failed for mailbox {i}.", ["customer"] = new JsonObject { ["email"] = $"s{i}@example.com" },
            });
            using var posted = await client.PostBatchAsync(tickets, Ct);
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        await _app.WaitTriagedAsync("stop", 6, Ct);

        // The host's shutdown token, already fired: the loop may still be inside a batch, and the save cannot run.
        await worker.StopAsync(new CancellationToken(canceled: true));

        // A stop with time to spare, once the loop has ended, saves the state.
        await worker.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await worker.StopAsync(Ct);
        await using var db = _app.CreateDbContext();
        var state = await db.TriageStates.SingleAsync(s => s.Id == TriageState.EngineKey, Ct);
        Assert.True(state.TicketsSeen >= 6, $"the saved state has seen {state.TicketsSeen} tickets");
    }
}
