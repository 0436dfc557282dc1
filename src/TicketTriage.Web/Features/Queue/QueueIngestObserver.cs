using TicketTriage.Web.Features.Ingest;

namespace TicketTriage.Web.Features.Queue;

/// <summary>
/// The ingest writer tells its observers about tickets right after each commit; this one hands them to the live
/// queue. It only enqueues ids (the writer's thread must not wait for browsers).
/// </summary>
internal sealed class QueueIngestObserver(ITicketEvents events) : ITicketIngestObserver
{
    public void OnTicketsCommitted(IReadOnlyList<long> createdTicketIds) => events.TicketsStored(createdTicketIds);
}
