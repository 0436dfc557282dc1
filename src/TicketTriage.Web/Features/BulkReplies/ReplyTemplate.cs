using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace TicketTriage.Web.Features.BulkReplies;

/// <summary>The per-ticket values a bulk reply template may use.</summary>
public sealed record TemplateValues(string? CustomerName, string? CustomerUsername, string? CustomerEmail, string? CustomerServer,
    long TicketNumber, string TicketSubject, string PatternTitle);

/// <summary>
/// Plain-text templates with <c>{{field}}</c> placeholders: <c>customer.name</c>, <c>customer.server</c>,
/// <c>ticket.subject</c>, <c>ticket.number</c>, <c>pattern.title</c>. Output is plain text (mail and the conversation
/// both show it as text), so a customer's name cannot become markup. An unknown field is an error, not a blank.
/// </summary>
public static partial class ReplyTemplate
{
    public const string DefaultSubject = "Re: {{ticket.subject}} [#{{ticket.number}}]";

    public static readonly IReadOnlyList<string> Fields = ["customer.name", "customer.server", "ticket.subject", "ticket.number", "pattern.title"];

    /// <summary>Null when <paramref name="template"/> is usable, else what is wrong with it.</summary>
    public static string? Check(string? template)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            return "Write the message.";
        }

        var unknown = Placeholder().Matches(template).Select(m => m.Groups[1].Value.Trim())
            .Where(f => !Fields.Contains(f, StringComparer.OrdinalIgnoreCase)).Distinct().ToList();
        return unknown.Count == 0 ? null
            : $"Unknown field{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => "{{" + u + "}}"))}; use {string.Join(", ", Fields.Select(f => "{{" + f + "}}"))}.";
    }

    public static string Render(string template, TemplateValues values) =>
        Placeholder().Replace(template, m => Value(m.Groups[1].Value.Trim().ToLowerInvariant(), values) ?? m.Value);

    private static string? Value(string field, TemplateValues v) => field switch
    {
        // A greeting must read well without a name: fall back to the username, then the mailbox name.
        "customer.name" => FirstNonEmpty(v.CustomerName, v.CustomerUsername, v.CustomerEmail?.Split('@')[0]) ?? "there",
        "customer.server" => FirstNonEmpty(v.CustomerServer) ?? "your server",
        "ticket.subject" => v.TicketSubject,
        "ticket.number" => v.TicketNumber.ToString(CultureInfo.InvariantCulture),
        "pattern.title" => v.PatternTitle,
        _ => null,
    };

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();

    /// <summary>Subjects are one line: line breaks from a template or a ticket subject become spaces.</summary>
    public static string OneLine(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(c is '\r' or '\n' ? ' ' : c);
        }

        return builder.ToString().Trim();
    }

    [GeneratedRegex(@"\{\{\s*([^{}]*?)\s*\}\}")]
    private static partial Regex Placeholder();
}
