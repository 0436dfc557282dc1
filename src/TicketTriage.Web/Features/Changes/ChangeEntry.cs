using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Features.Changes;

/// <summary>The changes page's form, as typed: times in UTC ("2026-12-03 09:40"), targets as "server: web-05, web-06; plan: pro".</summary>
public sealed record ChangeForm(string Name, string Kind, string Start, string? End, string? Targets, string? Series = null);

/// <summary>
/// Changes entered by a lead on the changes page: the same model and store as <c>POST /api/changes</c> (source
/// <c>ui</c>, an external id of its own), plus an audit entry. Also lists changes, newest first.
/// </summary>
public sealed class ChangeEntry(ChangeStore store, IDbContextFactory<TriageDbContext> dbFactory, TimeProvider time)
{
    public const string UiSource = "ui";
    public const int PageSize = 50;

    public static readonly IReadOnlyList<string> Kinds = ["deploy", "upgrade", "config", "maintenance", "change"];

    public async Task<(long? Id, IReadOnlyList<string> Errors)> AddAsync(ChangeForm form, string actor, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var start = ParseTime(form.Start, "Start", errors);
        var end = string.IsNullOrWhiteSpace(form.End) ? null : ParseTime(form.End, "End", errors);
        var targets = ParseTargets(form.Targets, errors);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var now = time.GetUtcNow();
        var submission = new ChangeSubmission
        {
            Source = UiSource,
            ExternalId = "UI-" + now.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6],
            Name = form.Name,
            Kind = form.Kind,
            Start = start,
            End = end,
            Targets = targets,
            Series = form.Series,
        };
        if (NewChange.Validate(submission, out var invalid) is not { } change)
        {
            return (null, [.. invalid.SelectMany(e => e.Value.Select(m => m.Replace("field", "", StringComparison.Ordinal).Replace("  ", " ", StringComparison.Ordinal)))]);
        }

        var (id, _) = await store.AddAsync(change, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.AuditEntries.Add(new AuditEntry
        {
            At = now.UtcDateTime,
            Actor = actor,
            Action = "change.created",
            Target = "change:" + id.ToString(CultureInfo.InvariantCulture),
            DetailsJson = JsonSerializer.Serialize(new Dictionary<string, string> { ["name"] = change.Name, ["kind"] = change.Kind }),
        });
        await db.SaveChangesAsync(cancellationToken);
        return (id, []);
    }

    /// <summary>Changes newest first (by start), <see cref="PageSize"/> at a time, before the given start when paging.</summary>
    public async Task<IReadOnlyList<ChangeView>> ListAsync(int take, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Changes.AsNoTracking().OrderByDescending(c => c.StartAt).ThenByDescending(c => c.Id).Take(take).ToListAsync(cancellationToken);
        return [.. rows.Select(ChangeStore.View)];
    }

    public static DateTimeOffset? ParseTime(string? text, string field, List<string> errors)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }

        errors.Add($"{field}: a date and time such as 2026-12-03 09:40 (UTC).");
        return null;
    }

    public static Dictionary<string, List<string>> ParseTargets(string? text, List<string> errors)
    {
        var targets = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var part in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                errors.Add($"Targets: \"{part}\" should read attribute: value, value (e.g. server: web-05, web-06).");
                continue;
            }

            var key = part[..colon].Trim();
            var values = part[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (!targets.TryGetValue(key, out var list))
            {
                targets[key] = list = [];
            }

            list.AddRange(values);
        }

        return targets;
    }
}
