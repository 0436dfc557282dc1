using System.Globalization;
using System.Text.Json;

namespace TicketTriage.Web.Features.TicketApi;

/// <summary>Problem details for the read API, so every error has a body that says what was wrong.</summary>
internal static class ApiProblems
{
    public static IResult NotFound(string what, long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No {what} with id {id.ToString(CultureInfo.InvariantCulture)}.");

    public static IResult BadQuery(Dictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors) { Status = StatusCodes.Status400BadRequest, Title = "The query is not valid." });
}

/// <summary>Query-string parsing that collects field errors instead of answering a bare 400.</summary>
internal sealed class QueryErrors
{
    public Dictionary<string, string[]> Errors { get; } = [];

    public bool Any => Errors.Count > 0;

    public DateTime? Time(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed.UtcDateTime;
        }

        Errors[name] = [$"'{value}' is not a date and time (ISO 8601, e.g. 2026-11-21T09:00:00Z)."];
        return null;
    }

    public long? Id(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        Errors[name] = [$"'{value}' is not a valid {name}."];
        return null;
    }

    public int Limit(string? value, int fallback, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 1 && parsed <= max)
        {
            return parsed;
        }

        Errors["limit"] = [$"The limit is a whole number from 1 to {max}."];
        return fallback;
    }

    public TEnum? Enum<TEnum>(string name, string? value)
        where TEnum : struct, System.Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (System.Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed))
        {
            return parsed;
        }

        Errors[name] = [$"'{value}' is not one of: {string.Join(", ", System.Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()))}."];
        return null;
    }
}

internal static class ApiJson
{
    public static JsonElement? Parse(string? text) => text is null ? null : JsonDocument.Parse(text).RootElement.Clone();
}

/// <summary>One page of a list: <see cref="NextCursor"/> is null on the last page; pass it as <c>cursor</c> for the next.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
