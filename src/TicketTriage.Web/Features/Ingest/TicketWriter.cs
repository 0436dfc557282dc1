using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TicketTriage.Web.Data;

namespace TicketTriage.Web.Features.Ingest;

/// <summary>What happened to one ticket: created with a new id, or a duplicate answered with the first id.</summary>
internal readonly record struct WriteOutcome(long Id, bool Created);

/// <summary>One request's tickets, waiting for the writer; the request awaits <see cref="Completion"/>.</summary>
internal sealed class PendingWrite(IReadOnlyList<NewTicket> tickets)
{
    public IReadOnlyList<NewTicket> Tickets => tickets;
    public TaskCompletionSource<WriteOutcome[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>Test seam: runs before each group is written (a test slows the writer to fill the queue).</summary>
public sealed class TicketWriterHooks
{
    public Func<CancellationToken, Task>? BeforeWrite { get; set; }
}

/// <summary>
/// The single writer with group commit. Requests enqueue their tickets and await a completion; this one background
/// loop drains whatever has queued up (up to <see cref="IngestOptions.MaxBatchPerCommit"/> tickets), writes it in ONE
/// transaction, commits, and only then completes each request — so a 2xx always means committed, and a thousand
/// concurrent requests cost one commit instead of a thousand. While a commit runs the next group accumulates, so the
/// group size follows the load by itself.
/// </summary>
/// <remarks>
/// <para>Idempotency is airtight: the unique (source, external id) index decides, with
/// <c>INSERT … ON CONFLICT DO NOTHING</c> (SQL Server: an insert guarded by NOT EXISTS under a key-range lock, see
/// <see cref="TicketWriterSql"/>); a conflict looks up the first ticket's id inside the same transaction, which also
/// sees earlier tickets of the same group. There is one writer per process, and the index also covers other app
/// instances sharing a PostgreSQL or SQL Server database.</para>
/// <para>Admission is counted in tickets, not requests (a batch request holds up to 1,000):
/// <see cref="TryEnqueue"/> refuses when <see cref="IngestOptions.QueueCapacity"/> tickets are waiting or in flight,
/// and the endpoint answers 503 + Retry-After instead of letting memory grow. The channel itself is unbounded because
/// that counter bounds it.</para>
/// <para>The hot path is raw ADO.NET on the context's own connection with prepared statements: EF change tracking
/// costs several times more per row. The SQL (<see cref="TicketWriterSql"/>) is shared by SQLite and PostgreSQL
/// (ON CONFLICT); only the new row's id is read differently (PostgreSQL: RETURNING; SQLite: last_insert_rowid, because
/// RETURNING turns each insert into a reader, ~40% slower); SQL Server has its own T-SQL and reads the id from
/// OUTPUT. A repeat customer with unchanged fields costs no statement (a cache of what was written). It runs on its
/// own thread, blocking on the database (see <see cref="ExecuteAsync"/>).</para>
/// </remarks>
internal sealed partial class TicketWriter(
    IDbContextFactory<TriageDbContext> dbFactory,
    IOptions<IngestOptions> options,
    TimeProvider time,
    IEnumerable<ITicketIngestObserver> observers,
    TicketWriterHooks hooks,
    ILogger<TicketWriter> logger) : BackgroundService
{
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ITicketIngestObserver[] _observers = observers.ToArray();
    private readonly int _capacity = Math.Max(1, options.Value.QueueCapacity);
    private readonly int _maxPerCommit = Math.Max(1, options.Value.MaxBatchPerCommit);
    private static readonly TimeSpan WriterCheckpointInterval = TimeSpan.FromMilliseconds(250);
    private long _waiting;
    private long _lastCheckpoint;
    private volatile bool _running;
    private Statements? _statements;

    // Customers this writer has upserted with exactly these fields, and their ids: a repeat customer (the common case
    // in a surge) costs no statement at all. Cleared on any failure and when it grows past its bound.
    private readonly Dictionary<NewCustomer, long> _customers = [];
    private const int CustomerCacheLimit = 100_000;

    /// <summary>True while the loop runs (readiness).</summary>
    public bool IsRunning => _running;

    /// <summary>Tickets accepted and not yet completed.</summary>
    public long Waiting => Interlocked.Read(ref _waiting);

    /// <summary>
    /// True when the queue holds its capacity already: a request is refused before its body is read. (A request
    /// that passes may still be refused by <see cref="TryEnqueue"/> when others filled the queue meanwhile.)
    /// </summary>
    public bool IsFull => Interlocked.Read(ref _waiting) >= _capacity || !_running;

    /// <summary>Queues the request's tickets; false when the queue is full or the app is stopping (answer 503).</summary>
    public bool TryEnqueue(PendingWrite write)
    {
        var count = write.Tickets.Count;
        var after = Interlocked.Add(ref _waiting, count);
        // A request larger than the whole capacity still goes through alone, or it could never succeed.
        if ((after > _capacity && after != count) || !_running || !_queue.Writer.TryWrite(write))
        {
            Interlocked.Add(ref _waiting, -count);
            return false;
        }

        return true;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _running = true;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stop taking work, then let the loop finish what was accepted: accepted requests are still answered.
        _running = false;
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    // The loop runs on its own thread and blocks on the database on purpose. On a thread-pool thread, its synchronous
    // writes would hold one of the (two, on this machine) pool threads for milliseconds at a time and starve request
    // handling into half-second stalls under load; async database calls would add allocations and hops for nothing,
    // since there is only ever one writer.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        Thread.CurrentThread.Name = "TicketWriter";
        var reader = _queue.Reader;
        var group = new List<PendingWrite>();
        try
        {
            // Not cancelled by stoppingToken: the loop ends when StopAsync completes the channel and it is drained.
            while (Wait(reader.WaitToReadAsync(CancellationToken.None)))
            {
                group.Clear();
                var count = 0;
                while (count < _maxPerCommit && reader.TryRead(out var write))
                {
                    group.Add(write);
                    count += write.Tickets.Count;
                }

                WriteGroup(group, stoppingToken);
                Interlocked.Add(ref _waiting, -count);
            }
        }
        finally
        {
            _running = false;
            ResetConnection();
        }
    }

    private static bool Wait(ValueTask<bool> pending) => pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    private void WriteGroup(List<PendingWrite> group, CancellationToken stoppingToken)
    {
        if (hooks.BeforeWrite is { } before)
        {
            try
            {
                before(stoppingToken).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                // Stopping: write what was accepted anyway.
            }
        }

        try
        {
            var started = time.GetTimestamp();
            var outcomes = Write(group);
            if (time.GetElapsedTime(started) is { TotalMilliseconds: > 250 } slow)
            {
                logger.LogWarning("Writing {Tickets} tickets of {Requests} requests took {Elapsed:N0} ms.",
                    outcomes.Sum(o => o.Length), group.Count, slow.TotalMilliseconds);
            }

            for (var i = 0; i < group.Count; i++)
            {
                group[i].Completion.TrySetResult(outcomes[i]);
            }

            Notify(group, outcomes);
            CheckpointIfDue();
            return;
        }
        catch (Exception e) when (group.Count > 1)
        {
            // One bad request must not fail its neighbours: write each alone to find it.
            logger.LogWarning(e, "A group of {Count} ticket writes failed; retrying each request alone.", group.Count);
            ResetConnection();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Writing {Count} tickets failed.", group[0].Tickets.Count);
            group[0].Completion.TrySetException(e);
            ResetConnection();
            return;
        }

        foreach (var write in group)
        {
            try
            {
                var outcome = Write([write]);
                write.Completion.TrySetResult(outcome[0]);
                Notify([write], outcome);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Writing {Count} tickets failed.", write.Tickets.Count);
                write.Completion.TrySetException(e);
                ResetConnection();
            }
        }
    }

    /// <summary>
    /// SQLite only: a PASSIVE checkpoint on the writer's own connection every <see cref="WriterCheckpointInterval"/>,
    /// after the group's requests were answered. <see cref="SqliteCheckpointer"/> copies most of the WAL into the
    /// database in the background, so this one is short; but only a checkpoint between two of the writer's
    /// transactions can complete, which lets the next transaction restart the WAL from its beginning. Without it the
    /// WAL grows for as long as the load lasts (a few commits a millisecond never leave a gap), and a large WAL ends
    /// in a long blocking checkpoint: second-long stalls, measured.
    /// </summary>
    private void CheckpointIfDue()
    {
        if (_statements is not { IsSqlite: true } s || time.GetElapsedTime(_lastCheckpoint) < WriterCheckpointInterval)
        {
            return;
        }

        _lastCheckpoint = time.GetTimestamp();
        try
        {
            s.Checkpoint();
            if (time.GetElapsedTime(_lastCheckpoint) is { TotalMilliseconds: > 100 } slow)
            {
                logger.LogInformation("The writer's WAL checkpoint took {Elapsed:N0} ms.", slow.TotalMilliseconds);
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "The writer's WAL checkpoint failed; the background checkpointer continues.");
        }
    }

    private WriteOutcome[][] Write(IReadOnlyList<PendingWrite> group)
    {
        var s = _statements ??= Statements.Open(dbFactory);
        var now = time.GetUtcNow().UtcDateTime;
        var results = new WriteOutcome[group.Count][];
        if (_customers.Count > CustomerCacheLimit)
        {
            _customers.Clear();
        }

        using var transaction = s.Connection.BeginTransaction();
        s.Enlist(transaction);
        for (var g = 0; g < group.Count; g++)
        {
            var tickets = group[g].Tickets;
            var outcomes = results[g] = new WriteOutcome[tickets.Count];
            for (var t = 0; t < tickets.Count; t++)
            {
                outcomes[t] = WriteOne(s, tickets[t], _customers, now);
            }
        }

        transaction.Commit();
        return results;
    }

    // Synchronous ADO.NET calls on purpose: this is one dedicated loop, and Microsoft.Data.Sqlite's async methods are
    // synchronous underneath and only add allocations. Steady state for a new ticket: one INSERT.
    private static WriteOutcome WriteOne(Statements s, NewTicket ticket, Dictionary<NewCustomer, long> customers, DateTime now)
    {
        long? customerId = null;
        if (ticket.Customer is { } customer)
        {
            if (!customers.TryGetValue(customer, out var id))
            {
                customers[customer] = id = s.UpsertCustomer(customer, now);
            }

            customerId = id;
        }

        // The unique (source, external id) index decides: a conflict inserts nothing, and the first ticket's id is
        // looked up — in this transaction that also sees an earlier ticket of the same group.
        if (s.InsertTicket(ticket, customerId, now) is { } created)
        {
            return new WriteOutcome(created, Created: true);
        }

        return new WriteOutcome(s.FindTicket(ticket.Source, ticket.ExternalId) ?? throw new InvalidOperationException(
            $"Ticket ({ticket.Source}, {ticket.ExternalId}) conflicted but was not found."), Created: false);
    }

    private void Notify(IReadOnlyList<PendingWrite> group, WriteOutcome[][] outcomes)
    {
        if (_observers.Length == 0)
        {
            return;
        }

        var created = new List<long>();
        foreach (var outcome in outcomes)
        {
            foreach (var o in outcome)
            {
                if (o.Created)
                {
                    created.Add(o.Id);
                }
            }
        }

        if (created.Count == 0)
        {
            return;
        }

        foreach (var observer in _observers)
        {
            try
            {
                observer.OnTicketsCommitted(created);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Ingest observer {Observer} failed.", observer.GetType().Name);
            }
        }
    }

    private void ResetConnection()
    {
        _customers.Clear();
        if (_statements is { } s)
        {
            _statements = null;
            try
            {
                s.Dispose();
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Closing the writer's connection failed.");
            }
        }
    }
}
