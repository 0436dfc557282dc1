namespace TicketTriage.Web.Features.Queue;

/// <summary>
/// How the rest of the app tells open queue pages that tickets changed. Call it after the transaction commits;
/// it never blocks and never throws (the work is queued and done in the background), so a surge of ingest is not
/// slowed by browsers.
/// </summary>
public interface ITicketEvents
{
    /// <summary>New tickets were committed: they appear at the top of every open queue page.</summary>
    void TicketsStored(IReadOnlyList<long> ids);

    /// <summary>Existing tickets changed (status, …): rows already shown are redrawn in place.</summary>
    void TicketsChanged(IReadOnlyList<long> ids);
}
