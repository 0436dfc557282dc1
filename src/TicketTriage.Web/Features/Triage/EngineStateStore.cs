using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TicketTriage.ML.Classification;
using TicketTriage.ML.Engine;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Features.Triage;

/// <summary>
/// The engine's state in the database (one blob row). Saved only after the batches it includes have committed, with
/// the TriagedAt stamp of the last of them; the worker re-feeds tickets triaged after that stamp on start-up.
/// </summary>
internal sealed class EngineStateStore(
    IDbContextFactory<TriageDbContext> dbFactory,
    TimeProvider time,
    IOptions<TriageOptions> options,
    IHostEnvironment environment,
    ILogger<EngineStateStore> logger)
{
    private readonly HistoryCorpus _corpus = new(options.Value, environment.ContentRootPath, logger);

    public sealed record Restored(TriageEngine Engine, bool FromState, DateTime? CoversTriagedThrough);

    public async Task<Restored> LoadOrCreateAsync(EngineOptions options, ITextClassifier? classifier, int historyTickets, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.TriageStates.AsNoTracking().SingleOrDefaultAsync(s => s.Id == TriageState.EngineKey, cancellationToken);
        if (row is not null)
        {
            using var stream = new MemoryStream(row.Data, writable: false);
            return new Restored(TriageEngine.Load(stream, options, classifier), true, row.CoversTriagedThrough);
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
        using var stream = new MemoryStream();
        engine.Save(stream);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.TriageStates.SingleOrDefaultAsync(s => s.Id == TriageState.EngineKey, cancellationToken);
        if (row is null)
        {
            row = new TriageState();
            db.TriageStates.Add(row);
        }

        row.Data = stream.ToArray();
        row.SavedAt = time.GetUtcNow().UtcDateTime;
        row.CoversTriagedThrough = coversTriagedThrough;
        row.TicketsSeen = engine.TicketsSeen;
        row.Clock = clock;
        await db.SaveChangesAsync(cancellationToken);
    }
}
