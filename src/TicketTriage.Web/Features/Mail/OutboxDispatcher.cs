using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Live;

namespace TicketTriage.Web.Features.Mail;

/// <summary>
/// Sends what the outbox holds: due messages in id order, up to <c>BatchSize</c> per round over one transport session,
/// the outcomes of a round committed together in one transaction (a commit per message made 1,200 mails take a minute
/// on SQLite). A failure waits <c>FirstRetryDelay × 2^(attempt-1)</c> (capped) before the next attempt; after
/// <c>MaxAttempts</c>, or on a permanent refusal, the message is marked failed with the server's words.
/// </summary>
/// <remarks>
/// Delivery is at least once towards the mail server: a crash between the server's acceptance and the commit of
/// "sent" sends that one message again on restart, with the same Message-Id (receivers and the pickup folder
/// collapse such duplicates; the pickup folder holds one file per Message-Id). The window is one round: a crash before
/// the round's commit sends that round again on restart, each message with its own Message-Id, never a new message for
/// a reply that was already queued. A cancelled round still commits what it sent. One dispatcher per database:
/// several app instances would need a claim on each round (not built).
/// </remarks>
internal sealed class OutboxDispatcher(
    IDbContextFactory<TriageDbContext> dbFactory,
    IMailTransport transport,
    MailOutbox outbox,
    LiveEvents live,
    IOptions<MailOptions> options,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int handled;
            try
            {
                handled = await RunRoundAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "The outbox round failed; trying again shortly");
                handled = 0;
            }

            if (handled == 0)
            {
                using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                poll.CancelAfter(options.Value.PollInterval);
                try
                {
                    await outbox.WaitAsync(poll.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // Poll interval over: look for due retries.
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                outbox.ClearWake();
            }
        }
    }

    /// <summary>Sends one round of due messages; returns how many it handled (sent, failed or rescheduled).</summary>
    internal async Task<int> RunRoundAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.OutboundMessages
            .Where(m => m.State == DeliveryState.Queued && m.NextAttemptAt <= now)
            .OrderBy(m => m.Id).Take(o.BatchSize).ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        var touched = new HashSet<long>();
        IMailSession? session = null;
        try
        {
            foreach (var message in due)
            {
                try
                {
                    session ??= await transport.OpenAsync(cancellationToken);
                    await session.SendAsync(outbox.ToMime(message), cancellationToken);
                    message.State = DeliveryState.Sent;
                    message.SentAt = time.GetUtcNow().UtcDateTime;
                    message.Attempts++;
                    message.LastError = null;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    Reschedule(message, ex, o);
                    if (ex is not PermanentMailException && session is not null)
                    {
                        // The connection may be broken: the next message gets a fresh session.
                        await session.DisposeAsync();
                        session = null;
                    }
                }

                touched.Add(message.TicketId);
            }
        }
        finally
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }

            // Also on shutdown: what left must be recorded, or the next start would send it again.
            await db.SaveChangesAsync(CancellationToken.None);
            live.Publish(new DeliveryChanged([.. touched]));
        }

        return due.Count;
    }

    private void Reschedule(OutboundMessage message, Exception ex, MailOptions o)
    {
        message.Attempts++;
        message.LastError = Shorten(ex is PermanentMailException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}");
        if (ex is PermanentMailException || message.Attempts >= o.MaxAttempts)
        {
            message.State = DeliveryState.Failed;
            logger.LogWarning("Mail {MessageId} for ticket {TicketId} failed for good after {Attempts} attempts: {Error}",
                message.MessageId, message.TicketId, message.Attempts, message.LastError);
            return;
        }

        var delay = TimeSpan.FromTicks(Math.Min(o.MaxRetryDelay.Ticks, o.FirstRetryDelay.Ticks << Math.Min(message.Attempts - 1, 30)));
        message.NextAttemptAt = time.GetUtcNow().UtcDateTime + delay;
    }

    private static string Shorten(string text) => text.Length <= 500 ? text : text[..500];
}
