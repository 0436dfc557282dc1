using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Live;

namespace TicketTriage.Web.Features.Queue;

/// <summary>
/// "Next ticket": gives an agent the highest-priority unclaimed ticket that is New or Open, in queue order. The claim
/// is one conditional UPDATE (<c>… SET AssigneeId = me WHERE Id = x AND AssigneeId IS NULL</c>): the database lets
/// exactly one of two agents who pick the same candidate at once change the row, and the other moves on to the next
/// candidate. No lock is held between reading candidates and claiming; it works alike on SQLite and PostgreSQL.
/// </summary>
internal sealed class TicketClaims(IDbContextFactory<TriageDbContext> dbFactory, TicketQueue queue, LiveEvents live, TimeProvider time)
{
    /// <summary>Candidates read per round; a round fails only if every one was claimed by someone else meanwhile.</summary>
    private const int Candidates = 8;
    private const int Rounds = 5;

    /// <summary>The claimed ticket's id, or null when no unclaimed New or Open ticket is left.</summary>
    public async Task<long?> ClaimNextAsync(int userId, CancellationToken cancellationToken)
    {
        for (var round = 0; round < Rounds; round++)
        {
            var candidates = new List<QueueItem>();
            foreach (var status in new[] { TicketStatus.New, TicketStatus.Open })
            {
                var slice = await queue.ReadAsync(new QueueFilter(Status: status, UnassignedOnly: true), null, cancellationToken, Candidates);
                candidates.AddRange(slice.Items);
            }

            if (candidates.Count == 0)
            {
                return null;
            }

            foreach (var candidate in candidates.OrderByDescending(c => c.PriorityScore.HasValue).ThenByDescending(c => c.PriorityScore)
                         .ThenByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id))
            {
                if (await TryClaimAsync(candidate.Id, userId, cancellationToken))
                {
                    return candidate.Id;
                }
            }
        }

        return null;
    }

    /// <summary>Claims one ticket for the user if nobody holds it. True when this call did.</summary>
    public async Task<bool> TryClaimAsync(long ticketId, int userId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var claimed = await db.Tickets
            .Where(t => t.Id == ticketId && t.AssigneeId == null && (t.Status == TicketStatus.New || t.Status == TicketStatus.Open))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.AssigneeId, userId)
                .SetProperty(t => t.Status, TicketStatus.Open)
                .SetProperty(t => t.UpdatedAt, now), cancellationToken);
        if (claimed == 1)
        {
            live.Publish(new TicketsChanged([ticketId]));
        }

        return claimed == 1;
    }
}
