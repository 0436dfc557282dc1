using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TicketTriage.Web.Features.Ingest;

/// <summary>
/// Reads a JSON request body by hand, instead of minimal-API binding, so that each kind of bad input gets its own
/// clear answer: wrong content type 415, too large 413 (checked while reading, so a huge body is never buffered),
/// malformed JSON 400 with the path and line of the error. All as problem details.
/// </summary>
internal static class JsonBody
{
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, long limit, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, Problem(StatusCodes.Status415UnsupportedMediaType, "The request body must be JSON.",
                new() { ["Content-Type"] = [$"Send Content-Type: application/json (got '{request.ContentType}')."] }));
        }

        if (request.ContentLength > limit)
        {
            return (null, TooLarge(limit));
        }

        var reader = request.BodyReader;
        while (true)
        {
            ReadResult read;
            try
            {
                read = await reader.ReadAsync(cancellationToken);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return (null, TooLarge(limit));
            }

            var buffer = read.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return (null, TooLarge(limit));
            }

            if (!read.IsCompleted)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            try
            {
                return Parse(buffer, type);
            }
            finally
            {
                reader.AdvanceTo(buffer.End);
            }
        }
    }

    private static (T? Value, IResult? Error) Parse<T>(ReadOnlySequence<byte> buffer, JsonTypeInfo<T> type)
        where T : class
    {
        if (buffer.IsEmpty)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "The request body is empty.", new() { ["$"] = ["Send a JSON object."] }));
        }

        try
        {
            var json = new Utf8JsonReader(buffer, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var value = JsonSerializer.Deserialize(ref json, type);
            return value is null
                ? (null, Problem(StatusCodes.Status400BadRequest, "The request body is JSON null.", new() { ["$"] = ["Send a JSON object."] }))
                : (value, null);
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 0 } path ? path : "$";
            var detail = e.LineNumber is { } line ? $"{FirstSentence(e.Message)} (line {line + 1}, byte {e.BytePositionInLine + 1})." : FirstSentence(e.Message);
            return (null, Problem(StatusCodes.Status400BadRequest, "The request body is not valid JSON for this endpoint.", new() { [where] = [detail] }));
        }
    }

    public static IResult Problem(int status, string title, Dictionary<string, string[]> errors) =>
        TypedResults.Problem(new Microsoft.AspNetCore.Http.HttpValidationProblemDetails(errors) { Status = status, Title = title });

    private static IResult TooLarge(long limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "The request body is too large.", new() { ["$"] = [$"The limit is {limit:N0} bytes."] });

    // JsonException messages end with "Path: $.x | LineNumber: 0 | BytePositionInLine: 5." — we report those ourselves.
    private static string FirstSentence(string message) => message.Split(" Path: ", 2)[0].TrimEnd('.');
}
