using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Mail;
using TicketTriage.Web.Features.Tickets;
using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Replies;

/// <summary>The outbox: a transport that fails is retried with growing waits, then the message is marked failed with the reason.</summary>
public sealed class OutboxDispatcherTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Fails the first <see cref="FailFirst"/> sends with a transient error, then accepts; counts what it accepted.</summary>
    private sealed class FlakyTransport : IMailTransport, IMailSession
    {
        public int FailFirst { get; set; }
        public List<(DateTime At, string MessageId)> Attempts { get; } = [];
        public List<MimeMessage> Accepted { get; } = [];

        public Task<IMailSession> OpenAsync(CancellationToken cancellationToken) => Task.FromResult<IMailSession>(this);

        public Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            lock (Attempts)
            {
                Attempts.Add((DateTime.UtcNow, message.MessageId ?? ""));
                if (Attempts.Count <= FailFirst)
                {
                    throw new IOException("connection reset by peer");
                }

                Accepted.Add(message);
            }

            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Theory]
    [InlineData(3, 8, DeliveryState.Sent)]
    [InlineData(99, 3, DeliveryState.Failed)]
    public async Task A_public_reply_is_retried_with_backoff_until_sent_or_out_of_attempts(int failFirst, int maxAttempts, DeliveryState expected)
    {
        var transport = new FlakyTransport { FailFirst = failFirst };
        await using var factory = new TriageAppFactory
        {
            Settings = { ["Triage:Enabled"] = "false", ["Mail:FirstRetryDelay"] = "00:00:00.200", ["Mail:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Mail:PollInterval"] = "00:00:00.050" },
            ConfigureTestServices = services => services.AddSingleton<IMailTransport>(transport),
        };
        var (_, tickets) = await ReplySeed.PatternAsync(factory, 1);
        var replies = factory.Services.GetRequiredService<TicketReplies>();
        Assert.Null(await replies.ReplyAsync(tickets[0], new Actor(1, "Admin"), "We restored your files.", isInternal: false, Ct));
        Assert.Null(await replies.ReplyAsync(tickets[0], new Actor(1, "Admin"), "Internal: restored from node-209 backup.", isInternal: true, Ct));

        await using var db = factory.CreateDbContext();
        OutboundMessage message;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(100, Ct);
            message = await db.OutboundMessages.AsNoTracking().SingleAsync(m => m.TicketId == tickets[0], Ct);
        }
        while (message.State == DeliveryState.Queued && DateTime.UtcNow < deadline);

        Assert.Equal(expected, message.State);
        Assert.Equal(expected == DeliveryState.Sent ? failFirst + 1 : maxAttempts, message.Attempts);
        var gaps = transport.Attempts.Zip(transport.Attempts.Skip(1), (a, b) => (b.At - a.At).TotalMilliseconds).ToList();
        // 200 ms, 400 ms, 800 ms…: each wait at least the backoff (timers only ever fire late).
        for (var i = 0; i < gaps.Count; i++)
        {
            Assert.True(gaps[i] >= 200 * (1 << i) - 20, $"wait {i} was {gaps[i]:0} ms");
        }

        if (expected == DeliveryState.Sent)
        {
            var mime = Assert.Single(transport.Accepted);
            Assert.Equal(tickets[0].ToString(System.Globalization.CultureInfo.InvariantCulture), mime.Headers[MailOutbox.TicketHeader]);
            Assert.Equal("We restored your files.", mime.TextBody?.Trim());
            Assert.All(transport.Attempts, a => Assert.Equal(mime.MessageId, a.MessageId));
        }
        else
        {
            Assert.Contains("connection reset", message.LastError, StringComparison.Ordinal);
        }
    }

    /// <summary>A round sends several messages and commits them together: a failure inside the round is retried on its own, the rest are sent once.</summary>
    [Fact]
    public async Task A_round_commits_its_messages_together_and_retries_only_the_one_that_failed()
    {
        var transport = new FlakyTransport { FailFirst = 1 };
        await using var factory = new TriageAppFactory
        {
            Settings = { ["Triage:Enabled"] = "false", ["Mail:FirstRetryDelay"] = "00:00:00.200", ["Mail:PollInterval"] = "00:00:00.050", ["Mail:BatchSize"] = "3" },
            ConfigureTestServices = services => services.AddSingleton<IMailTransport>(transport),
        };
        var (_, tickets) = await ReplySeed.PatternAsync(factory, 7);
        var replies = factory.Services.GetRequiredService<TicketReplies>();
        foreach (var ticket in tickets)
        {
            Assert.Null(await replies.ReplyAsync(ticket, new Actor(1, "Admin"), $"Fixed for {ticket}.", isInternal: false, Ct));
        }

        await using var db = factory.CreateDbContext();
        List<OutboundMessage> messages;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(100, Ct);
            messages = await db.OutboundMessages.AsNoTracking().Where(m => tickets.Contains(m.TicketId)).OrderBy(m => m.Id).ToListAsync(Ct);
        }
        while (messages.Any(m => m.State == DeliveryState.Queued) && DateTime.UtcNow < deadline);

        Assert.Equal(tickets.Count, messages.Count);
        Assert.All(messages, m => Assert.Equal(DeliveryState.Sent, m.State));
        // The first message failed once and went again after its backoff; every other one was sent on its first attempt.
        Assert.Equal([2, .. Enumerable.Repeat(1, tickets.Count - 1)], messages.Select(m => m.Attempts));
        Assert.Equal(tickets.Count, transport.Accepted.Count);
        Assert.Equal(messages.Select(m => m.MessageId).Order(), transport.Accepted.Select(a => a.MessageId).Order());
    }
}
