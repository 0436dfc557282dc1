using System.Globalization;
using System.Text.RegularExpressions;

namespace TicketTriage.Web.Features.Triage;

/// <summary>What priority is computed from: the ticket, its customer and its pattern as the engine describes it.</summary>
public sealed record PriorityInput(
    string Subject,
    string Body,
    DateTime CreatedAt,
    bool IsOpen,
    string? Tier,
    int PatternSize = 0,
    int PatternLastHour = 0,
    bool PatternEmerging = false,
    string? LinkedChange = null);

/// <summary>A score from 0 to 100 (higher first) and why, each reason with the points it added.</summary>
public sealed record PriorityResult(double Score, IReadOnlyList<string> Reasons);

/// <summary>
/// Ticket priority with its reasons: customer tier, SLA due (a response window by tier), urgency words, age, and the
/// ticket's pattern (size, growth, emerging, linked to a change). Pure: the same input and clock give the same answer,
/// so it is recomputed freely — when a pattern becomes emerging, all its open tickets rise together.
/// </summary>
public static partial class TicketPriority
{
    public const double Base = 10;

    /// <summary>First-response window by customer tier; anything else gets <see cref="DefaultSla"/>.</summary>
    public static readonly IReadOnlyDictionary<string, TimeSpan> SlaByTier = new Dictionary<string, TimeSpan>(StringComparer.OrdinalIgnoreCase)
    {
        ["enterprise"] = TimeSpan.FromHours(1),
        ["priority"] = TimeSpan.FromHours(2),
        ["premium"] = TimeSpan.FromHours(2),
        ["business"] = TimeSpan.FromHours(8),
        ["pro"] = TimeSpan.FromHours(8),
    };

    public static readonly TimeSpan DefaultSla = TimeSpan.FromHours(24);

    public static PriorityResult Compute(PriorityInput input, DateTime now)
    {
        var reasons = new List<string>();
        var score = Base;

        void Add(double points, string reason)
        {
            score += points;
            reasons.Add($"{reason} (+{points.ToString("0", CultureInfo.InvariantCulture)})");
        }

        var tier = input.Tier?.Trim();
        if (!string.IsNullOrEmpty(tier) && SlaByTier.TryGetValue(tier, out var tierSla))
        {
            Add(tierSla <= TimeSpan.FromHours(2) ? 20 : 10, $"customer tier {tier.ToLowerInvariant()}");
        }

        var sla = tier is not null && SlaByTier.TryGetValue(tier, out var s) ? s : DefaultSla;
        var age = now - input.CreatedAt;
        if (input.IsOpen)
        {
            var left = sla - age;
            if (left <= TimeSpan.Zero)
            {
                Add(25, $"SLA overdue by {Span(-left)}");
            }
            else if (left <= TimeSpan.FromTicks(sla.Ticks / 4))
            {
                Add(15, $"SLA due in {Span(left)}");
            }

            if (age >= TimeSpan.FromDays(3))
            {
                Add(10, $"open {Span(age)}");
            }
            else if (age >= TimeSpan.FromDays(1))
            {
                Add(5, $"open {Span(age)}");
            }
        }

        var words = UrgencyWords(input.Subject + "\n" + (input.Body.Length > 4000 ? input.Body[..4000] : input.Body));
        if (words.Count > 0)
        {
            Add(Math.Min(20, 8 + (4 * (words.Count - 1))), "urgent words: " + string.Join(", ", words.Take(3).Select(w => $"\"{w}\"")));
        }

        if (input.PatternEmerging)
        {
            Add(20, "pattern emerging");
        }

        if (input.PatternSize >= 5)
        {
            Add(Math.Min(15, Math.Round(3 * Math.Log2(input.PatternSize))), $"pattern of {input.PatternSize.ToString("N0", CultureInfo.InvariantCulture)} tickets");
        }

        if (input.PatternLastHour >= 3)
        {
            Add(Math.Min(10, input.PatternLastHour), $"pattern growing: {input.PatternLastHour.ToString(CultureInfo.InvariantCulture)} in the last hour");
        }

        if (!string.IsNullOrEmpty(input.LinkedChange))
        {
            Add(10, $"pattern linked to change \"{input.LinkedChange}\"");
        }

        return new PriorityResult(Math.Clamp(score, 0, 100), reasons);
    }

    /// <summary>The distinct urgency words in the text, in order of appearance (lower case).</summary>
    public static IReadOnlyList<string> UrgencyWords(string text) =>
        [.. Urgent().Matches(text).Select(m => m.Value.ToLowerInvariant()).Distinct(StringComparer.Ordinal)];

    private static string Span(TimeSpan t) => t.TotalMinutes < 90 ? $"{Math.Max(1, (int)t.TotalMinutes)} min"
        : t.TotalHours < 48 ? $"{(int)t.TotalHours} h"
        : $"{(int)t.TotalDays} days";

    [GeneratedRegex(@"\b(urgent|urgently|asap|emergency|critical|outage|down|immediately|production|hacked|losing (?:money|sales|customers)|all (?:my )?sites)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 250)]
    private static partial Regex Urgent();
}
