using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TicketTriage.ML.Engine;
using TicketTriage.ML.Signals;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Patterns;
using EnginePatternEmerging = TicketTriage.ML.Engine.PatternEmerging;

namespace TicketTriage.Web.Features.Triage;

/// <summary>
/// Writes one triaged batch in one transaction: each ticket's triage fields, the patterns it touched (a projection of
/// the engine's reports), tickets of merged-away patterns moved to the survivor, and — for a pattern that became
/// emerging or gained a linked change — the recomputed priority of its open tickets, so they rise by themselves.
/// </summary>
internal sealed class TriageBatch(TriageEngine engine, IReadOnlyDictionary<long, Change> changes, DateTime now)
{
    public HashSet<long> ChangedTickets { get; } = [];
    public HashSet<long> ChangedPatterns { get; } = [];
    public List<(long PatternId, string Title, string Evidence)> Emerged { get; } = [];

    private readonly Dictionary<int, PatternReport> _reports = [];
    private readonly Dictionary<int, int> _lastHour = [];

    public async Task WriteAsync(TriageDbContext db, IReadOnlyList<(Ticket Ticket, TriageOutcome Outcome)> results,
        IReadOnlyList<EngineEvent> otherEvents, DateTime stamp, CancellationToken cancellationToken)
    {
        var events = results.SelectMany(r => r.Outcome.Events).Concat(otherEvents).ToList();
        var merged = events.OfType<PatternsMerged>().ToList();
        var emerging = events.OfType<EnginePatternEmerging>().Select(e => engine.Resolve(e.PatternId)).ToHashSet();
        var signalled = events.OfType<PatternSignalsChanged>().Select(e => engine.Resolve(e.PatternId)).ToHashSet();

        foreach (var (ticket, outcome) in results)
        {
            var patternId = engine.Resolve(outcome.PatternId);
            var report = Report(patternId);
            ticket.Category = outcome.Category;
            ticket.CategoryConfidence = outcome.Category is null ? null : Finite(outcome.CategoryConfidence);
            ticket.NeedsReview = outcome.Category is null ? null : outcome.NeedsReview;
            ticket.PatternId = patternId;
            ticket.PatternSimilarity = Finite(outcome.Similarity);
            SetPriority(ticket, report);
            ticket.TriagedAt = stamp;
            ChangedTickets.Add(ticket.Id);
            ChangedPatterns.Add(patternId);
        }

        var linkChanged = new HashSet<int>();

        // Every pattern row the batch touches, read in one query (not one round trip per pattern).
        var touched = ChangedPatterns.Concat(merged.Select(m => (long)m.From)).Concat(emerging.Select(i => (long)i))
            .Concat(signalled.Select(i => (long)i)).ToHashSet();
        var rows = await db.Patterns.Where(p => touched.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);

        // Merged-away patterns: their rows point at the survivor, their tickets move to it.
        foreach (var merge in merged)
        {
            var into = engine.Resolve(merge.Into);
            await db.Tickets.Where(t => t.PatternId == merge.From)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.PatternId, into), cancellationToken);
            if (rows.TryGetValue(merge.From, out var row))
            {
                row.MergedIntoId = into;
                row.UpdatedAt = now;
            }

