using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.ApiKeys;
using TicketTriage.Web.Features.Mail;
using TicketTriage.Web.Tests.Infrastructure;
using TicketTriage.Web.Tests.Ingest;

namespace TicketTriage.Web.Tests.Replies;

/// <summary>Bulk replies over the API, on the real app and database, mail written to the pickup folder.</summary>
public sealed class BulkReplyApiTests : IAsyncLifetime
{
    private readonly TriageAppFactory factory = ReplySeed.Factory();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    private static JsonObject Body(string text = "Hello {{customer.name}}, about #{{ticket.number}} on {{customer.server}}: we are on it ({{pattern.title}}).",
        string? statusAfter = "pending", JsonObject? exclude = null) => new()
    {
        ["body"] = text,
        ["statusAfter"] = statusAfter,
        ["exclude"] = exclude,
    };

    internal static async Task<JsonElement> WaitUntilDoneAsync(HttpClient client, long id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var state = await client.GetFromJsonAsync<JsonElement>($"/api/bulk-replies/{id}", Ct);
            if (state.GetProperty("state").GetString() != "running" || DateTime.UtcNow > deadline)
            {
                return state;
            }

            await Task.Delay(50, Ct);
        }
    }

    [Fact]
    public async Task Every_ticket_of_a_pattern_gets_exactly_one_personal_reply_and_the_status_after()
    {
        var (patternId, tickets) = await ReplySeed.PatternAsync(factory, 1200);
        using var client = factory.CreateApiClient();
        using var response = await client.PostAsync($"/api/patterns/{patternId}/bulk-replies", IngestClient.Json(Body()), Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.ReadJsonAsync(Ct);
        Assert.Equal(1200, accepted.GetProperty("recipients").GetInt32());
        var id = accepted.GetProperty("id").GetInt64();
        Assert.Equal($"/api/bulk-replies/{id}", response.Headers.Location?.OriginalString);

        var state = await WaitUntilDoneAsync(client, id);
        Assert.Equal("done", state.GetProperty("state").GetString());
        Assert.Equal(1200, state.GetProperty("total").GetInt32());
        Assert.Equal(1200, state.GetProperty("sent").GetInt32());
        Assert.Equal(0, state.GetProperty("skipped").GetInt32());
        Assert.Equal(0, state.GetProperty("failed").GetInt32());

        await using var db = factory.CreateDbContext();
        var replies = await db.TicketMessages.Where(m => tickets.Contains(m.TicketId) && m.AuthorKind == MessageAuthorKind.Agent)
            .GroupBy(m => m.TicketId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(Ct);
        Assert.Equal(1200, replies.Count);
        Assert.All(replies, r => Assert.Equal(1, r.Count));
        var first = await db.TicketMessages.SingleAsync(m => m.TicketId == tickets[7] && m.AuthorKind == MessageAuthorKind.Agent, Ct);
        Assert.Equal($"Hello Customer 7, about #{tickets[7]} on node-209: we are on it (files missing after upgrade).", first.Body);
        Assert.Equal(1200, await db.Tickets.CountAsync(t => tickets.Contains(t.Id) && t.Status == TicketStatus.Pending, Ct));
        Assert.Equal(1200, await db.OutboundMessages.CountAsync(m => m.BulkReplyOperationId == id, Ct));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "bulkreply.started" && a.Target == $"bulkreply:{id}", Ct));

        // The dispatcher drains the outbox into the pickup folder: one .eml per ticket, each naming its ticket.
        var pickup = factory.Services.GetRequiredService<IMailTransport>() as PickupMailTransport;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await db.OutboundMessages.CountAsync(m => m.BulkReplyOperationId == id && m.State == DeliveryState.Queued, Ct) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, Ct);
        }

        Assert.Equal(1200, await db.OutboundMessages.CountAsync(m => m.BulkReplyOperationId == id && m.State == DeliveryState.Sent, Ct));
        var files = Directory.GetFiles(pickup!.Folder, "*.eml");
        Assert.Equal(1200, files.Length);
        var mime = await MimeKit.MimeMessage.LoadAsync(files[0], Ct);
        var ticketHeader = long.Parse(mime.Headers[MailOutbox.TicketHeader]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(ticketHeader, tickets);
        Assert.Contains($"ticket-{ticketHeader}@", mime.InReplyTo, StringComparison.Ordinal);
        Assert.Equal($"Re: Files gone #{tickets.IndexOf(ticketHeader)} [#{ticketHeader}]", mime.Subject);
    }

    [Fact]
    public async Task Exclusions_skip_tickets_and_the_summary_says_why()
    {
        var (patternId, tickets) = await ReplySeed.PatternAsync(factory, 6, email: i => i == 5 ? null : $"x{i}-{Guid.NewGuid():N}@example.com");
        await using (var db = factory.CreateDbContext())
        {
            // In seeding order (ticket i has customer i), which need not be id order.
            var t = (await db.Tickets.Where(x => tickets.Contains(x.Id)).ToListAsync(Ct)).OrderBy(x => tickets.IndexOf(x.Id)).ToList();
            t[0].Status = TicketStatus.Closed;
            db.TicketMessages.Add(new TicketMessage { TicketId = t[1].Id, AuthorKind = MessageAuthorKind.Customer, Body = "Any news?", CreatedAt = DateTime.UtcNow });
            db.TicketMessages.Add(new TicketMessage { TicketId = t[2].Id, AuthorKind = MessageAuthorKind.Agent, Body = "Looking.", CreatedAt = DateTime.UtcNow });
            // Before joining the pattern: does not count.
            db.TicketMessages.Add(new TicketMessage { TicketId = t[4].Id, AuthorKind = MessageAuthorKind.Customer, Body = "Hello?", CreatedAt = DateTime.UtcNow.AddHours(-5) });
            await db.SaveChangesAsync(Ct);
        }

        using var client = factory.CreateApiClient();
        var exclude = new JsonObject { ["ticketIds"] = new JsonArray(tickets[3]) };
        using var response = await client.PostAsync($"/api/patterns/{patternId}/bulk-replies", IngestClient.Json(Body(statusAfter: null, exclude: exclude)), Ct);
        var accepted = await response.ReadJsonAsync(Ct);
        var state = await WaitUntilDoneAsync(client, accepted.GetProperty("id").GetInt64());
        Assert.True(accepted.GetProperty("recipients").GetInt32() == 1, state.ToString());
        Assert.Equal(6, state.GetProperty("total").GetInt32());
        Assert.Equal(1, state.GetProperty("sent").GetInt32());
        Assert.Equal(5, state.GetProperty("skipped").GetInt32());
        var reasons = state.GetProperty("skippedReasons");
        Assert.Equal(1, reasons.GetProperty("closed").GetInt32());
        Assert.Equal(1, reasons.GetProperty("customer wrote again after joining the pattern").GetInt32());
        Assert.Equal(1, reasons.GetProperty("answered since joining the pattern").GetInt32());
        Assert.Equal(1, reasons.GetProperty("unticked").GetInt32());
        Assert.Equal(1, reasons.GetProperty("no customer email address").GetInt32());

        await using var check = factory.CreateDbContext();
        Assert.Equal(1, await check.OutboundMessages.CountAsync(m => tickets.Contains(m.TicketId), Ct));
        Assert.True(await check.OutboundMessages.AnyAsync(m => m.TicketId == tickets[4], Ct));
    }

    [Fact]
    public async Task The_same_Idempotency_Key_returns_the_same_operation_even_when_sent_at_once()
    {
        var (patternId, tickets) = await ReplySeed.PatternAsync(factory, 50);
        using var client = factory.CreateApiClient();
        async Task<JsonElement> PostAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/patterns/{patternId}/bulk-replies") { Content = IngestClient.Json(Body()) };
            request.Headers.Add("Idempotency-Key", "press-send-twice");
            using var response = await client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            return await response.ReadJsonAsync(Ct);
        }

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostAsync()));
        var ids = answers.Select(a => a.GetProperty("id").GetInt64()).Distinct().ToList();
        Assert.Single(ids);
        Assert.All(answers, a => Assert.Equal(50, a.GetProperty("recipients").GetInt32()));
        await WaitUntilDoneAsync(client, ids[0]);
        var later = await PostAsync();
        Assert.Equal(ids[0], later.GetProperty("id").GetInt64());

        await using var db = factory.CreateDbContext();
        Assert.Equal(1, await db.BulkReplyOperations.CountAsync(o => o.PatternId == patternId, Ct));
        Assert.Equal(50, await db.TicketMessages.CountAsync(m => tickets.Contains(m.TicketId) && m.AuthorKind == MessageAuthorKind.Agent, Ct));
    }

    [Fact]
    public async Task Undo_puts_statuses_back_except_where_someone_changed_them_since()
    {
        var (patternId, tickets) = await ReplySeed.PatternAsync(factory, 4);
        using var client = factory.CreateApiClient();
        using var response = await client.PostAsync($"/api/patterns/{patternId}/bulk-replies", IngestClient.Json(Body(statusAfter: "solved")), Ct);
        var id = (await response.ReadJsonAsync(Ct)).GetProperty("id").GetInt64();
        await WaitUntilDoneAsync(client, id);
        await using (var db = factory.CreateDbContext())
        {
            await db.Tickets.Where(t => t.Id == tickets[0]).ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TicketStatus.Closed), Ct);
        }

        var operations = factory.Services.GetRequiredService<TicketTriage.Web.Features.BulkReplies.BulkReplyOperations>();
        var undo = await operations.UndoAsync(id, new("lead@example.com", null), Ct);
        Assert.Null(undo.Error);
        Assert.Equal(3, undo.Restored);
        Assert.Equal(1, undo.ChangedSince);
        Assert.NotNull((await operations.UndoAsync(id, new("lead@example.com", null), Ct)).Error);

        await using var check = factory.CreateDbContext();
        var statuses = await check.Tickets.Where(t => tickets.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Status, Ct);
        Assert.Equal([TicketStatus.Closed, TicketStatus.Open, TicketStatus.Open, TicketStatus.Open], tickets.Select(id => statuses[id]));
        Assert.True(await check.AuditEntries.AnyAsync(a => a.Action == "bulkreply.undone" && a.Target == $"bulkreply:{id}", Ct));
    }

    [Fact]
    public async Task A_bad_template_or_status_is_a_problem_naming_the_field_and_an_unknown_pattern_is_404()
    {
        var (patternId, _) = await ReplySeed.PatternAsync(factory, 1);
        using var client = factory.CreateApiClient();
        using var bad = await client.PostAsync($"/api/patterns/{patternId}/bulk-replies", IngestClient.Json(Body("Hi {{customer.password}}", statusAfter: "gone")), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var errors = (await bad.ReadJsonAsync(Ct)).GetProperty("errors");
        Assert.Contains("customer.password", errors.GetProperty("body")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("statusAfter", out _));

        using var missing = await client.PostAsync("/api/patterns/424242/bulk-replies", IngestClient.Json(Body()), Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var unknown = await client.GetAsync("/api/bulk-replies/424242", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_key_without_the_reply_scope_is_refused_with_403()
    {
        var (patternId, _) = await ReplySeed.PatternAsync(factory, 1);
        var key = await factory.Services.GetRequiredService<ApiKeyService>().CreateAsync("no-reply", ApiKeyScopes.Ingest | ApiKeyScopes.Read, cancellationToken: Ct);
        using var client = factory.CreateApiClient(key.Plaintext);
        using var response = await client.PostAsync($"/api/patterns/{patternId}/bulk-replies", IngestClient.Json(Body()), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
