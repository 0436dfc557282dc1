using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TicketTriage.ML.Engine;
using TicketTriage.ML.Signals;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Changes;
using TicketTriage.Web.Features.Live;
using TicketTriage.Web.Features.Similar;
using TicketTriage.Web.Features.Patterns;
using LivePatternEmerging = TicketTriage.Web.Features.Live.PatternEmerging;

namespace TicketTriage.Web.Features.Triage;

// What the engine learns besides tickets — changes, lead actions, signals of flagged patterns — and writing what they changed.
internal sealed partial class TriageWorker
{
    private async Task ApplySignalsAsync(CancellationToken cancellationToken)
    {
        if (signals.TakeModelChanged())
        {
            _engine!.SetClassifier(classifiers.Current);
            logger.LogInformation("Triage uses the reloaded category model from {Path}.", classifiers.Path);
        }

        var changeIds = signals.TakeChanges();
        if (changeIds.Count == 0)
        {
            return;
        }

        await FlushAsync(); // its write must not race the batch being written

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Changes.AsNoTracking().Where(c => changeIds.Contains(c.Id)).ToListAsync(cancellationToken);
        // A change can explain a pattern that already exists: write what it changed. (Changes are fed again from
        // the database at start-up, so a crash here loses nothing.)
        await WriteChangeEventsAsync(db, [.. rows.SelectMany(AddChange)]);
    }

    private async Task WriteChangeEventsAsync(TriageDbContext db, IReadOnlyList<EngineEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        var batch = new TriageBatch(_engine!, _changes, time.GetUtcNow().UtcDateTime);
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        await batch.WriteAsync(db, [], events, NextStamp(), CancellationToken.None);
        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        Publish(batch);
    }

    /// <summary>
    /// Lead actions (merge, split, move, verdicts) between batches, each written in its own transaction and followed
    /// by a save of the engine's state: a restart never loses a lead's decision that the page reported done.
    /// </summary>
    private async Task ApplyLeadActionsAsync(CancellationToken cancellationToken)
    {
        signals.TakeLeadAction();
        while (leadActions.TryTake(out var pending))
        {
            try
            {
                await FlushAsync();
                _dirty = true; // the engine may change before the write commits
                var result = await leadActionWriter.ApplyAsync(pending.Action, _engine, _changes, NextStamp(), CancellationToken.None);
                _dirty = false;
                if (result.Ok)
                {
                    await SaveIfDueAsync(force: true, cancellationToken);
                }

                pending.Done.TrySetResult(result);
            }
            catch (Exception e)
            {
                pending.Done.TrySetException(e);
                throw;
            }
        }
    }

    private IReadOnlyList<EngineEvent> AddChange(Change change)
    {
        _changes[change.Id] = change;
        return _engine!.AddChange(new ChangeEvent(EngineTickets.Invariant(change.Id), change.Name, change.Kind,
            new DateTimeOffset(change.StartAt), change.EndAt is { } end ? new DateTimeOffset(end) : null, ChangeStore.Targets(change))
        {
            Series = change.Series,
        });
    }
}
