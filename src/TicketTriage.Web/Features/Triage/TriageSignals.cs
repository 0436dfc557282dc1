using System.Collections.Concurrent;
using System.Threading.Channels;
using TicketTriage.Web.Features.Ingest;

namespace TicketTriage.Web.Features.Triage;

/// <summary>
/// What the triage worker is told: ids of newly committed tickets (a bounded channel: when it is full the ids are
/// dropped and the worker falls back to scanning for untriaged tickets, so ingest never waits), new changes, and a
/// new model file. Everything here is non-blocking.
/// </summary>
public sealed class TriageSignals(int capacity = TriageSignals.DefaultCapacity)
{
    public const int DefaultCapacity = 100_000;

    private readonly Channel<long> _tickets = Channel.CreateBounded<long>(new BoundedChannelOptions(capacity)
    {
        FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of waiting: the id is dropped.
        SingleReader = true,
    });

    private readonly ConcurrentQueue<long> _changes = new();
    private readonly SemaphoreSlim _wake = new(0);
    private int _dropped;
    private int _modelChanged;
    private int _leadAction;
    private long _droppedTotal;

    public long DroppedTotal => Interlocked.Read(ref _droppedTotal);

    public void TicketsCommitted(IReadOnlyList<long> ids)
    {
        foreach (var id in ids)
        {
            if (!_tickets.Writer.TryWrite(id))
            {
                Interlocked.Exchange(ref _dropped, 1);
                Interlocked.Increment(ref _droppedTotal);
            }
        }

        Wake();
    }

    public void ChangeAdded(long changeId)
    {
        _changes.Enqueue(changeId);
        Wake();
    }

    public void ModelChanged()
    {
        Interlocked.Exchange(ref _modelChanged, 1);
        Wake();
    }

    /// <summary>A lead action waits for the worker (see PatternActionQueue).</summary>
    public void LeadActionQueued()
    {
        Interlocked.Exchange(ref _leadAction, 1);
        Wake();
    }

    internal bool TakeLeadAction() => Interlocked.Exchange(ref _leadAction, 0) == 1;

    /// <summary>Asks the worker to scan for untriaged tickets (ids were dropped, or nothing else tells it).</summary>
    public void RequestCatchUp()
    {
        Interlocked.Exchange(ref _dropped, 1);
        Wake();
    }

    /// <summary>A featurizer fit finished in the background: the worker applies it on its loop.</summary>
    internal void FitFinished() => Wake();

    internal bool TakeCatchUp() => Interlocked.Exchange(ref _dropped, 0) == 1;

    internal bool TakeModelChanged() => Interlocked.Exchange(ref _modelChanged, 0) == 1;

    internal List<long> TakeChanges()
    {
        var list = new List<long>();
        while (_changes.TryDequeue(out var id))
        {
            list.Add(id);
        }

        return list;
    }

    internal List<long> TakeTickets(int max)
    {
        var list = new List<long>(Math.Min(max, _tickets.Reader.Count));
        while (list.Count < max && _tickets.Reader.TryRead(out var id))
        {
            list.Add(id);
        }

        return list;
    }

    internal int PendingTickets => _tickets.Reader.Count;

    /// <summary>Waits until something was signalled, or the timeout passes.</summary>
    internal async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_tickets.Reader.Count > 0 || !_changes.IsEmpty || Volatile.Read(ref _dropped) == 1 || Volatile.Read(ref _modelChanged) == 1
            || Volatile.Read(ref _leadAction) == 1)
        {
            return;
        }

        await _wake.WaitAsync(timeout, cancellationToken);
        // Collapse the wake-ups that piled up while working: the loop looks at every source itself.
        while (_wake.CurrentCount > 0 && _wake.Wait(0))
        {
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }
}

/// <summary>Hands committed ticket ids to the triage worker; called on the ingest writer's thread, returns at once.</summary>
internal sealed class TriageIngestObserver(TriageSignals signals) : ITicketIngestObserver
{
    public void OnTicketsCommitted(IReadOnlyList<long> createdTicketIds) => signals.TicketsCommitted(createdTicketIds);
}