            ChangedPatterns.Add(merge.From);
            ChangedPatterns.Add(into);
        }

        foreach (var id in ChangedPatterns.Concat(emerging.Select(i => (long)i)).Concat(signalled.Select(i => (long)i)).Distinct().ToList())
        {
            if (engine.Resolve((int)id) == id)
            {
                if (!rows.TryGetValue(id, out var row))
                {
                    // A survivor first named by a merge of this batch, not read above.
                    row = await db.Patterns.FindAsync([id], cancellationToken);
                    if (row is null)
                    {
                        row = new Pattern { Id = id };
                        db.Patterns.Add(row);
                    }

                    rows[id] = row;
                }

                var linkBefore = row.LikelyChangeJson;
                Upsert(row, Report((int)id));
                if (signalled.Contains((int)id) && row.LikelyChangeJson != linkBefore)
                {
                    linkChanged.Add((int)id);
                }

                ChangedPatterns.Add(id);
            }
        }

        // A pattern's open tickets rise when it becomes emerging or is tied to a change (the two parts of a priority
        // that a pattern's news changes); a new concentration alone changes no priority, so it costs no re-read.
        foreach (var id in emerging.Concat(linkChanged).Distinct())
        {
            await RecomputeOpenTicketsAsync(db, Report(id), cancellationToken);
        }

        foreach (var id in emerging)
        {
            var report = Report(id);
            Emerged.Add((id, report.Title, report.EmergenceEvidence ?? ""));
        }
    }

    private PatternReport Report(int id)
    {
        if (!_reports.TryGetValue(id, out var report))
        {
            _reports[id] = report = engine.Describe(id);
        }

        return report;
    }

    private void SetPriority(Ticket ticket, PatternReport report)
    {
        if (!_lastHour.TryGetValue(report.Id, out var lastHour))
        {
            _lastHour[report.Id] = lastHour = report.Arrivals.Where(a => a.Start > report.LastSeen.AddHours(-1)).Sum(a => a.Count);
        }

        var result = TicketPriority.Compute(new PriorityInput(ticket.Subject, ticket.Body, ticket.CreatedAt,
            ticket.Status is TicketStatus.New or TicketStatus.Open or TicketStatus.Pending, ticket.Customer?.Tier,
            report.Size, lastHour, report.Emerging && !report.Dismissed, report.LikelyChange?.Change.Title), now);
        ticket.PriorityScore = result.Score;
        ticket.PriorityReasons = JsonSerializer.Serialize(result.Reasons.ToList(), PatternJsonContext.Default.ListString);
    }

    private async Task RecomputeOpenTicketsAsync(TriageDbContext db, PatternReport report, CancellationToken cancellationToken)
    {
        var open = await db.Tickets.Include(t => t.Customer)
            .Where(t => t.PatternId == report.Id && t.TriagedAt != null
                && (t.Status == TicketStatus.New || t.Status == TicketStatus.Open || t.Status == TicketStatus.Pending))
            .ToListAsync(cancellationToken);
        foreach (var ticket in open)
        {
            SetPriority(ticket, report);
            ChangedTickets.Add(ticket.Id);
        }
    }

    private void Upsert(Pattern row, PatternReport report)
    {
        row.Title = report.Title.Length > 500 ? report.Title[..500] : report.Title;
        // People's decisions (confirmed, resolved, dismissed) stand; the engine only moves new → emerging.
        if (report.Dismissed)
        {
            row.Status = PatternStatus.Dismissed;
        }
        else if (row.Status is PatternStatus.New or PatternStatus.Emerging)
        {
            row.Status = report.Emerging ? PatternStatus.Emerging : PatternStatus.New;
        }

        row.Size = report.Size;
        row.FirstSeen = report.FirstSeen.UtcDateTime;
        row.LastSeen = report.LastSeen.UtcDateTime;
        row.EmergingSince = report.EmergingSince?.UtcDateTime;
        row.EmergenceEvidence = report.EmergenceEvidence;
        row.TopTermsJson = PatternJson.Serialize(report.TopTerms);
        row.ArrivalsJson = PatternJson.SerializeHourly(report.Arrivals);
        row.ConcentrationsJson = PatternJson.Serialize([.. report.Concentrations.Select(Concentration)]);
        row.LikelyChangeJson = PatternJson.Serialize(report.LikelyChange is { } link ? Link(link) : null);
        row.MergedIntoId = null;
        row.UpdatedAt = now;
    }

    private static PatternConcentration Concentration(Concentration c) =>
        new(c.Key, c.Value, Finite(c.ShareInside), Finite(c.ShareBaseline), Finite(c.Lift), Finite(c.PValue));

    private PatternChangeLink Link(ChangeLink link)
    {
        // The engine knows a change by this app's id (as text); the API also names it by its source's id.
        changes.TryGetValue(long.TryParse(link.Change.Id, out var id) ? id : -1, out var change);
        return new PatternChangeLink(change?.Id, change?.Source, change?.ExternalId, change?.Name ?? link.Change.Title,
            Math.Round(link.OnsetLag.TotalMinutes, 1), link.Evidence, link.Series, link.Batches);
    }

    /// <summary>JSON has no infinity or NaN (a lift over an empty baseline is infinite).</summary>
    private static double Finite(double value) =>
        double.IsNaN(value) ? 0 : double.IsPositiveInfinity(value) ? 1e9 : double.IsNegativeInfinity(value) ? -1e9 : value;
}
