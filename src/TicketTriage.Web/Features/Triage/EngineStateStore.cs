using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TicketTriage.ML.Classification;
using TicketTriage.ML.Engine;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Features.Triage;

/// <summary>
/// The engine's state in the database: two blob rows, the state and the featurizer it names. Saved only after the
/// batches it includes have committed, with the TriagedAt stamp of the last of them; the worker re-feeds tickets
/// triaged after that stamp on start-up.
/// </summary>
internal sealed class EngineStateStore(
    IDbContextFactory<TriageDbContext> dbFactory,
    TimeProvider time,
    IOptions<TriageOptions> options,
    IHostEnvironment environment,
    ILogger<EngineStateStore> logger)
{
    private readonly HistoryCorpus _corpus = new(options.Value, environment.ContentRootPath, logger);

    // The featurizer generation stored beside the state, as far as this process knows; null: write it at the next save.
    private long? _featurizerSaved;

    // The last state's size: the next one is about as large, and a stream sized for it is not regrown and copied.
    private long _lastStateBytes;

    public sealed record Restored(TriageEngine Engine, bool FromState, DateTime? CoversTriagedThrough);

    public async Task<Restored> LoadOrCreateAsync(EngineOptions options, ITextClassifier? classifier, int historyTickets, CancellationToken cancellationToken)
    {
        _featurizerSaved = null; // the first save after a start writes the featurizer too
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.TriageStates.AsNoTracking().SingleOrDefaultAsync(s => s.Id == TriageState.EngineKey, cancellationToken);
        if (row is not null)
        {
            var featurizer = await db.TriageStates.AsNoTracking().Where(s => s.Id == TriageState.FeaturizerKey)
                .Select(s => s.Data).SingleOrDefaultAsync(cancellationToken);
            using var stream = new MemoryStream(row.Data, writable: false);
            using var featurizerStream = featurizer is null ? null : new MemoryStream(featurizer, writable: false);
            return new Restored(TriageEngine.Load(stream, options, classifier, featurizerStream), true, row.CoversTriagedThrough);
        }

        // No state: fit the featurizer on what the app already holds (demo data on a new install, or everything
        // stored before triage existed), newest first, topped up with ordinary tickets when that is little.
        var texts = await db.Tickets.AsNoTracking().OrderByDescending(t => t.Id).Take(historyTickets)
            .Select(t => new { t.Subject, t.Body }).ToListAsync(cancellationToken);
        var history = _corpus.TopUp([.. texts.Select(t => TriageText.Compose(t.Subject, t.Body))]);
        return new Restored(TriageEngine.Create(options, history, classifier), false, null);
    }

    /// <summary>A refit's history: <paramref name="stored"/> topped up with ordinary tickets as the first fit's is.</summary>
    public IReadOnlyList<string> TopUp(IReadOnlyList<string> stored) => _corpus.TopUp(stored);

    public async Task SaveAsync(TriageEngine engine, DateTime? coversTriagedThrough, DateTime? clock, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var rows = Serialize(engine, coversTriagedThrough, clock);

        // Written without reading the old blobs back (tens of MB each): only which rows exist is asked. Both rows
        // commit together, so a stored state never names a featurizer that is not stored.
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToList();
        var existing = await db.TriageStates.Where(s => ids.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            if (existing.Contains(row.Id))
            {
                db.TriageStates.Update(row);
            }
            else
            {
                db.TriageStates.Add(row);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        _featurizerSaved = engine.FeaturizerGeneration;
        logger.LogDebug("Engine state saved: {Rows} ({Bytes:N0} bytes) in {Elapsed:N0} ms.", string.Join(" + ", ids),
            rows.Sum(r => (long)r.Data.Length), time.GetElapsedTime(started).TotalMilliseconds);
    }

    // The state, and the featurizer when it is not the one already stored (the first save since the start, or a
    // refit): it is most of the bytes and changes only at a refit (docs/benchmarks.md "State saves stall the worker").
    private List<TriageState> Serialize(TriageEngine engine, DateTime? coversTriagedThrough, DateTime? clock)
    {
        var rows = new List<TriageState>(2);
        var savedAt = time.GetUtcNow().UtcDateTime;
        if (_featurizerSaved != engine.FeaturizerGeneration)
        {
            using var featurizer = new MemoryStream();
            engine.SaveFeaturizer(featurizer);
            rows.Add(new TriageState
            {
                Id = TriageState.FeaturizerKey, Data = featurizer.ToArray(), SavedAt = savedAt, TicketsSeen = engine.TicketsSeen,
            });
        }

        using var state = new MemoryStream((int)Math.Min(Array.MaxLength, _lastStateBytes * 9L / 8));
        engine.Save(state, featurizerApart: true);
        _lastStateBytes = state.Length;
        rows.Add(new TriageState
        {
            Id = TriageState.EngineKey, Data = state.ToArray(), SavedAt = savedAt, CoversTriagedThrough = coversTriagedThrough,
            TicketsSeen = engine.TicketsSeen, Clock = clock,
        });
        return rows;
    }
}
