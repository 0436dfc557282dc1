using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Tickets;
using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Replies;

/// <summary>
/// Real SMTP: a reply and a bulk reply leave through MailKit to the smtp4dev server test.sh starts
/// (TICKETTRIAGE_TEST_SMTP_PORT, TICKETTRIAGE_TEST_SMTP_API); without it these tests are skipped, saying why.
/// </summary>
public sealed class SmtpDeliveryTests
{
    private static readonly string? SmtpPort = Environment.GetEnvironmentVariable("TICKETTRIAGE_TEST_SMTP_PORT");
    private static readonly string? SmtpApi = Environment.GetEnvironmentVariable("TICKETTRIAGE_TEST_SMTP_API");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Replies_reach_a_real_SMTP_server_once_each_with_the_ticket_header()
    {
        Assert.SkipWhen(SmtpPort is null || SmtpApi is null, "No SMTP test server: set TICKETTRIAGE_TEST_SMTP_PORT and TICKETTRIAGE_TEST_SMTP_API (test.sh starts smtp4dev).");
        await using var factory = ReplySeed.Factory();
        factory.Settings["Mail:Transport"] = "Smtp";
        factory.Settings["Mail:Host"] = "127.0.0.1";
        factory.Settings["Mail:Port"] = SmtpPort;
        factory.Settings["Mail:Security"] = "None";
        var marker = Guid.NewGuid().ToString("N")[..10];
        var (patternId, tickets) = await ReplySeed.PatternAsync(factory, 20, email: i => $"smtp{i}-{marker}@example.com");

        var replies = factory.Services.GetRequiredService<TicketReplies>();
        Assert.Null(await replies.ReplyAsync(tickets[0], new Actor(1, "Admin"), "Single reply " + marker, isInternal: false, Ct));
        using var client = factory.CreateApiClient();
        using var response = await client.PostAsJsonAsync($"/api/patterns/{patternId}/bulk-replies",
            new { body = "Bulk " + marker + " for {{customer.name}}", exclude = new { answered = false } }, Ct);
        response.EnsureSuccessStatusCode();

        await using var db = factory.CreateDbContext();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await db.OutboundMessages.CountAsync(m => tickets.Contains(m.TicketId) && m.State == DeliveryState.Sent, Ct) < 21 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, Ct);
        }

        Assert.Equal(21, await db.OutboundMessages.CountAsync(m => tickets.Contains(m.TicketId) && m.State == DeliveryState.Sent, Ct));

        using var smtp4dev = new HttpClient { BaseAddress = new Uri(SmtpApi!) };
        List<JsonElement> ours = [];
        while (DateTime.UtcNow < deadline)
        {
            var page = await smtp4dev.GetFromJsonAsync<JsonElement>("/api/messages?pageSize=1000", Ct);
            ours = [.. page.GetProperty("results").EnumerateArray().Where(m => m.GetRawText().Contains(marker, StringComparison.Ordinal))];
            if (ours.Count >= 21)
            {
                break;
            }

            await Task.Delay(200, Ct);
        }

        // One message per reply: 20 bulk + 1 single, each to its own customer (the first customer gets two).
        Assert.Equal(21, ours.Count);
        var to = ours.Select(m => m.GetProperty("to").ToString()).ToList();
        Assert.Equal(20, to.Distinct().Count());
        var id = ours[0].GetProperty("id").GetString();
        var source = await smtp4dev.GetStringAsync($"/api/messages/{id}/raw", Ct);
        Assert.Contains("X-TicketTriage-Ticket:", source, StringComparison.Ordinal);
        Assert.Contains("References: <ticket-", source, StringComparison.Ordinal);
    }
}
