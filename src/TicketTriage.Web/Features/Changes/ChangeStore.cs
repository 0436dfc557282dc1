using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Triage;

namespace TicketTriage.Web.Features.Changes;

/// <summary>
/// Stores changes idempotently by (source, externalId) and hands new ones to the triage worker, so change
/// correlation knows them from the next batch on. Used by <c>POST /api/changes</c> and the demo replay.
/// </summary>
public sealed class ChangeStore(IDbContextFactory<TriageDbContext> dbFactory, TriageSignals signals, TimeProvider time)
{
    internal async Task<(long Id, bool Created)> AddAsync(NewChange change, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await FindAsync(db, change, cancellationToken) is { } existing)
        {
            return (existing, false);
        }

        var row = new Change
        {
            Source = change.Source,
            ExternalId = change.ExternalId,
            Name = change.Name,
            Kind = change.Kind,
            StartAt = change.Start,
            EndAt = change.End,
            Series = change.Series,
            TargetsJson = JsonSerializer.Serialize(change.Targets, ChangesJsonContext.Default.DictionaryStringIReadOnlyListString),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Changes.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            // Two retries raced: the unique index let one in; answer with its id.
            await using var again = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (await FindAsync(again, change, cancellationToken) is { } winner)
            {
                return (winner, false);
            }

            throw;
        }

        signals.ChangeAdded(row.Id);
        return (row.Id, true);
    }

    private static Task<long?> FindAsync(TriageDbContext db, NewChange change, CancellationToken cancellationToken) =>
        db.Changes.AsNoTracking().Where(c => c.Source == change.Source && c.ExternalId == change.ExternalId)
            .Select(c => (long?)c.Id).SingleOrDefaultAsync(cancellationToken);

    public static ChangeView View(Change c) => new(c.Id, c.Source, c.ExternalId, c.Name, c.Kind, c.StartAt, c.EndAt, Targets(c), c.Series);

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Targets(Change c) =>
        JsonSerializer.Deserialize(c.TargetsJson, ChangesJsonContext.Default.DictionaryStringIReadOnlyListString) ?? [];
}
