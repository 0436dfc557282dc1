using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Tests.Infrastructure;

/// <summary>Waiting for the triage worker, which runs in the background of the app under test.</summary>
public static class TriageWaits
{
    /// <summary>
    /// The <paramref name="count"/> tickets of <paramref name="source"/> (by id), once every one of them is triaged;
    /// fails after <paramref name="within"/> with how many are still waiting. The default is generous: a new app first
    /// fits its featurizer (seconds on a quiet machine, minutes on a loaded CI runner) before it triages.
    /// </summary>
    public static async Task<List<Ticket>> WaitTriagedAsync(this TriageAppFactory factory, string source, int count,
        CancellationToken cancellationToken, TimeSpan? within = null)
    {
        var limit = within ?? TimeSpan.FromSeconds(180);
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            await using var db = factory.CreateDbContext();
            var rows = await db.Tickets.AsNoTracking().Where(t => t.Source == source).OrderBy(t => t.Id).ToListAsync(cancellationToken);
            if (rows.Count == count && rows.All(t => t.TriagedAt is not null))
            {
                return rows;
            }

            Assert.True(DateTime.UtcNow < deadline,
                $"{rows.Count(t => t.TriagedAt is null)} of {rows.Count} tickets (of {count} expected) still untriaged after {limit.TotalSeconds:0} s");
            await Task.Delay(100, cancellationToken);
        }
    }
}
