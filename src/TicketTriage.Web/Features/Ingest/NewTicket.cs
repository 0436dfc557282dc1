using System.Text;
using System.Text.Json;
using TicketTriage.Web.Data.Configurations;

namespace TicketTriage.Web.Features.Ingest;

/// <summary>A submission that passed validation: trimmed, defaulted, UTC, ready for the writer.</summary>
internal sealed record NewTicket(
    string Source,
    string ExternalId,
    string Channel,
    string Subject,
    string Body,
    DateTime CreatedAt,
    string? AttributesJson,
    NewCustomer? Customer);

internal sealed record NewCustomer(
    string Email,
    string? Username,
    string? Name,
    string? Plan,
    string? Tier,
    string? Server,
    string? Datacenter,
    string? Region,
    string? AttributesJson);

/// <summary>
/// Turns a <see cref="TicketSubmission"/> into a <see cref="NewTicket"/> or field errors keyed by JSON path
/// (<c>subject</c>, <c>customer.email</c>). Limits come from <see cref="Limits"/>, the same numbers as the columns.
/// </summary>
internal static class TicketValidation
{
    public const string DefaultChannel = "api";

    /// <summary>The earliest <c>createdAt</c> taken: older is a wrong clock or a placeholder (0001-01-01), not a ticket.</summary>
    public static readonly DateTime EarliestCreatedAt = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>How far ahead of the server's clock a <c>createdAt</c> may be (clock skew); later would sort above every real ticket.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(10);

    public static NewTicket? Validate(TicketSubmission submission, DateTime now, out Dictionary<string, string[]>? errors)
    {
        errors = null;
        var source = Required(submission.Source, "source", Limits.Label, ref errors);
        var externalId = Required(submission.ExternalId, "externalId", Limits.ExternalId, ref errors);
        var subject = Required(submission.Subject, "subject", Limits.Subject, ref errors);
        var channel = Optional(submission.Channel, "channel", Limits.Label, ref errors) ?? DefaultChannel;
        var body = submission.Body ?? "";
        if (Encoding.UTF8.GetByteCount(body) > Limits.Body)
        {
            Add(ref errors, "body", $"The body is over {Limits.Body / 1024} KB.");
        }

        string? attributes = null;
        if (submission.Attributes is { } element && element.ValueKind != JsonValueKind.Null)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                Add(ref errors, "attributes", "Attributes must be a JSON object.");
            }
            else
            {
                attributes = element.GetRawText();
            }
        }

        NewCustomer? customer = null;
        if (submission.Customer is { } c)
        {
            var email = Required(c.Email, "customer.email", Limits.Email, ref errors)?.ToLowerInvariant();
            if (email is not null && (email.IndexOf('@', StringComparison.Ordinal) is <= 0 || email.EndsWith('@')))
            {
                Add(ref errors, "customer.email", "The email address is not valid.");
            }

            customer = new NewCustomer(
                email ?? "",
                Optional(c.Username, "customer.username", Limits.Name, ref errors),
                Optional(c.Name, "customer.name", Limits.Name, ref errors),
                Optional(c.Plan, "customer.plan", Limits.Label, ref errors),
                Optional(c.Tier, "customer.tier", Limits.Label, ref errors),
                Optional(c.Server, "customer.server", Limits.Label, ref errors),
                Optional(c.Datacenter, "customer.datacenter", Limits.Label, ref errors),
                Optional(c.Region, "customer.region", Limits.Label, ref errors),
                c.Extra is { Count: > 0 } extra ? JsonSerializer.Serialize(extra, IngestJsonContext.Default.DictionaryStringJsonElement) : null);
        }

        if (submission.CreatedAt is { } at && (at.UtcDateTime < EarliestCreatedAt || at.UtcDateTime > now + MaxClockSkew))
        {
            Add(ref errors, "createdAt", $"The createdAt must lie between {EarliestCreatedAt:yyyy-MM-dd} and {MaxClockSkew.TotalMinutes:N0} minutes from now (UTC); leave it out for the arrival time.");
        }

        if (errors is not null)
        {
            return null;
        }

        var createdAt = submission.CreatedAt?.UtcDateTime ?? now;
        return new NewTicket(source!, externalId!, channel, subject!, body, createdAt, attributes, customer);
    }

    private static string? Required(string? value, string field, int maxLength, ref Dictionary<string, string[]>? errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(ref errors, field, $"The {field} field is required.");
            return null;
        }

        return Optional(value, field, maxLength, ref errors);
    }

    private static string? Optional(string? value, string field, int maxLength, ref Dictionary<string, string[]>? errors)
    {
        var trimmed = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        if (trimmed is { Length: var length } && length > maxLength)
        {
            Add(ref errors, field, $"The {field} field is over {maxLength} characters ({length}).");
        }

        return trimmed;
    }

    private static void Add(ref Dictionary<string, string[]>? errors, string field, string message)
    {
        errors ??= [];
        errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
    }
}
