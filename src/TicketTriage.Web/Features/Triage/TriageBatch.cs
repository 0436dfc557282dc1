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
    private readonly List<TriageFields> _fields = [];
    private readonly List<(long From, long Into)> _merges = [];
    private readonly List<long> _upserts = [];
    private readonly Dictionary<long, string?> _links = [];
    private HashSet<int> _emerging = [];
    private HashSet<int> _signalled = [];

    /// <summary>Plans and writes at once (callers that hold the engine until the write is done).</summary>
    public async Task WriteAsync(TriageDbContext db, IReadOnlyList<(TriageTicket Ticket, TriageOutcome Outcome)> results,
        IReadOnlyList<EngineEvent> otherEvents, DateTime stamp, CancellationToken cancellationToken)
    {
        Plan(results, otherEvents);
        await WriteAsync(db, stamp, cancellationToken);
    }

    /// <summary>
    /// Everything the write needs from the engine, read right after it triaged the batch: fields, priorities and the
    /// reports of the touched patterns. Afterwards the engine may go on with the next batch while this one is written.
    /// </summary>
    public void Plan(IReadOnlyList<(TriageTicket Ticket, TriageOutcome Outcome)> results, IReadOnlyList<EngineEvent> otherEvents)
    {
        var events = results.SelectMany(r => r.Outcome.Events).Concat(otherEvents).ToList();
        var merged = events.OfType<PatternsMerged>().ToList();
        _emerging = events.OfType<EnginePatternEmerging>().Select(e => engine.Resolve(e.PatternId)).ToHashSet();
        _signalled = events.OfType<PatternSignalsChanged>().Select(e => engine.Resolve(e.PatternId)).ToHashSet();

        foreach (var (ticket, outcome) in results)
        {
            var patternId = engine.Resolve(outcome.PatternId);
            var (score, reasons) = Priority(ticket, Report(patternId));
            _fields.Add(new TriageFields(ticket.Id, outcome.Category, outcome.Category is null ? null : Finite(outcome.CategoryConfidence),
                outcome.Category is null ? null : outcome.NeedsReview, patternId, Finite(outcome.Similarity), score, reasons));
            ChangedTickets.Add(ticket.Id);
            ChangedPatterns.Add(patternId);
        }

        foreach (var merge in merged)
        {
            var into = engine.Resolve(merge.Into);
            _merges.Add((merge.From, into));
            ChangedPatterns.Add(merge.From);
            ChangedPatterns.Add(into);
        }

        // Surviving patterns get their row written from their report (read now, while the engine holds this state).
        foreach (var id in ChangedPatterns.Concat(_emerging.Select(i => (long)i)).Concat(_signalled.Select(i => (long)i)).Distinct().ToList())
        {
            if (engine.Resolve((int)id) == id)
            {
                var report = Report((int)id);
                _links[id] = LinkJson(report);
                _upserts.Add(id);
                ChangedPatterns.Add(id);
            }
        }

        foreach (var id in _emerging)
        {
            var report = Report(id);
            Emerged.Add((id, report.Title, report.EmergenceEvidence ?? ""));
        }
    }

    /// <summary>Writes what <see cref="Plan"/> read, in the caller's transaction (the engine is not touched).</summary>
    public async Task WriteAsync(TriageDbContext db, DateTime stamp, CancellationToken cancellationToken)
    {
        await TriageTicketWriter.WriteAsync(db, _fields, stamp, cancellationToken);

        // Every pattern row the batch touches, read in one query (not one round trip per pattern).
        var touched = _upserts.Concat(_merges.Select(m => m.From)).ToHashSet();
        var rows = await db.Patterns.Where(p => touched.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);

        // Merged-away patterns: their rows point at the survivor, their tickets move to it.
        foreach (var (from, into) in _merges)
        {
            await db.Tickets.Where(t => t.PatternId == from)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.PatternId, into), cancellationToken);
            if (rows.TryGetValue(from, out var row))
            {
                row.MergedIntoId = into;
                row.UpdatedAt = now;
            }
        }

        var linkChanged = new HashSet<int>();
        foreach (var id in _upserts)
        {
            if (!rows.TryGetValue(id, out var row))
            {
                row = new Pattern { Id = id };
                db.Patterns.Add(row);
                rows[id] = row;
            }

            var linkBefore = row.LikelyChangeJson;
            Upsert(row, Report((int)id), _links[id]);
            if (_signalled.Contains((int)id) && row.LikelyChangeJson != linkBefore)
            {
                linkChanged.Add((int)id);
            }
        }

        // A pattern's open tickets rise when it becomes emerging or is tied to a change (the two parts of a priority
        // that a pattern's news changes); a new concentration alone changes no priority, so it costs no re-read.
        foreach (var id in _emerging.Concat(linkChanged).Distinct())
        {
            await RecomputeOpenTicketsAsync(db, Report(id), cancellationToken);
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

    private (double Score, string Reasons) Priority(TriageTicket ticket, PatternReport report)
    {
        if (!_lastHour.TryGetValue(report.Id, out var lastHour))
        {
            _lastHour[report.Id] = lastHour = report.Arrivals.Where(a => a.Start > report.LastSeen.AddHours(-1)).Sum(a => a.Count);
        }

        var result = TicketPriority.Compute(new PriorityInput(ticket.Subject, ticket.Body, ticket.CreatedAt,
            ticket.Status is TicketStatus.New or TicketStatus.Open or TicketStatus.Pending, ticket.Customer?.Tier,
            report.Size, lastHour, report.Emerging && !report.Dismissed, report.LikelyChange?.Change.Title), now);
        return (result.Score, JsonSerializer.Serialize(result.Reasons.ToList(), PatternJsonContext.Default.ListString));
    }

    private async Task RecomputeOpenTicketsAsync(TriageDbContext db, PatternReport report, CancellationToken cancellationToken)
    {
        var open = await db.Tickets.Include(t => t.Customer)
            .Where(t => t.PatternId == report.Id && t.TriagedAt != null
                && (t.Status == TicketStatus.New || t.Status == TicketStatus.Open || t.Status == TicketStatus.Pending))
            .ToListAsync(cancellationToken);
        foreach (var ticket in open)
        {
            (ticket.PriorityScore, ticket.PriorityReasons) = Priority(TriageTicket.Of(ticket), report);
            ChangedTickets.Add(ticket.Id);
        }
    }

    private void Upsert(Pattern row, PatternReport report, string? likelyChangeJson)
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
        row.LikelyChangeJson = likelyChangeJson;
        row.MergedIntoId = null;
        row.UpdatedAt = now;
    }

    private string? LinkJson(PatternReport report) => PatternJson.Serialize(report.LikelyChange is { } link ? Link(link) : null);

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
