using System.Text.Json;
using System.Text.Json.Serialization;
using TicketTriage.Web.Data.Configurations;

namespace TicketTriage.Web.Features.Changes;

/// <summary>A change as a source sends it to <c>POST /api/changes</c>.</summary>
public sealed record ChangeSubmission
{
    /// <summary>Where it comes from (deploy tool, change calendar…). With <see cref="ExternalId"/> the idempotency key.</summary>
    public string? Source { get; init; }

    public string? ExternalId { get; init; }

    public string? Name { get; init; }

    /// <summary>deploy, upgrade, config, maintenance, … (default <c>change</c>).</summary>
    public string? Kind { get; init; }

    public DateTimeOffset? Start { get; init; }

    public DateTimeOffset? End { get; init; }

    /// <summary>What it touched: attribute → values, e.g. <c>{"server": ["web-05", "web-06"]}</c>. Empty: everything.</summary>
    public Dictionary<string, List<string>>? Targets { get; init; }

    /// <summary>The rollout this change is one batch of, e.g. <c>php81-rollout</c> (optional; batches share it).</summary>
    public string? Series { get; init; }
}

public sealed record ChangeAccepted(long Id, string Outcome);

public sealed record ChangeView(long Id, string Source, string ExternalId, string Name, string Kind, DateTime Start, DateTime? End,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Targets, string? Series);

/// <summary>A validated change, ready to store.</summary>
internal sealed record NewChange(string Source, string ExternalId, string Name, string Kind, DateTime Start, DateTime? End,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Targets, string? Series)
{
    public const string DefaultKind = "change";
    public const int MaxTargetValues = 10_000;

    public static NewChange? Validate(ChangeSubmission s, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var source = Required(s.Source, "source", Limits.Label, errors);
        var externalId = Required(s.ExternalId, "externalId", Limits.ExternalId, errors);
        var name = Required(s.Name, "name", Limits.Subject, errors);
        var kind = string.IsNullOrWhiteSpace(s.Kind) ? DefaultKind : s.Kind.Trim();
        if (kind.Length > Limits.Label)
        {
            errors["kind"] = [$"The kind field is over {Limits.Label} characters."];
        }

        var series = string.IsNullOrWhiteSpace(s.Series) ? null : s.Series.Trim();
        if (series?.Length > Limits.Label)
        {
            errors["series"] = [$"The series field is over {Limits.Label} characters."];
        }

        if (s.Start is null)
        {
            errors["start"] = ["The start field is required (ISO 8601 date and time)."];
        }
        else if (s.End is { } end && end < s.Start)
        {
            errors["end"] = ["The end is before the start."];
        }

        var targets = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (key, values) in s.Targets ?? [])
        {
            var clean = (values ?? []).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).Distinct(StringComparer.Ordinal).ToList();
            if (string.IsNullOrWhiteSpace(key) || key.Length > Limits.Label)
            {
                errors["targets"] = [$"Target attribute names are 1–{Limits.Label} characters."];
            }
            else if (clean.Count > MaxTargetValues)
            {
                errors[$"targets.{key}"] = [$"At most {MaxTargetValues:N0} values."];
            }
            else if (clean.Count > 0)
            {
                targets[key.Trim()] = clean;
            }
        }

        return errors.Count > 0 ? null
            : new NewChange(source!, externalId!, name!, kind, s.Start!.Value.UtcDateTime, s.End?.UtcDateTime, targets, series);
    }

    private static string? Required(string? value, string field, int max, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = [$"The {field} field is required."];
            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.Length > max)
        {
            errors[field] = [$"The {field} field is over {max} characters ({trimmed.Length})."];
        }

        return trimmed;
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, AllowTrailingCommas = true, ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(ChangeSubmission))]
[JsonSerializable(typeof(Dictionary<string, IReadOnlyList<string>>))]
internal sealed partial class ChangesJsonContext : JsonSerializerContext;
