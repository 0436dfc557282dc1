using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;

namespace TicketTriage.Web.Features.Ingest;

/// <summary>Turns a complete request body into a value or an error answer; runs on the buffered body, synchronously.</summary>
internal delegate (T? Value, IResult? Error) BodyParser<T>(ReadOnlySequence<byte> body);

/// <summary>
/// Reads a JSON request body by hand, instead of minimal-API binding, so that each kind of bad input gets its own
/// clear answer, all as problem details: wrong content type 415; full queue or spent memory budget 503 + Retry-After
/// (decided before the body is read); too large 413 (checked while reading, so a huge body is never buffered); a
/// body sent too slowly 408; a body that breaks <see cref="StrictJson"/>'s rule 400 with the path and line. A client
/// that goes away gets nothing (499 in the request log) and is not an error of ours.
/// </summary>
internal static class JsonBody
{
    /// <summary>Status of a request whose client went away before it was answered (nginx's, and ASP.NET Core's, 499).</summary>
    public const int ClientClosedRequest = StatusCodes.Status499ClientClosedRequest;

    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpContext context, long limit, BodyParser<T> parse)
        where T : class
    {
        var request = context.Request;
        if (!request.HasJsonContentType())
        {
            return (null, Problem(StatusCodes.Status415UnsupportedMediaType, "The request body must be JSON.",
                new() { ["Content-Type"] = [$"Send Content-Type: application/json (got '{request.ContentType}')."] }));
        }

        if (request.ContentLength > limit)
        {
            return (null, TooLarge(limit));
        }

        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<IngestOptions>>().Value;
        if (services.GetRequiredService<TicketWriter>().IsFull)
        {
            return (null, Busy(context, options));
        }

        // Held until the answer is sent: the parsed tickets live as long as the request does.
        var admission = services.GetRequiredService<IngestAdmission>();
        var reservation = admission.Open();
        context.Response.RegisterForDispose(reservation);
        if (request.ContentLength is { } length && !admission.TryGrow(reservation, length))
        {
            return (null, Busy(context, options));
        }

        try
        {
            return await ReadBufferedAsync(context, limit, admission, reservation, parse);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's verdicts on the body: 408 when it arrives slower than MinRequestBodyDataRate, 413, 400.
            return (null, Problem(e.StatusCode, e.StatusCode == StatusCodes.Status408RequestTimeout
                ? "The request body arrived too slowly." : "The request body could not be read.",
                new() { ["$"] = [e.StatusCode == StatusCodes.Status408RequestTimeout ? "Send the body at a steady rate." : "Send a complete body."] }));
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            return (null, TypedResults.StatusCode(ClientClosedRequest));
        }
    }

    private static async Task<(T? Value, IResult? Error)> ReadBufferedAsync<T>(
        HttpContext context, long limit, IngestAdmission admission, IngestAdmission.Reservation reservation, BodyParser<T> parse)
        where T : class
    {
        var reader = context.Request.BodyReader;
        while (true)
        {
            ReadResult read;
            try
            {
                read = await reader.ReadAsync(context.RequestAborted);
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

            // Without a Content-Length the reservation follows what has been buffered.
            if (buffer.Length > reservation.Bytes && !admission.TryGrow(reservation, buffer.Length - reservation.Bytes))
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return (null, Busy(context, context.RequestServices.GetRequiredService<IOptions<IngestOptions>>().Value));
            }

            if (!read.IsCompleted)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            try
            {
                return parse(buffer);
            }
            finally
            {
                reader.AdvanceTo(buffer.End);
            }
        }
    }

    /// <summary>The body as one value of <paramref name="type"/>, after the parsing rule; a type error is 400 naming the field.</summary>
    public static (T? Value, IResult? Error) Parse<T>(ReadOnlySequence<byte> body, JsonTypeInfo<T> type, string invalidTitle)
        where T : class
    {
        body = StrictJson.SkipBom(body);
        if (StrictJson.Check(body) is { } violation)
        {
            return (null, Malformed(violation));
        }

        var (value, errors) = Deserialize(body, type);
        return errors is null ? (value, null) : (null, Problem(StatusCodes.Status400BadRequest, invalidTitle, errors));
    }

    /// <summary>
    /// Deserializes a body (or one batch item) that passed the rule. What can still fail is the shape: a value of the
    /// wrong type, a date in no ISO 8601 form, JSON null. The error names the field, never a .NET type.
    /// </summary>
    public static (T? Value, Dictionary<string, string[]>? Errors) Deserialize<T>(ReadOnlySequence<byte> json, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = StrictJson.MaxDepth + 1 });
            return JsonSerializer.Deserialize(ref reader, type) is { } value
                ? (value, null)
                : (null, new() { ["$"] = ["Expected a JSON object, got null."] });
        }
        catch (JsonException e)
        {
            var path = e.Path is { Length: > 0 } p ? p : "$";
            return (null, new() { [path] = [WrongType(path)] });
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or InvalidOperationException)
        {
            // A value the converters refuse outside JsonException (a date past year 9999 after its offset).
            return (null, new() { ["$"] = ["A value is out of range."] });
        }
    }

    /// <summary>What the field at <paramref name="path"/> must be; the serializer's own message would name .NET types.</summary>
    internal static string WrongType(string path)
    {
        var field = path[(path.LastIndexOfAny(['.', '[']) + 1)..].TrimEnd(']').Trim('\'');
        return field switch
        {
            "createdAt" => "Expected a date and time in ISO 8601 form, e.g. \"2026-11-21T09:41:00Z\".",
            "customer" or "$" or "" => "Expected a JSON object.",
            "tickets" => "Expected an array of ticket objects.",
            _ when path.StartsWith("$.customer.", StringComparison.Ordinal) || !field.All(char.IsAsciiDigit) => "Expected a string.",
            _ => "Expected a value of another type.",
        };
    }

    public static IResult Malformed(JsonRuleViolation violation) =>
        Problem(StatusCodes.Status400BadRequest, "The request body is not valid JSON for this endpoint.", new() { [violation.Path] = [violation.Message] });

    public static IResult Problem(int status, string title, Dictionary<string, string[]> errors) =>
        TypedResults.Problem(new Microsoft.AspNetCore.Http.HttpValidationProblemDetails(errors) { Status = status, Title = title });

    /// <summary>503 + Retry-After: the queue is full, the memory budget spent, or the database failed; a retry is safe.</summary>
    public static IResult Busy(HttpContext context, IngestOptions options, string? title = null)
    {
        context.Response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
            title: title ?? "The ingest queue is full; retry after the Retry-After delay.");
    }

    private static IResult TooLarge(long limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "The request body is too large.", new() { ["$"] = [$"The limit is {limit:N0} bytes."] });
}
