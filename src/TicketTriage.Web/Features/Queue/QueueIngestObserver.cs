using TicketTriage.Web.Features.Ingest;
using TicketTriage.Web.Features.Live;

namespace TicketTriage.Web.Features.Queue;

/// <summary>
/// The ingest writer tells its observers about tickets right after each commit; this one hands them to the live
/// pages. Publishing only queues the ids (the writer's thread must not wait for browsers).
/// </summary>
internal sealed class QueueIngestObserver(LiveEvents live) : ITicketIngestObserver
{
    public void OnTicketsCommitted(IReadOnlyList<long> createdTicketIds) =>
        live.Publish(new TicketsStored([.. createdTicketIds]));
}
