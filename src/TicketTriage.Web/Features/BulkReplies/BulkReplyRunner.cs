using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Live;
using TicketTriage.Web.Features.Mail;

namespace TicketTriage.Web.Features.BulkReplies;

/// <summary>
/// Works off running bulk replies in chunks. A chunk is one <c>SaveChanges</c>, i.e. one transaction: the replies,
/// their outbox mails, the status changes and the recipients' "sent" commit together or not at all. After a crash
/// (SIGKILL included) the next start finds the operation still running and its unsent recipients still pending, so it
/// goes on where it stopped and no ticket gets a second reply. Also enrolls tickets that join a pattern later when an
/// operation asked for it, until the pattern is resolved or dismissed.
/// </summary>
/// <remarks>One runner per database (like the outbox dispatcher); undo takes the same lock as a chunk.</remarks>
public sealed class BulkReplyRunner(
    IDbContextFactory<TriageDbContext> dbFactory,
    MailOutbox outbox,
    LiveEvents live,
    TimeProvider time,
    ILogger<BulkReplyRunner> logger) : BackgroundService
{
    public const int ChunkSize = 500;
    private const int MaxConsecutiveFailures = 5;
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<long, int> _failures = [];

    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Holds off the runner between chunks (undo must not race a chunk that is being written).</summary>
    public async Task<IDisposable> ExclusiveAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        return new Release(_gate);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "The bulk reply runner failed a round; trying again shortly");
            }

            using var idle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            idle.CancelAfter(IdlePoll);
            try
            {
                await _wake.Reader.WaitToReadAsync(idle.Token);
                _wake.Reader.TryRead(out _);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // Idle poll: look for later joiners.
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Enrolls later joiners, then sends every running operation to the end.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await EnrollLaterJoinersAsync(cancellationToken);
        List<long> running;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            running = await db.BulkReplyOperations.AsNoTracking().Where(o => o.State == BulkReplyState.Running)
                .OrderBy(o => o.Id).Select(o => o.Id).ToListAsync(cancellationToken);
        }

        foreach (var id in running)
        {
            while (true)
            {
                int handled;
                try
                {
                    handled = await ProcessChunkAsync(id, cancellationToken);
                    _failures.Remove(id);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    var failures = _failures[id] = _failures.GetValueOrDefault(id) + 1;
                    logger.LogWarning(ex, "Bulk reply {Id}: a chunk failed ({Failures} in a row)", id, failures);
                    if (failures >= MaxConsecutiveFailures)
                    {
                        await MarkFailedAsync(id, ex.Message, cancellationToken);
                    }

                    break;
                }

                if (handled == 0)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Answers the next chunk of pending recipients; 0 when the operation is finished (or not running).</summary>
    private async Task<int> ProcessChunkAsync(long id, CancellationToken cancellationToken)
    {
        using var _ = await ExclusiveAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var operation = await db.BulkReplyOperations.SingleAsync(o => o.Id == id, cancellationToken);
        if (operation.State != BulkReplyState.Running)
        {
            return 0;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var pending = await db.BulkReplyRecipients.Where(r => r.OperationId == id && r.State == RecipientState.Pending)
            .OrderBy(r => r.Id).Take(ChunkSize).ToListAsync(cancellationToken);
        if (pending.Count == 0)
        {
            operation.State = BulkReplyState.Done;
            operation.FinishedAt = now;
            db.AuditEntries.Add(BulkReplyOperations.Audit(operation.CreatedBy, "bulkreply.finished", id,
                new { operation.Total, operation.Sent, operation.Skipped, operation.Failed }, now));
            await db.SaveChangesAsync(cancellationToken);
            live.Publish(new BulkReplyProgressed(id, operation.PatternId));
            return 0;
        }

        var pattern = await db.Patterns.AsNoTracking().SingleOrDefaultAsync(p => p.Id == operation.PatternId, cancellationToken)
            ?? new Pattern { Id = operation.PatternId, Title = $"pattern {operation.PatternId}" };
        var ids = pending.Select(r => r.TicketId).ToList();
        var tickets = await db.Tickets.Include(t => t.Customer).Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, cancellationToken);
        var actor = new BulkReplyActor(operation.CreatedBy, operation.CreatedByUserId);
        foreach (var recipient in pending)
        {
            recipient.ProcessedAt = now;
            if (!tickets.TryGetValue(recipient.TicketId, out var ticket))
            {
                recipient.State = RecipientState.Failed;
                recipient.Reason = "the ticket no longer exists";
                operation.Failed++;
                continue;
            }

            if (string.IsNullOrWhiteSpace(ticket.Customer?.Email))
            {
                recipient.State = RecipientState.Skipped;
                recipient.Reason = BulkReplyPlan.NoEmail;
                operation.Skipped++;
                continue;
            }

            var (_, subject, body) = BulkReplyOperations.Render(ticket, pattern, operation.SubjectTemplate, operation.BodyTemplate);
            var reply = new TicketMessage
            {
                TicketId = ticket.Id,
                AuthorKind = MessageAuthorKind.Agent,
                AuthorUserId = operation.CreatedByUserId,
                IsInternal = false,
                Body = body,
                CreatedAt = now,
            };
            db.TicketMessages.Add(reply);
            db.OutboundMessages.Add(outbox.Compose(ticket, ticket.Customer, reply, subject, id, now)!);
            recipient.PreviousStatus = ticket.Status;
            if (operation.StatusAfter is { } after && ticket.Status != after)
            {
                db.TicketMessages.Add(BulkReplyOperations.StatusNote(ticket, after, actor, $"bulk reply #{id}", now));
                ticket.Status = after;
            }

            ticket.UpdatedAt = now;
            recipient.State = RecipientState.Sent;
            operation.Sent++;
        }

        await db.SaveChangesAsync(cancellationToken);
        outbox.Wake();
        live.Publish(new TicketsChanged(ids));
        live.Publish(new BulkReplyProgressed(id, operation.PatternId));
        return pending.Count;
    }

    private async Task MarkFailedAsync(long id, string reason, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var operation = await db.BulkReplyOperations.SingleAsync(o => o.Id == id, cancellationToken);
        operation.State = BulkReplyState.Failed;
        operation.FailureReason = reason.Length > 500 ? reason[..500] : reason;
        operation.FinishedAt = now;
        db.AuditEntries.Add(BulkReplyOperations.Audit(operation.CreatedBy, "bulkreply.failed", id, new { Reason = operation.FailureReason }, now));
        await db.SaveChangesAsync(cancellationToken);
        _failures.Remove(id);
        live.Publish(new BulkReplyProgressed(id, operation.PatternId));
    }

    /// <summary>Operations that auto-reply: tickets triaged into their pattern since they started become recipients.</summary>
    private async Task EnrollLaterJoinersAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var auto = await db.BulkReplyOperations.Where(o => o.AutoReplyUntilResolved && o.UndoneAt == null).ToListAsync(cancellationToken);
        foreach (var operation in auto)
        {
            var now = time.GetUtcNow().UtcDateTime;
            // A merge says the two patterns are one problem: the reply follows the survivor, where the later joiners go.
            var (survivor, status) = await SurvivorAsync(db, operation.PatternId, cancellationToken);
            if (survivor != operation.PatternId)
            {
                db.AuditEntries.Add(BulkReplyOperations.Audit("system", "bulkreply.autoreply-followed-merge", operation.Id,
                    new { From = operation.PatternId, Into = survivor }, now));
                operation.PatternId = survivor;
                await db.SaveChangesAsync(cancellationToken);
            }

            if (status is null or PatternStatus.Resolved or PatternStatus.Dismissed)
            {
                operation.AutoReplyUntilResolved = false;
                db.AuditEntries.Add(BulkReplyOperations.Audit("system", "bulkreply.autoreply-ended", operation.Id, new { PatternStatus = status?.ToString() ?? "gone" }, now));
                await db.SaveChangesAsync(cancellationToken);
                continue;
            }

            var exclusions = JsonSerializer.Deserialize<BulkReplyExclusions>(operation.ExclusionsJson) ?? new();
            var plan = await BulkReplyPlan.ForPatternAsync(db, operation.PatternId, exclusions, operation.CreatedAt, cancellationToken);
            if (plan.Count == 0)
            {
                continue;
            }

            var candidates = plan.Select(p => p.TicketId).ToList();
            var known = (await db.BulkReplyRecipients.Where(r => r.OperationId == operation.Id && candidates.Contains(r.TicketId))
                .Select(r => r.TicketId).ToListAsync(cancellationToken)).ToHashSet();
            var fresh = plan.Where(p => !known.Contains(p.TicketId)).ToList();
            if (fresh.Count == 0)
            {
                continue;
            }

            db.BulkReplyRecipients.AddRange(fresh.Select(p => new BulkReplyRecipient
            {
                OperationId = operation.Id,
                TicketId = p.TicketId,
                State = p.SkipReason is null ? RecipientState.Pending : RecipientState.Skipped,
                Reason = p.SkipReason,
                ProcessedAt = p.SkipReason is null ? null : now,
            }));
            operation.Total += fresh.Count;
            operation.Skipped += fresh.Count(p => p.SkipReason is not null);
            if (fresh.Any(p => p.SkipReason is null))
            {
                operation.State = BulkReplyState.Running;
                operation.FinishedAt = null;
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex)
            {
                // The unique (operation, ticket) index refused a recipient: another runner (a second app instance on
                // the same database) enrolled it first. Exactly once holds; the next round sees what it enrolled (this
                // context's tracked operations are stale now, so the round ends here).
                logger.LogInformation(ex, "Bulk reply {Id}: later joiners were enrolled by another runner", operation.Id);
                return;
            }
        }
    }

    // Follows the merges of a pattern to the one its tickets are in now; null status when the pattern is gone.
    private static async Task<(long PatternId, PatternStatus? Status)> SurvivorAsync(TriageDbContext db, long patternId, CancellationToken cancellationToken)
    {
        var seen = new HashSet<long>();
        while (seen.Add(patternId))
        {
            var row = await db.Patterns.AsNoTracking().Where(p => p.Id == patternId)
                .Select(p => new { p.Status, p.MergedIntoId }).SingleOrDefaultAsync(cancellationToken);
            if (row?.MergedIntoId is not { } into)
            {
                return (patternId, row?.Status);
            }

            patternId = into;
        }

        return (patternId, null); // a cycle: no survivor to follow
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
