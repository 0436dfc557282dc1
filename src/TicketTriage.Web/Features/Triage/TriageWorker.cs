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

/// <summary>
/// Triages every stored ticket, once, in arrival order. At start-up: restore the engine (or fit a new one on the
/// stored tickets), feed it the known changes, re-feed tickets triaged after the saved state, then triage everything
/// still untriaged. Then: batches of committed ids from <see cref="TriageSignals"/>, a catch-up scan when ids were
/// dropped (and every <see cref="TriageOptions.CatchUpInterval"/>), state saved every
/// <see cref="TriageOptions.SaveInterval"/> and on shutdown. The engine is not thread-safe: only this loop uses it.
/// </summary>
/// <remarks>
/// Crash safety: a batch's ticket fields and patterns commit in one transaction; the state is saved afterwards with
/// the stamp of the last batch it includes. A crash between the two leaves tickets whose TriagedAt is after the saved
/// stamp: the restored engine has not seen them, so they are fed to it again (and rewritten) — never counted twice,
/// never lost. Stamps only grow (<see cref="NextStamp"/>), so "after the stamp" is exact.
/// </remarks>
internal sealed partial class TriageWorker(
    IDbContextFactory<TriageDbContext> dbFactory,
    TriageSignals signals,
    ClassifierSource classifiers,
    EngineStateStore store,
    LiveEvents live,
    SimilarTicketSearch similar,
    PatternActionQueue leadActions,
    PatternActionWriter leadActionWriter,
    TimeProvider time,
    IOptions<TriageOptions> options,
    ILogger<TriageWorker> logger) : BackgroundService
{
    private readonly TriageOptions _options = options.Value;
    private readonly Dictionary<long, Change> _changes = [];
    private TriageEngine? _engine;
    private DateTime _lastStamp;
    private DateTime? _unsavedThrough;
    private DateTime? _savedThrough;
    private DateTime? _clock;
    private long _lastSave;
    private long _triaged;

    // Set while the engine holds tickets whose batch has not committed: such a state must never be saved (those
    // tickets would be counted again when re-fed), and after a failed write the engine is restored instead.
    private bool _dirty;

    // The last batch's write, still running while the next batch is loaded and triaged (one at a time, in order),
    // and the ids it writes: until it commits they still look untriaged, so a load must not take them again.
    private Task _write = Task.CompletedTask;
    private HashSet<long> _writing = [];

    /// <summary>Tickets triaged since start (for benchmarks and logs).</summary>
    public long Triaged => Interlocked.Read(ref _triaged);

    /// <summary>True once start-up (restore, re-feed, first catch-up) is done.</summary>
    public bool Ready { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await StartUpAsync(stoppingToken);
            Ready = true;
            var catchUpDue = time.GetTimestamp();
            while (!stoppingToken.IsCancellationRequested)
            {
                if (_dirty)
                {
                    // A batch failed after the engine saw its tickets: start over from the saved state.
                    await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
                    await StartUpAsync(stoppingToken);
                }

                await signals.WaitAsync(_options.CatchUpInterval, stoppingToken);
                await ApplySignalsAsync(stoppingToken);
                await ApplyLeadActionsAsync(stoppingToken);
                if (signals.TakeCatchUp() || time.GetElapsedTime(catchUpDue) >= _options.CatchUpInterval)
                {
                    await CatchUpAsync(stoppingToken);
                    catchUpDue = time.GetTimestamp();
                }

                while (signals.TakeTickets(_options.BatchSize) is { Count: > 0 } ids)
                {
                    await TriageAsync(db => db.Tickets.Where(t => ids.Contains(t.Id) && t.TriagedAt == null), stoppingToken);
                    await ApplySignalsAsync(stoppingToken);
                    await ApplyLeadActionsAsync(stoppingToken);
                    await RefitIfDueAsync(stoppingToken);
                }

                await RefitIfDueAsync(stoppingToken);

                await SaveIfDueAsync(force: false, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (_dirty && !stoppingToken.IsCancellationRequested)
        {
            logger.LogError(e, "A triage batch failed; the engine is restored from its saved state and the batch retried.");
            await ExecuteAsync(stoppingToken);
        }
        catch (Exception e)
        {
            logger.LogCritical(e, "The triage worker stopped; tickets will stay untriaged until the app restarts.");
            throw;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await FlushAsync(); // the last batch's write was not cancelled: let it commit before the state is saved
        }
        catch (Exception e)
        {
            // FlushAsync marked the engine dirty: the state is not saved, the next start re-triages those tickets.
            logger.LogWarning(e, "The last triage batch failed to write; its tickets are triaged again at the next start.");
        }

        // A loop still running (the shutdown timeout cut the wait short) may be inside a batch: saving the engine now
        // would race it. The last saved state stays, as after a failed save.
        if (_engine is not null && !_dirty && _unsavedThrough is not null && ExecuteTask is { IsCompleted: true })
        {
            try
            {
                await SaveIfDueAsync(force: true, cancellationToken);
            }
            catch (Exception e)
            {
                // Cut short by the shutdown timeout or failed: the last saved state stays, and the next start re-feeds
                // the tickets triaged since. A stop that throws would only hide the other services' stops.
                logger.LogWarning(e, "The triage state was not saved at shutdown; the next start re-feeds the tickets triaged since the last save.");
            }
        }
    }

    private async Task StartUpAsync(CancellationToken cancellationToken)
    {
        _dirty = false;
        _unsavedThrough = null;
        var restored = await store.LoadOrCreateAsync(ConfiguredEngineOptions(), classifiers.Current, _options.HistoryTickets, cancellationToken);
        _engine = restored.Engine;
        _savedThrough = restored.CoversTriagedThrough;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            _lastStamp = await db.Tickets.MaxAsync(t => t.TriagedAt, cancellationToken) ?? DateTime.MinValue;
            // Changes the saved state already holds are no-ops; one stored after the last save can re-link patterns
            // the re-feed below never touches, so what it changed is written like any change's.
            var rows = await db.Changes.AsNoTracking().OrderBy(c => c.StartAt).ThenBy(c => c.Id).ToListAsync(cancellationToken);
            await WriteChangeEventsAsync(db, [.. rows.SelectMany(AddChange)]);
        }

        // Triaged after the saved state (the app stopped before the next save), or triaged at all when there is
        // no state (it stopped before its first save): the engine has not seen them.
        var since = restored.FromState ? restored.CoversTriagedThrough ?? DateTime.MinValue : DateTime.MinValue;
        List<long> ids;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            ids = await db.Tickets.Where(t => t.TriagedAt > since).OrderBy(t => t.TriagedAt).ThenBy(t => t.ReceivedAt).ThenBy(t => t.Id)
                .Select(t => t.Id).ToListAsync(cancellationToken);
        }

        if (ids.Count > 0)
        {
            logger.LogInformation("Re-feeding {Count} tickets triaged after the saved engine state.", ids.Count);
        }

        foreach (var chunk in ids.Chunk(_options.BatchSize))
        {
            await TriageAsync(db => db.Tickets.Include(t => t.Customer).Where(t => chunk.Contains(t.Id)), cancellationToken);
        }

        await CatchUpAsync(cancellationToken);
        await SaveIfDueAsync(force: true, cancellationToken);
        logger.LogInformation("Triage ready: engine {Source}, {Seen:N0} tickets seen, category model {Model}.",
            restored.FromState ? "restored" : "fitted on stored tickets", _engine.TicketsSeen, classifiers.Current is null ? "none" : classifiers.Path);
    }

    /// <summary>Every untriaged ticket, oldest arrival first (the partial index holds only these).</summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        // Not those of the batch still being written (read when the query is built, before that write can finish).
        while (await TriageAsync(db => db.Tickets.Where(t => t.TriagedAt == null && !_writing.Contains(t.Id))
                   .OrderBy(t => t.ReceivedAt).ThenBy(t => t.Id).Take(_options.BatchSize), cancellationToken) > 0)
        {
            await ApplySignalsAsync(cancellationToken);
            await RefitIfDueAsync(cancellationToken);
            await SaveIfDueAsync(force: false, cancellationToken);
        }
    }

    /// <summary>
    /// Triages one batch in three steps: load (untracked) and prepare every ticket on all cores (featurize, classify:
    /// no engine state), then the engine in arrival order, then the write — started, not awaited, so it runs while
    /// the next batch is loaded and triaged. The results are those of one ticket after another.
    /// </summary>
    private async Task<int> TriageAsync(Func<TriageDbContext, IQueryable<Ticket>> select, CancellationToken cancellationToken)
    {
        var engine = _engine!;
        var writing = _writing;
        List<TriageTicket> tickets;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            tickets = await TriageTicket.Project(select(db)).ToListAsync(cancellationToken);
        }

        // Loaded while the previous batch was being written: its tickets may still look untriaged.
        tickets.RemoveAll(t => writing.Contains(t.Id));
        if (tickets.Count == 0)
        {
            return 0;
        }

        // Loaded by id (channel, re-feed) they come in any order: the engine wants arrival order.
        tickets.Sort((a, b) => a.ReceivedAt != b.ReceivedAt ? a.ReceivedAt.CompareTo(b.ReceivedAt) : a.Id.CompareTo(b.Id));
        var prepared = new PreparedTicket[tickets.Count];
        Parallel.For(0, tickets.Count, new ParallelOptions { CancellationToken = cancellationToken },
            i => prepared[i] = engine.Prepare(EngineTickets.From(tickets[i])));

        var results = new List<(TriageTicket, TriageOutcome)>(tickets.Count);
        _dirty = true;
        for (var i = 0; i < tickets.Count; i++)
        {
            results.Add((tickets[i], engine.Triage(prepared[i])));
            var at = prepared[i].Ticket.Time.UtcDateTime;
            if (_clock is null || at > _clock)
            {
                _clock = at;
            }
        }

        // Not cancelled: once the engine has seen the tickets, the batch is written (shutdown waits for it).
        var batch = new TriageBatch(engine, _changes, time.GetUtcNow().UtcDateTime);
        batch.Plan(results, []);
        var previous = _write;
        _write = Task.CompletedTask;
        await previous; // one write at a time, in order (a failure surfaces here, the engine dirty)
        _writing = [.. tickets.Select(t => t.Id)];
        _write = Task.Run(() => WriteAsync(batch, tickets), CancellationToken.None);
        _dirty = false; // the rest is the write's: a failure surfaces where it is awaited (FlushAsync, the next batch)
        return tickets.Count;
    }

    private async Task WriteAsync(TriageBatch batch, List<TriageTicket> tickets)
    {
        var stamp = NextStamp();
        await using (var db = await dbFactory.CreateDbContextAsync(CancellationToken.None))
        await using (var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None))
        {
            await batch.WriteAsync(db, stamp, CancellationToken.None);
            await db.SaveChangesAsync(CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }

        _unsavedThrough = stamp;
        Interlocked.Add(ref _triaged, tickets.Count);
        foreach (var ticket in tickets)
        {
            similar.Offer(ticket.Id, ticket.Subject, ticket.Body);
        }

        Publish(batch);
    }

    /// <summary>Waits for the batch being written: afterwards the database holds everything the engine has seen.</summary>
    private async Task FlushAsync()
    {
        var pending = _write;
        _write = Task.CompletedTask; // a failed write is reported once; the engine is then restored
        try
        {
            await pending;
        }
        catch
        {
            _dirty = true; // the engine has seen tickets the database does not hold
            _writing = []; // rolled back: they are untriaged again, for the next load to take
            throw;
        }

        _writing = [];
    }

    private void Publish(TriageBatch batch)
    {
        if (batch.ChangedTickets.Count > 0)
        {
            live.Publish(new TicketsChanged([.. batch.ChangedTickets]));
        }

        if (batch.ChangedPatterns.Count > 0)
        {
            live.Publish(new PatternsChanged([.. batch.ChangedPatterns]));
        }

        foreach (var (id, title, evidence) in batch.Emerged)
        {
            live.Publish(new LivePatternEmerging(id, title, evidence));
            logger.LogInformation("Pattern {Id} is emerging: {Title} — {Evidence}", id, title, evidence);
        }
    }

    private async Task SaveIfDueAsync(bool force, CancellationToken cancellationToken)
    {
        await FlushAsync(); // the state saved covers only committed batches
        if (_engine is null || (!force && (_unsavedThrough is null || time.GetElapsedTime(_lastSave) < _options.SaveInterval)))
        {
            return;
        }

        var covers = _unsavedThrough ?? _savedThrough;
        await store.SaveAsync(_engine, covers, _clock, cancellationToken);
        _savedThrough = covers;
        _unsavedThrough = null;
        _lastSave = time.GetTimestamp();
    }

    /// <summary>A TriagedAt later than every earlier one, at the microsecond PostgreSQL keeps.</summary>
    private DateTime NextStamp()
    {
        var now = time.GetUtcNow().UtcDateTime;
        now = new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
        _lastStamp = now > _lastStamp ? now : _lastStamp.AddTicks(10);
        return _lastStamp;
    }
}
