using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.BulkReplies;
using TicketTriage.Web.Features.Patterns;
using TicketTriage.Web.Tests.Infrastructure;
using TicketTriage.Web.Tests.Ingest;

namespace TicketTriage.Web.Tests.Replies;

/// <summary>
/// A bulk reply with "auto-reply until resolved": a ticket the triage worker puts into the pattern after the reply
/// went out gets that reply too, once; without the option it gets none. The whole app, its triage worker and runner,
/// on SQLite and on PostgreSQL.
/// </summary>
public sealed class AutoReplyTests
{
    private const string Body = "Since this morning the Mailman list on our domain bounces every post with 'unknown user'.";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite", true)]
    [InlineData("sqlite", false)]
    [InlineData("postgres", true)]
    [InlineData("postgres", false)]
    public async Task A_ticket_joining_the_pattern_after_the_bulk_reply_gets_it_once_only_when_asked(string provider, bool autoReply)
    {
        await using var postgres = provider == "postgres" ? await PostgresTestDatabase.CreateAsync(Ct) : null;
        Assert.SkipWhen(provider == "postgres" && postgres is null, PostgresTestDatabase.SkipReason);
        await using var factory = new TriageAppFactory
        {
            PostgresConnectionString = postgres?.ConnectionString,
            Settings = { ["Bootstrap:ApiKeyScopes"] = "ingest,read,reply", ["Triage:CatchUpInterval"] = "00:00:01" },
        };
        using var client = factory.CreateApiClient();

        var first = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            first.Add(await IngestAsync(client, i));
        }

        var patternId = (await WaitTriagedAsync(client, first[0])).GetProperty("patternId").GetInt64();
        foreach (var id in first)
        {
            Assert.Equal(patternId, (await WaitTriagedAsync(client, id)).GetProperty("patternId").GetInt64());
        }

        var request = new JsonObject { ["body"] = "We know about the mailing lists and are on it.", ["autoReplyUntilResolved"] = autoReply };
        using var response = await client.PostAsync($"/api/patterns/{patternId}/bulk-replies", IngestClient.Json(request), Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var operation = (await response.ReadJsonAsync(Ct)).GetProperty("id").GetInt64();
        await WaitForAsync(factory, async db => await db.OutboundMessages.CountAsync(m => m.BulkReplyOperationId == operation, Ct) == first.Count);

        // A later joiner: triaged into the same pattern after the reply went out.
        var joiner = await IngestAsync(client, 99);
        Assert.Equal(patternId, (await WaitTriagedAsync(client, joiner)).GetProperty("patternId").GetInt64());

        var runner = factory.Services.GetRequiredService<BulkReplyRunner>();
        if (autoReply)
        {
            await WaitForAsync(factory, async db => await RepliesToAsync(db, joiner) > 0, runner);
        }

        // More rounds of the runner (it polls, and a wake starts one) must not answer the joiner again.
        for (var round = 0; round < 3; round++)
        {
            runner.Wake();
            await Task.Delay(700, Ct);
        }

        await using var check = factory.CreateDbContext();
        Assert.Equal(autoReply ? 1 : 0, await RepliesToAsync(check, joiner));
        Assert.Equal(autoReply ? 1 : 0, await check.OutboundMessages.CountAsync(m => m.TicketId == joiner && m.BulkReplyOperationId == operation, Ct));
        Assert.All(first, id => Assert.Equal(1, check.TicketMessages.Count(m => m.TicketId == id && m.AuthorKind == MessageAuthorKind.Agent)));
        var state = await client.GetFromJsonAsync<JsonElement>($"/api/bulk-replies/{operation}", Ct);
        Assert.Equal(first.Count + (autoReply ? 1 : 0), state.GetProperty("sent").GetInt32());
    }

