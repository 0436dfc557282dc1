using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Data.Configurations;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Live;

namespace TicketTriage.Web.Features.BulkReplies;

/// <summary>What a lead (or an integrator) asks for.</summary>
public sealed record BulkReplyRequest(string? Subject, string? Body, TicketStatus? StatusAfter, BulkReplyExclusions? Exclude, bool AutoReplyUntilResolved = false);

/// <summary>Who starts or undoes an operation: a user (email, id) or an API key (<c>apikey:name</c>, no id).</summary>
public sealed record BulkReplyActor(string Name, int? UserId);

public sealed record StartedBulkReply(long Id, int Recipients, bool Created);

public sealed record PreviewMessage(long TicketId, string To, string Subject, string Body);

public sealed record BulkReplyPreview(int Tickets, int Recipients, IReadOnlyDictionary<string, int> Excluded, IReadOnlyList<PreviewMessage> Samples);

public sealed record DeliveryCounts(int Queued, int Sent, int Failed, int Cancelled);

public sealed record BulkReplySummary(long Id, long PatternId, BulkReplyState State, int Total, int Sent, int Skipped, int Failed,
    IReadOnlyDictionary<string, int> SkippedReasons, IReadOnlyDictionary<string, int> FailedReasons, DeliveryCounts Delivery,
    TicketStatus? StatusAfter, bool AutoReplyUntilResolved, string CreatedBy, DateTime CreatedAt, DateTime? FinishedAt, DateTime? UndoneAt, string? FailureReason);

public sealed record UndoResult(string? Error, int Restored, int ChangedSince, int MailsWithdrawn, int MailsAlreadySent);

/// <summary>
/// Starts, previews, reads and undoes bulk replies. Starting fixes the recipients (one row per ticket, the unique
/// (operation, ticket) index makes a second impossible) in one transaction with the operation; the
/// <see cref="BulkReplyRunner"/> then sends. A repeated start with the same idempotency key returns the first
/// operation, also when both arrive at once (the unique key index decides).
/// </summary>
public sealed class BulkReplyOperations(IDbContextFactory<TriageDbContext> dbFactory, BulkReplyRunner runner, LiveEvents live, TimeProvider time)
{
    public const int PreviewSamples = 3;

    /// <summary>Null when the request can be sent, else field → messages.</summary>
    public static Dictionary<string, string[]>? Validate(BulkReplyRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (ReplyTemplate.Check(request.Body) is { } body)
        {
            errors["body"] = [body];
        }
        else if (request.Body!.Length > Limits.Body)
        {
            errors["body"] = [$"At most {Limits.Body:N0} characters."];
        }

        if (request.Subject is { } subject && (ReplyTemplate.Check(subject) is { } error || subject.Length > Limits.Subject))
        {
            errors["subject"] = [ReplyTemplate.Check(subject) ?? $"At most {Limits.Subject} characters."];
        }

        return errors.Count == 0 ? null : errors;
    }

    public async Task<BulkReplyPreview?> PreviewAsync(long patternId, BulkReplyRequest request, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pattern = await db.Patterns.AsNoTracking().SingleOrDefaultAsync(p => p.Id == patternId, cancellationToken);
        if (pattern is null)
        {
            return null;
        }

        var plan = await BulkReplyPlan.ForPatternAsync(db, patternId, request.Exclude ?? new(), null, cancellationToken);
        var chosen = plan.Where(p => p.SkipReason is null).Select(p => p.TicketId).Take(PreviewSamples).ToList();
        var tickets = await db.Tickets.AsNoTracking().Include(t => t.Customer).Where(t => chosen.Contains(t.Id)).OrderBy(t => t.Id).ToListAsync(cancellationToken);
        var samples = ReplyTemplate.Check(request.Body) is null
            ? tickets.Select(t => Render(t, pattern, request)).Select(r => new PreviewMessage(r.Ticket.Id, r.Ticket.Customer!.Email, r.Subject, r.Body)).ToList()
            : [];
        return new BulkReplyPreview(plan.Count, plan.Count(p => p.SkipReason is null),
            plan.Where(p => p.SkipReason is not null).GroupBy(p => p.SkipReason!).ToDictionary(g => g.Key, g => g.Count()), samples);
    }

