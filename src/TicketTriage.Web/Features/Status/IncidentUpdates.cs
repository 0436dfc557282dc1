using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Data.Configurations;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.BulkReplies;
using TicketTriage.Web.Features.Live;

namespace TicketTriage.Web.Features.Status;

/// <summary>What a lead writes on <c>/patterns/{id}/incident</c>.</summary>
public sealed record IncidentUpdateRequest(string? Title, IncidentState State, string? Body, string? Components, bool AlsoMailCustomers, TicketStatus? StatusAfter);

public sealed record IncidentUpdatePosted(string? Error, long? UpdateId = null, long? BulkReplyId = null);

/// <summary>
/// Posts incident updates. An update makes the pattern a confirmed incident (a resolved one when its state is
/// Resolved), shows on the status page at once, and, when asked, goes to the pattern's customers as a bulk reply.
/// </summary>
public sealed class IncidentUpdates(IDbContextFactory<TriageDbContext> dbFactory, BulkReplyOperations bulkReplies, StatusPageCache statusPage,
    LiveEvents live, TimeProvider time)
{
    public async Task<List<IncidentUpdate>> ForPatternAsync(long patternId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.IncidentUpdates.AsNoTracking().Where(u => u.PatternId == patternId)
            .OrderByDescending(u => u.CreatedAt).ThenByDescending(u => u.Id).ToListAsync(cancellationToken);
    }

    public async Task<IncidentUpdatePosted> PostAsync(long patternId, IncidentUpdateRequest request, BulkReplyActor actor, string idempotencyKey, CancellationToken cancellationToken)
    {
        var title = request.Title?.Trim() ?? "";
        var body = request.Body?.Trim() ?? "";
        if (title.Length == 0 || body.Length == 0)
        {
            return new("Give the incident a public title and write the update.");
        }

        if (title.Length > Limits.Subject || body.Length > Limits.Body || (request.Components?.Length ?? 0) > Limits.Subject)
        {
            return new($"The title holds at most {Limits.Subject} characters, the update {Limits.Body:N0}, the components {Limits.Subject}.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pattern = await db.Patterns.SingleOrDefaultAsync(p => p.Id == patternId && p.MergedIntoId == null, cancellationToken);
        if (pattern is null)
        {
            return new("There is no such pattern.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var update = new IncidentUpdate
        {
            PatternId = patternId,
            Title = title,
            State = request.State,
            Body = body,
            Components = string.IsNullOrWhiteSpace(request.Components) ? null : request.Components.Trim(),
            CreatedBy = actor.Name,
            CreatedAt = now,
        };
        db.IncidentUpdates.Add(update);
        var status = request.State == IncidentState.Resolved ? PatternStatus.Resolved : PatternStatus.Confirmed;
        if (pattern.Status != status)
        {
            db.AuditEntries.Add(new AuditEntry { At = now, Actor = actor.Name, Action = "pattern.status", Target = $"pattern:{patternId}", DetailsJson = $"{{\"from\":\"{pattern.Status}\",\"to\":\"{status}\",\"by\":\"incident update\"}}" });
            pattern.Status = status;
            pattern.UpdatedAt = now;
        }

        db.AuditEntries.Add(new AuditEntry { At = now, Actor = actor.Name, Action = "incident.updated", Target = $"pattern:{patternId}", DetailsJson = $"{{\"state\":\"{request.State}\"}}" });
        await db.SaveChangesAsync(cancellationToken);
        statusPage.Invalidate();
        live.Publish(new PatternsChanged([patternId]));

        if (!request.AlsoMailCustomers)
        {
            return new(null, update.Id);
        }

        var mail = new BulkReplyRequest($"{ReplyTemplate.OneLine(title).Replace("{", "(", StringComparison.Ordinal).Replace("}", ")", StringComparison.Ordinal)}: {request.State} [#{{{{ticket.number}}}}]",
            "Hello {{customer.name}},\n\n" + body + "\n\nWe post every update at /status.", request.StatusAfter, new BulkReplyExclusions { Answered = false, WroteAgain = false });
        var started = await bulkReplies.StartAsync(patternId, mail, actor, idempotencyKey, cancellationToken);
        if (started is not null)
        {
            update.BulkReplyOperationId = started.Id;
            db.IncidentUpdates.Update(update);
            await db.SaveChangesAsync(cancellationToken);
        }

        return new(null, update.Id, started?.Id);
    }
}
