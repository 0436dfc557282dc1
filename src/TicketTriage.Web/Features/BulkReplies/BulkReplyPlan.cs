using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Features.BulkReplies;

/// <summary>Which tickets to leave out. Each flag on by default: a lead answers the quiet, open, unanswered tickets.</summary>
public sealed record BulkReplyExclusions
{
    /// <summary>The customer wrote again after the ticket joined the pattern (the canned answer may no longer fit).</summary>
    public bool WroteAgain { get; init; } = true;

    /// <summary>An agent already answered the ticket publicly after it joined the pattern.</summary>
    public bool Answered { get; init; } = true;

    /// <summary>Solved or closed tickets.</summary>
    public bool Closed { get; init; } = true;

    /// <summary>Tickets the lead unticked.</summary>
    public IReadOnlyList<long> TicketIds { get; init; } = [];
}

/// <summary>One ticket of a pattern as the planner judged it: <see cref="SkipReason"/> null means it gets the reply.</summary>
public sealed record PlannedRecipient(long TicketId, TicketStatus Status, string? SkipReason);

/// <summary>
/// Decides who of a pattern's tickets gets the reply. "Joined the pattern" is the ticket's triage time (the engine
/// assigns the pattern when it triages). A ticket without a customer email address is skipped: there is nobody to mail.
/// Reasons are fixed phrases so the summary can count them.
/// </summary>
public static class BulkReplyPlan
{
    public const string Unticked = "unticked";
    public const string IsClosed = "closed";
    public const string AnsweredSince = "answered since joining the pattern";
    public const string WroteAgain = "customer wrote again after joining the pattern";
    public const string NoEmail = "no customer email address";

    public static async Task<List<PlannedRecipient>> ForPatternAsync(TriageDbContext db, long patternId, BulkReplyExclusions exclusions,
        DateTime? joinedAfter, CancellationToken cancellationToken)
    {
        var tickets = db.Tickets.AsNoTracking().Where(t => t.PatternId == patternId);
        if (joinedAfter is { } after)
        {
            tickets = tickets.Where(t => t.TriagedAt > after);
        }

        var rows = await tickets.OrderBy(t => t.Id)
            .Select(t => new { t.Id, t.Status, Email = t.Customer != null ? t.Customer.Email : null })
            .ToListAsync(cancellationToken);

        var wroteAgain = exclusions.WroteAgain ? await LaterMessagesAsync(tickets, db, MessageAuthorKind.Customer, cancellationToken) : [];
        var answered = exclusions.Answered ? await LaterMessagesAsync(tickets, db, MessageAuthorKind.Agent, cancellationToken) : [];
        var unticked = exclusions.TicketIds.ToHashSet();

        return rows.Select(t => new PlannedRecipient(t.Id, t.Status,
            unticked.Contains(t.Id) ? Unticked
            : exclusions.Closed && t.Status is TicketStatus.Solved or TicketStatus.Closed ? IsClosed
            : answered.Contains(t.Id) ? AnsweredSince
            : wroteAgain.Contains(t.Id) ? WroteAgain
            : string.IsNullOrWhiteSpace(t.Email) ? NoEmail
            : null)).ToList();
    }

    /// <summary>Tickets with a public message of this kind written after they were triaged into the pattern.</summary>
    private static async Task<HashSet<long>> LaterMessagesAsync(IQueryable<Ticket> tickets, TriageDbContext db, MessageAuthorKind kind, CancellationToken cancellationToken) =>
        [.. await (from t in tickets
                   join m in db.TicketMessages on t.Id equals m.TicketId
                   where m.AuthorKind == kind && !m.IsInternal && t.TriagedAt != null && m.CreatedAt > t.TriagedAt
                   select t.Id).Distinct().ToListAsync(cancellationToken)];
}