    /// <summary>
    /// A lead merges the pattern into another after the bulk reply: later joiners land in the survivor, and the
    /// auto-reply follows them there — but the survivor's own earlier tickets, which the lead never previewed, get nothing.
    /// </summary>
    [Fact]
    public async Task Auto_reply_follows_its_pattern_into_the_pattern_it_was_merged_into()
    {
        await using var factory = new TriageAppFactory
        {
            Settings = { ["Bootstrap:ApiKeyScopes"] = "ingest,read,reply", ["Triage:CatchUpInterval"] = "00:00:01" },
        };
        using var client = factory.CreateApiClient();
        var lists = new List<long>();
        var logins = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            lists.Add(await IngestAsync(client, i));
            logins.Add(await IngestAsync(client, 50 + i, "Webmail login fails", "Webmail says my password is wrong although it works in Outlook."));
        }

        var listPattern = (await WaitTriagedAsync(client, lists[0])).GetProperty("patternId").GetInt64();
        var loginPattern = (await WaitTriagedAsync(client, logins[0])).GetProperty("patternId").GetInt64();
        Assert.NotEqual(listPattern, loginPattern);
        foreach (var id in logins)
        {
            Assert.Equal(loginPattern, (await WaitTriagedAsync(client, id)).GetProperty("patternId").GetInt64());
        }

        var request = new JsonObject { ["body"] = "We know about the mailing lists and are on it.", ["autoReplyUntilResolved"] = true };
        using var response = await client.PostAsync($"/api/patterns/{listPattern}/bulk-replies", IngestClient.Json(request), Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var operation = (await response.ReadJsonAsync(Ct)).GetProperty("id").GetInt64();
        var runner = factory.Services.GetRequiredService<BulkReplyRunner>();
        await WaitForAsync(factory, async db => await db.OutboundMessages.CountAsync(m => m.BulkReplyOperationId == operation, Ct) == lists.Count, runner);

        var merged = await factory.Services.GetRequiredService<PatternActions>()
            .RunAsync(new PatternAction(PatternActionKind.Merge, listPattern, "lead@example.com", IntoId: loginPattern), Ct);
        Assert.True(merged.Ok, merged.Message);
        var joiner = await IngestAsync(client, 99);
        Assert.Equal(loginPattern, (await WaitTriagedAsync(client, joiner)).GetProperty("patternId").GetInt64());

        await WaitForAsync(factory, async db => await RepliesToAsync(db, joiner) > 0, runner);
        for (var round = 0; round < 3; round++)
        {
            runner.Wake();
            await Task.Delay(700, Ct);
        }

        await using var check = factory.CreateDbContext();
        Assert.Equal(1, await RepliesToAsync(check, joiner));
        Assert.All(logins, id => Assert.Equal(0, check.TicketMessages.Count(m => m.TicketId == id && m.AuthorKind == MessageAuthorKind.Agent)));
        Assert.Equal(loginPattern, (await check.BulkReplyOperations.SingleAsync(o => o.Id == operation, Ct)).PatternId);
        Assert.Equal(1, await check.AuditEntries.CountAsync(a => a.Action == "bulkreply.autoreply-followed-merge", Ct));
    }

    private static async Task WaitForAsync(TriageAppFactory factory, Func<TriageDbContext, Task<bool>> done, BulkReplyRunner? wake = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await using (var db = factory.CreateDbContext())
            {
                if (await done(db))
                {
                    return;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, "timed out");
            wake?.Wake();
            await Task.Delay(100, Ct);
        }
    }

    private static Task<int> RepliesToAsync(TriageDbContext db, long ticket) =>
        db.TicketMessages.CountAsync(m => m.TicketId == ticket && m.AuthorKind == MessageAuthorKind.Agent && !m.IsInternal, Ct);

    private static async Task<long> IngestAsync(HttpClient client, int i, string subject = "Mailing list posts bounce", string body = Body)
    {
        var ticket = IngestClient.Ticket($"list-{i}", subject: subject, email: $"owner{i}@lists.example.com");
        ticket["body"] = body;
        using var response = await client.PostTicketAsync(ticket, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync(Ct)).GetProperty("id").GetInt64();
    }

    private static async Task<JsonElement> WaitTriagedAsync(HttpClient client, long id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var ticket = await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}", Ct);
            if (ticket.GetProperty("triagedAt").ValueKind != JsonValueKind.Null)
            {
                return ticket;
            }

            Assert.True(DateTime.UtcNow < deadline, $"ticket {id} not triaged");
            await Task.Delay(100, Ct);
        }
    }
}
