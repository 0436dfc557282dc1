using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TicketTriage.ML.Engine;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Live;
using TicketTriage.Web.Features.Triage;

namespace TicketTriage.Web.Features.Patterns;

/// <summary>
/// Applies one lead action: to the engine when there is one (on the triage worker's loop), then to the database in
/// one transaction with its audit entry, then tells live pages. With an engine, the patterns it touched are written
/// exactly as a triage batch writes them (<see cref="TriageBatch"/>), so sizes, titles, signals and the priorities of
/// their open tickets follow the engine; without one, the rows are adjusted by counting.
/// </summary>
public sealed class PatternActionWriter(IDbContextFactory<TriageDbContext> dbFactory, LiveEvents live, TimeProvider time)
{
    internal async Task<PatternActionResult> ApplyAsync(
        PatternAction action, TriageEngine? engine, IReadOnlyDictionary<long, Change>? changes, DateTime? stamp, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pattern = await db.Patterns.FindAsync([action.PatternId], cancellationToken);
        if (pattern is null)
        {
            return PatternActionResult.Fail($"Pattern #{action.PatternId} does not exist.");
        }

        if (pattern.MergedIntoId is { } survivor)
        {
            return PatternActionResult.Fail($"Pattern #{pattern.Id} was merged into #{survivor}; act on that one.");
        }

        Pattern? into = null;
        if (action.IntoId is { } intoId && action.Kind is PatternActionKind.Merge or PatternActionKind.Move)
        {
            into = await db.Patterns.FindAsync([intoId], cancellationToken);
            if (into is null || into.MergedIntoId is not null)
            {
                return PatternActionResult.Fail($"Pattern #{intoId} does not exist or was merged away.");
            }
        }

        List<Ticket> tickets = [];
        if (action.Kind is PatternActionKind.Split or PatternActionKind.Move)
        {
            var ids = action.TicketIds!.Distinct().ToList();
            tickets = await db.Tickets.Include(t => t.Customer).Where(t => ids.Contains(t.Id) && t.PatternId == pattern.Id).ToListAsync(cancellationToken);
            if (tickets.Count != ids.Count)
            {
                return PatternActionResult.Fail($"{ids.Count - tickets.Count} of the selected tickets are no longer in pattern #{pattern.Id}.");
            }

            if (action.Kind == PatternActionKind.Split && tickets.Count == pattern.Size)
            {
                return PatternActionResult.Fail("Splitting out every ticket would leave the pattern empty; rename it instead.");
            }
        }

        var fed = engine is not null && engine.Knows(pattern.Id) && (into is null || engine.Knows(into.Id)) ? engine : null;
        var batch = fed is null ? null : new TriageBatch(fed, changes ?? new Dictionary<long, Change>(), now);
        IReadOnlyList<EngineEvent> events = [];
        var target = pattern.Id;
        var changedTickets = new HashSet<long>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        switch (action.Kind)
        {
            case PatternActionKind.Rename:
                pattern.LeadTitle = string.IsNullOrWhiteSpace(action.Title) ? null : action.Title.Trim();
                break;
            case PatternActionKind.Confirm or PatternActionKind.Dismiss or PatternActionKind.Resolve:
                pattern.Status = action.Kind switch
                {
                    PatternActionKind.Confirm => PatternStatus.Confirmed,
                    PatternActionKind.Dismiss => PatternStatus.Dismissed,
                    _ => PatternStatus.Resolved,
                };
                events = fed?.SetVerdict((int)pattern.Id, action.Kind switch
                {
                    PatternActionKind.Confirm => PatternVerdict.Confirmed,
                    PatternActionKind.Dismiss => PatternVerdict.Dismissed,
                    _ => PatternVerdict.Resolved,
                }) ?? [];
                break;
            case PatternActionKind.Merge:
                target = into!.Id;
                // A person's verdict on either survives the merge.
                if (into.Status is PatternStatus.New or PatternStatus.Emerging && pattern.Status is PatternStatus.Confirmed)
                {
                    into.Status = pattern.Status;
                }

                if (fed is not null)
                {
                    events = fed.MergePatterns((int)pattern.Id, (int)into.Id, new DateTimeOffset(now));
                }
                else
                {
                    await db.Tickets.Where(t => t.PatternId == pattern.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.PatternId, into.Id), cancellationToken);
                    into.Size += pattern.Size;
                    into.FirstSeen = into.FirstSeen < pattern.FirstSeen ? into.FirstSeen : pattern.FirstSeen;
                    into.LastSeen = into.LastSeen > pattern.LastSeen ? into.LastSeen : pattern.LastSeen;
                    pattern.MergedIntoId = into.Id;
                    pattern.UpdatedAt = into.UpdatedAt = now;
                }

                break;
            case PatternActionKind.Split or PatternActionKind.Move:
                if (fed is not null)
                {
                    (var moved, events) = fed.MoveTickets((int)pattern.Id, into is null ? null : (int)into.Id, [.. tickets.Select(EngineTickets.From)]);
                    target = moved;
                }
                else
                {
                    target = into?.Id ?? (await db.Patterns.MaxAsync(p => (long?)p.Id, cancellationToken) ?? 0) + 1;
                    CountMove(db, pattern, into, target, tickets, now);
                }

                foreach (var ticket in tickets)
                {
                    ticket.PatternId = target;
                    ticket.PatternSimilarity = null; // measured against the old centroid: no longer meaningful
                    changedTickets.Add(ticket.Id);
                }

                // Written before the batch recomputes the priorities of the patterns' open tickets.
                await db.SaveChangesAsync(cancellationToken);
                break;
        }

