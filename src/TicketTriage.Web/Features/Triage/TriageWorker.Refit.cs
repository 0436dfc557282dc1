using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using TicketTriage.ML.Engine;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Features.Triage;

// Refitting the featurizer (IDF, latent block) as the stored tickets grow: the engine says when
// (TriageEngine.RefitDue), the fit runs in the background on the most recent stored tickets — it takes seconds to a
// minute of a core — while the worker keeps triaging, and the worker's loop switches the engine over and saves it.
internal sealed partial class TriageWorker
{
    private Task<FeaturizerFit>? _fit;
    private long _refitCheckAt;
    private long _refits;

    /// <summary>Featurizer refits applied since start (for tests and logs).</summary>
    public long Refits => Interlocked.Read(ref _refits);

    /// <summary>Texts the engine's featurizer was last fitted on (restored with the state).</summary>
    public int HistorySize => _engine?.HistorySize ?? 0;

    /// <summary>The engine's settings: its defaults (what the replay measures) with the refit cadence from configuration.</summary>
    private EngineOptions ConfiguredEngineOptions() => new()
    {
        RefitFeaturizer = _options.RefitFeaturizer,
        RefitMinTickets = _options.RefitMinTickets,
        RefitGrowth = _options.RefitGrowth,
        RefitEvery = _options.RefitEvery,
        RefitMaxHistory = _options.RefitMaxHistory,
        RefitQuietFor = _options.RefitQuietFor,
        RefitMinInterval = _options.RefitMinInterval,
    };

    /// <summary>Applies a finished fit; otherwise starts one when the engine says a refit is due (one at a time).</summary>
    private async Task RefitIfDueAsync(CancellationToken cancellationToken)
    {
        var engine = _engine!;
        if (_fit is { IsCompleted: true } finished)
        {
            _fit = null;
            await ApplyFitAsync(engine, finished, cancellationToken);
            return;
        }

        // The held-ticket count is a query: ask it once per RefitMinTickets/4 tickets triaged, not on every batch.
        if (_fit is not null || !_options.RefitFeaturizer || engine.TicketsSeen < _refitCheckAt)
        {
            return;
        }

        _refitCheckAt = engine.TicketsSeen + Math.Max(1, _options.RefitMinTickets / 4);
        long held;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            held = await db.Tickets.LongCountAsync(cancellationToken);
        }

        if (engine.RefitDue(held))
        {
            var options = engine.Options;
            _fit = Task.Run(() => FitAsync(options, CancellationToken.None), CancellationToken.None);
            _ = _fit.ContinueWith(_ => signals.FitFinished(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    private async Task ApplyFitAsync(TriageEngine engine, Task<FeaturizerFit> finished, CancellationToken cancellationToken)
    {
        FeaturizerFit fit;
        try
        {
            fit = await finished;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Refitting the featurizer failed; the current one stays and the refit is tried again later.");
            return;
        }

        var translate = engine.ApplyRefit(fit);
        Interlocked.Increment(ref _refits);
        logger.LogInformation("Featurizer refitted on {Count:N0} tickets ({FitMs:N0} ms fit in the background, {TranslateMs:N0} ms to carry the patterns over).",
            fit.HistorySize, fit.Elapsed.TotalMilliseconds, translate.TotalMilliseconds);
        // The refitted engine is what a restart must restore (from a state saved before, it would fit again).
        await SaveIfDueAsync(force: true, cancellationToken);
    }

    // The most recent stored tickets (but those of surging patterns), topped up with ordinary tickets like the first fit's history, then fitted.
    private async Task<FeaturizerFit> FitAsync(EngineOptions options, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        List<string> texts;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // Not the tickets of surging patterns: a surge is what must stand out from the history (as in the replay).
            var surging = db.Patterns.Where(p => p.Status == PatternStatus.Emerging || p.Status == PatternStatus.Confirmed).Select(p => (long?)p.Id);
            var rows = await db.Tickets.AsNoTracking().Where(t => t.PatternId == null || !surging.Contains(t.PatternId))
                .OrderByDescending(t => t.Id).Take(options.RefitMaxHistory)
                .Select(t => new { t.Subject, t.Body }).ToListAsync(cancellationToken);
            texts = [.. rows.Select(t => TriageText.Compose(t.Subject, t.Body))];
        }

        texts.Reverse(); // oldest first: FitHistory keeps the most recent when there are too many
        var history = store.TopUp(texts);
        var fit = TriageEngine.FitHistory(options, history);
        logger.LogDebug("Featurizer history of {Count:N0} texts loaded and fitted in {Ms:N0} ms.", history.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return fit;
    }
}