    /// <summary>Null when there is no such pattern (or it was merged away).</summary>
    public async Task<StartedBulkReply?> StartAsync(long patternId, BulkReplyRequest request, BulkReplyActor actor, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (idempotencyKey is not null && await FindByKeyAsync(idempotencyKey, cancellationToken) is { } existing)
        {
            return existing;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pattern = await db.Patterns.AsNoTracking().SingleOrDefaultAsync(p => p.Id == patternId && p.MergedIntoId == null, cancellationToken);
        if (pattern is null)
        {
            return null;
        }

        var exclusions = request.Exclude ?? new();
        var plan = await BulkReplyPlan.ForPatternAsync(db, patternId, exclusions, null, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var recipients = plan.Count(p => p.SkipReason is null);
        var operation = new BulkReplyOperation
        {
            PatternId = patternId,
            IdempotencyKey = idempotencyKey,
            SubjectTemplate = string.IsNullOrWhiteSpace(request.Subject) ? ReplyTemplate.DefaultSubject : request.Subject.Trim(),
            BodyTemplate = request.Body!.Trim(),
            StatusAfter = request.StatusAfter,
            ExclusionsJson = JsonSerializer.Serialize(exclusions),
            AutoReplyUntilResolved = request.AutoReplyUntilResolved,
            State = recipients == 0 && !request.AutoReplyUntilResolved ? BulkReplyState.Done : BulkReplyState.Running,
            Total = plan.Count,
            Skipped = plan.Count - recipients,
            CreatedBy = actor.Name,
            CreatedByUserId = actor.UserId,
            CreatedAt = now,
            FinishedAt = recipients == 0 && !request.AutoReplyUntilResolved ? now : null,
        };
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.BulkReplyOperations.Add(operation);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException) when (idempotencyKey is not null)
            {
                // The same key won a race a moment ago: that request's operation is the answer.
                await transaction.RollbackAsync(CancellationToken.None);
                return await FindByKeyAsync(idempotencyKey, cancellationToken) ?? throw new InvalidOperationException("Idempotency key conflict without an operation.");
            }

            db.BulkReplyRecipients.AddRange(plan.Select(p => new BulkReplyRecipient
            {
                OperationId = operation.Id,
                TicketId = p.TicketId,
                State = p.SkipReason is null ? RecipientState.Pending : RecipientState.Skipped,
                Reason = p.SkipReason,
                ProcessedAt = p.SkipReason is null ? null : now,
            }));
            db.AuditEntries.Add(Audit(actor.Name, "bulkreply.started", operation.Id, new
            {
                PatternId = patternId, operation.Total, Recipients = recipients, operation.Skipped, StatusAfter = request.StatusAfter?.ToString(),
                Exclusions = exclusions, operation.AutoReplyUntilResolved, operation.IdempotencyKey,
            }, now));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        runner.Wake();
        live.Publish(new BulkReplyProgressed(operation.Id, patternId));
        return new StartedBulkReply(operation.Id, recipients, true);
    }

    private async Task<StartedBulkReply?> FindByKeyAsync(string key, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await db.BulkReplyOperations.AsNoTracking().Where(o => o.IdempotencyKey == key)
            .Select(o => new { o.Id, o.Total, o.Skipped }).SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        // Recipients as first answered: those not skipped when the operation was planned.
        var planned = await db.BulkReplyRecipients.CountAsync(r => r.OperationId == found.Id && r.State != RecipientState.Skipped, cancellationToken);
        return new StartedBulkReply(found.Id, planned, false);
    }

    public async Task<BulkReplySummary?> ReadAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var o = await db.BulkReplyOperations.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (o is null)
        {
            return null;
        }

        var reasons = await db.BulkReplyRecipients.AsNoTracking()
            .Where(r => r.OperationId == id && (r.State == RecipientState.Skipped || r.State == RecipientState.Failed))
            .GroupBy(r => new { r.State, r.Reason }).Select(g => new { g.Key.State, g.Key.Reason, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var delivery = await db.OutboundMessages.AsNoTracking().Where(m => m.BulkReplyOperationId == id)
            .GroupBy(m => m.State).Select(g => new { State = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        int Count(DeliveryState s) => delivery.Where(d => d.State == s).Sum(d => d.Count);
        return new BulkReplySummary(o.Id, o.PatternId, o.State, o.Total, o.Sent, o.Skipped, o.Failed,
            reasons.Where(r => r.State == RecipientState.Skipped).ToDictionary(r => r.Reason ?? "unknown", r => r.Count),
            reasons.Where(r => r.State == RecipientState.Failed).ToDictionary(r => r.Reason ?? "unknown", r => r.Count),
            new DeliveryCounts(Count(DeliveryState.Queued), Count(DeliveryState.Sent), Count(DeliveryState.Failed), Count(DeliveryState.Cancelled)),
            o.StatusAfter, o.AutoReplyUntilResolved, o.CreatedBy, o.CreatedAt, o.FinishedAt, o.UndoneAt, o.FailureReason);
    }

    /// <summary>The pattern's operations, newest first.</summary>
    public async Task<List<long>> ForPatternAsync(long patternId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.BulkReplyOperations.AsNoTracking().Where(o => o.PatternId == patternId)
            .OrderByDescending(o => o.Id).Select(o => o.Id).Take(20).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Stops what has not been sent yet and puts back the statuses the send changed, where nobody has changed them
    /// since. Mail that has left cannot be recalled; mail still in the outbox is withdrawn.
    /// </summary>
    public async Task<UndoResult> UndoAsync(long id, BulkReplyActor actor, CancellationToken cancellationToken)
    {
        using var _ = await runner.ExclusiveAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var operation = await db.BulkReplyOperations.SingleOrDefaultAsync(o => o.Id == id, cancellationToken);
        if (operation is null)
        {
            return new UndoResult("There is no such bulk reply.", 0, 0, 0, 0);
        }

        if (operation.UndoneAt is not null)
        {
            return new UndoResult("This bulk reply was already undone.", 0, 0, 0, 0);
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var cancelled = await db.BulkReplyRecipients.Where(r => r.OperationId == id && r.State == RecipientState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, RecipientState.Skipped).SetProperty(r => r.Reason, "cancelled by undo")
                .SetProperty(r => r.ProcessedAt, now), cancellationToken);
        var withdrawn = await db.OutboundMessages.Where(m => m.BulkReplyOperationId == id && m.State == DeliveryState.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, DeliveryState.Cancelled).SetProperty(m => m.LastError, "withdrawn: the bulk reply was undone"), cancellationToken);
        var alreadySent = await db.OutboundMessages.CountAsync(m => m.BulkReplyOperationId == id && m.State == DeliveryState.Sent, cancellationToken);

        int restored = 0, changedSince = 0;
        var changedTickets = new List<long>();
        if (operation.StatusAfter is { } after)
        {
            var sent = await db.BulkReplyRecipients.AsNoTracking()
                .Where(r => r.OperationId == id && r.State == RecipientState.Sent && r.PreviousStatus != null && r.PreviousStatus != after)
                .Select(r => new { r.TicketId, r.PreviousStatus }).ToListAsync(cancellationToken);
            foreach (var chunk in sent.Chunk(500))
            {
                var ids = chunk.Select(c => c.TicketId).ToList();
                var tickets = await db.Tickets.Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, cancellationToken);
                foreach (var r in chunk)
                {
                    if (!tickets.TryGetValue(r.TicketId, out var ticket) || ticket.Status != after)
                    {
                        changedSince++;
                        continue;
                    }

                    db.TicketMessages.Add(StatusNote(ticket, r.PreviousStatus!.Value, actor, $"undo of bulk reply #{id}", now));
                    ticket.Status = r.PreviousStatus!.Value;
                    ticket.UpdatedAt = now;
                    restored++;
                    changedTickets.Add(ticket.Id);
                }

                await db.SaveChangesAsync(cancellationToken);
            }
        }

        operation.Skipped += cancelled;
        operation.UndoneAt = now;
        operation.UndoneBy = actor.Name;
        operation.AutoReplyUntilResolved = false;
        if (operation.State == BulkReplyState.Running)
        {
            operation.State = BulkReplyState.Done;
            operation.FinishedAt = now;
        }

        db.AuditEntries.Add(Audit(actor.Name, "bulkreply.undone", id, new { Restored = restored, ChangedSince = changedSince, Cancelled = cancelled, MailsWithdrawn = withdrawn, MailsAlreadySent = alreadySent }, now));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        live.Publish(new BulkReplyProgressed(id, operation.PatternId));
        if (changedTickets.Count > 0)
        {
            live.Publish(new TicketsChanged(changedTickets));
        }

        return new UndoResult(null, restored, changedSince, withdrawn, alreadySent);
    }

    internal static (Ticket Ticket, string Subject, string Body) Render(Ticket ticket, Pattern pattern, BulkReplyRequest request) =>
        Render(ticket, pattern, string.IsNullOrWhiteSpace(request.Subject) ? ReplyTemplate.DefaultSubject : request.Subject, request.Body ?? "");

    internal static (Ticket Ticket, string Subject, string Body) Render(Ticket ticket, Pattern pattern, string subjectTemplate, string bodyTemplate)
    {
        var c = ticket.Customer;
        var values = new TemplateValues(c?.Name, c?.Username, c?.Email, c?.Server, ticket.Id, ticket.Subject, pattern.Title);
        return (ticket, ReplyTemplate.OneLine(ReplyTemplate.Render(subjectTemplate, values)), ReplyTemplate.Render(bodyTemplate, values).Trim());
    }

    internal static TicketMessage StatusNote(Ticket ticket, TicketStatus to, BulkReplyActor actor, string why, DateTime now) => new()
    {
        TicketId = ticket.Id,
        AuthorKind = MessageAuthorKind.System,
        AuthorUserId = actor.UserId,
        IsInternal = true,
        Body = $"Status changed from {ticket.Status} to {to} by {actor.Name} ({why}).",
        CreatedAt = now,
    };

    internal static AuditEntry Audit(string actor, string action, long operationId, object details, DateTime now) => new()
    {
        At = now,
        Actor = actor,
        Action = action,
        Target = $"bulkreply:{operationId}",
        DetailsJson = JsonSerializer.Serialize(details),
    };
}