        pattern.UpdatedAt = now;
        if (batch is not null)
        {
            await batch.WriteAsync(db, [], events, stamp ?? now, cancellationToken);
        }

        db.AuditEntries.Add(Audit(action, pattern, target, tickets, now));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var changedPatterns = new HashSet<long> { pattern.Id, target };
        changedPatterns.UnionWith(batch?.ChangedPatterns ?? []);
        changedTickets.UnionWith(batch?.ChangedTickets ?? []);
        live.Publish(new PatternsChanged([.. changedPatterns]));
        if (changedTickets.Count > 0)
        {
            live.Publish(new TicketsChanged([.. changedTickets]));
        }

        return new PatternActionResult(true, Done(action, pattern, target, tickets.Count), target);
    }

    // Without an engine: a new pattern row for a split, sizes and times by counting.
    private static void CountMove(TriageDbContext db, Pattern from, Pattern? into, long target, List<Ticket> tickets, DateTime now)
    {
        if (into is null)
        {
            into = new Pattern
            {
                Id = target,
                Title = $"split from #{from.Id}",
                Status = PatternStatus.New,
                FirstSeen = tickets.Min(t => t.CreatedAt),
                LastSeen = tickets.Max(t => t.CreatedAt),
                UpdatedAt = now,
            };
            db.Patterns.Add(into);
        }

        into.Size += tickets.Count;
        from.Size = Math.Max(0, from.Size - tickets.Count);
        into.UpdatedAt = now;
    }

    private static AuditEntry Audit(PatternAction action, Pattern pattern, long target, List<Ticket> tickets, DateTime now)
    {
        var details = new Dictionary<string, object?>();
        switch (action.Kind)
        {
            case PatternActionKind.Rename:
                details["title"] = pattern.LeadTitle;
                break;
            case PatternActionKind.Merge:
                details["into"] = target;
                break;
            case PatternActionKind.Split or PatternActionKind.Move:
                details["into"] = target;
                details["tickets"] = tickets.Select(t => t.Id).Order().ToList();
                break;
        }

        return new AuditEntry
        {
            At = now,
            Actor = action.Actor,
            Action = "pattern." + action.Kind switch
            {
                PatternActionKind.Confirm => "confirmed",
                PatternActionKind.Rename => "renamed",
                PatternActionKind.Dismiss => "dismissed",
                PatternActionKind.Resolve => "resolved",
                PatternActionKind.Merge => "merged",
                PatternActionKind.Split => "split",
                _ => "tickets_moved",
            },
            Target = "pattern:" + pattern.Id.ToString(CultureInfo.InvariantCulture),
            DetailsJson = JsonSerializer.Serialize(details),
        };
    }

    private static string Done(PatternAction action, Pattern pattern, long target, int tickets) => action.Kind switch
    {
        PatternActionKind.Confirm => $"Pattern #{pattern.Id} confirmed as an incident.",
        PatternActionKind.Rename => $"Pattern #{pattern.Id} renamed.",
        PatternActionKind.Dismiss => $"Pattern #{pattern.Id} dismissed: it will not be flagged again.",
        PatternActionKind.Resolve => $"Pattern #{pattern.Id} resolved.",
        PatternActionKind.Merge => $"Pattern #{pattern.Id} merged into #{target}.",
        PatternActionKind.Split => $"{tickets} ticket(s) split out into pattern #{target}.",
        _ => $"{tickets} ticket(s) moved to pattern #{target}.",
    };
}
