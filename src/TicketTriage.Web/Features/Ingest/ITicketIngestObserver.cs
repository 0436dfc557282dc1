namespace TicketTriage.Web.Features.Ingest;

/// <summary>
/// Told about tickets right after they are committed (live queue push, triage). Register any number as singletons.
/// Called on the writer's thread: return at once (hand the ids to your own channel); an exception is logged, never
/// propagated, and never undoes the commit.
/// </summary>
public interface ITicketIngestObserver
{
    void OnTicketsCommitted(IReadOnlyList<long> createdTicketIds);
}
