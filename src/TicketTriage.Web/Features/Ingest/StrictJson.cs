using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace TicketTriage.Web.Features.Ingest;

/// <summary>Where a body broke the parsing rule: a JSON path (<c>$.attributes.a</c>) and what is wrong there.</summary>
internal sealed record JsonRuleViolation(string Path, string Message);

/// <summary>The shape of a batch body, recorded while it is checked: the root's token, the <c>tickets</c> token and its elements' byte ranges.</summary>
internal sealed class BatchItems
{
    public JsonTokenType Root { get; set; } = JsonTokenType.None;
    public JsonTokenType Tickets { get; set; } = JsonTokenType.None;
    public List<(long Start, long Length)> Ranges { get; } = [];
}

/// <summary>
/// The one parsing rule of the ingest API, checked over the whole body before anything is deserialized: the body is
/// exactly one JSON text (RFC 8259) in UTF-8, with
/// <list type="bullet">
/// <item>a leading UTF-8 byte order mark ignored (RFC 8259 §8.1 allows that), nothing else but whitespace after the value;</item>
/// <item>no comments, no trailing commas;</item>
/// <item>only valid UTF-8, no unpaired surrogate escapes (<c>\ud800</c>) and no <c>\u0000</c>, in values and names alike
///   (I-JSON, RFC 7493 — and what PostgreSQL text columns can hold);</item>
/// <item>no property name twice in one object (I-JSON);</item>
/// <item>at most <see cref="MaxDepth"/> levels of nesting.</item>
/// </list>
/// A body that breaks the rule is refused whole (400, nothing stored). What passes can be stored as given and read
/// back, serialized and rendered without failing: that is the point — a ticket accepted is a ticket readable.
/// </summary>
/// <remarks>
/// The check runs on the raw bytes with <see cref="Utf8JsonReader"/> and allocates only for property names. The path of
/// a violation is worked out by a second scan that tracks it, which only a refused body pays for.
/// </remarks>
internal static class StrictJson
{
    /// <summary>Nesting limit of a body: leaves stored attributes far below the serializer's 64 when they are read back.</summary>
    public const int MaxDepth = 32;

    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>The body without a leading byte order mark.</summary>
    public static ReadOnlySequence<byte> SkipBom(ReadOnlySequence<byte> body)
    {
        if (body.Length >= 3)
        {
            Span<byte> first = stackalloc byte[3];
            body.Slice(0, 3).CopyTo(first);
            if (first.SequenceEqual(Bom))
            {
                return body.Slice(3);
            }
        }

        return body;
    }

    /// <summary>
    /// Checks <paramref name="body"/> (BOM already skipped) against the rule. When <paramref name="items"/> is given
    /// and the root is an object with a <c>tickets</c> array, the byte range of each element is added to it, so each
    /// batch item can be deserialized (and fail) alone.
    /// </summary>
    public static JsonRuleViolation? Check(ReadOnlySequence<byte> body, BatchItems? items = null)
    {
        if (Scan(body, items, trackPath: false) is not { } violation)
        {
            return null;
        }

        // Second scan only to name the place: the same checks with a path kept.
        return Scan(body, null, trackPath: true) ?? violation;
    }

    private static JsonRuleViolation? Scan(ReadOnlySequence<byte> body, BatchItems? items, bool trackPath)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions
        {
            MaxDepth = MaxDepth,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
            AllowMultipleValues = false,
        });
        var names = new List<HashSet<string>>();
        var path = trackPath ? new PathTracker() : null;
        var inTickets = false;
        long itemStart = -1;
        try
        {
            while (reader.Read())
            {
                var depth = reader.CurrentDepth;
                path?.Before(ref reader);
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        if (Strings(ref reader) is { } bad)
                        {
                            return new(path?.Child(ref reader) ?? "$", "The property name " + bad);
                        }

                        var name = reader.GetString()!;
                        if (!names[depth - 1].Add(name))
                        {
                            return new(path?.Child(ref reader) ?? "$", $"The property '{Printable(name)}' appears twice in one object.");
                        }

                        path?.Name(name);
                        if (depth == 1)
                        {
                            // Case-insensitive like the ticket fields (web defaults); the first "tickets" counts.
                            inTickets = items is { Tickets: JsonTokenType.None } && name.Equals("tickets", StringComparison.OrdinalIgnoreCase);
                        }

                        continue;
                    case JsonTokenType.String:
                        if (Strings(ref reader) is { } badValue)
                        {
                            return new(path?.Current ?? "$", "The string " + badValue);
                        }

                        break;
                    case JsonTokenType.StartObject:
                        while (names.Count <= depth)
                        {
                            names.Add([]);
                        }

                        names[depth].Clear();
                        break;
                }

                if (depth == 0 && items is { Root: JsonTokenType.None })
                {
                    items.Root = reader.TokenType;
                }

                // Batch items: the elements of the root's "tickets" array (depth 2), whatever their type.
                if (inTickets && depth == 1)
                {
                    if (items!.Tickets == JsonTokenType.None)
                    {
                        items.Tickets = reader.TokenType;
                    }
                }
                else if (inTickets && depth == 2)
                {
                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        itemStart = reader.TokenStartIndex;
                    }
                    else if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                    {
                        items!.Ranges.Add((itemStart, reader.BytesConsumed - itemStart));
                    }
                    else
                    {
                        items!.Ranges.Add((reader.TokenStartIndex, reader.BytesConsumed - reader.TokenStartIndex));
                    }
                }

                path?.After(ref reader);
            }
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            return new(path?.Current ?? "$", ReaderMessage(e.Message) + where + ".");
        }

        return reader.BytesConsumed == 0 ? new("$", "The body is empty: send one JSON object.") : null;
    }

    /// <summary>What is wrong with the current string token, or null: UTF-8, surrogate escapes, NUL.</summary>
    private static string? Strings(ref Utf8JsonReader reader)
    {
        byte[]? rented = null;
        try
        {
            ReadOnlySpan<byte> raw;
            if (reader.HasValueSequence)
            {
                var length = checked((int)reader.ValueSequence.Length);
                rented = ArrayPool<byte>.Shared.Rent(length);
                reader.ValueSequence.CopyTo(rented);
                raw = rented.AsSpan(0, length);
            }
            else
            {
                raw = reader.ValueSpan;
            }

            if (!Utf8.IsValid(raw))
            {
                return "is not valid UTF-8.";
            }

            return reader.ValueIsEscaped ? Escapes(raw) : null;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Walks the escapes of a raw string: surrogates must come in high-low pairs, and no \u0000.</summary>
    private static string? Escapes(ReadOnlySpan<byte> raw)
    {
        var pendingHigh = false;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\')
            {
                if (pendingHigh)
                {
                    return "holds an unpaired surrogate escape (\\uD800–\\uDBFF without a low surrogate after it).";
                }

                continue;
            }

            // The reader has checked the escape syntax: a \u is followed by four hex digits.
            var kind = raw[++i];
            if (kind != (byte)'u')
            {
                if (pendingHigh)
                {
                    return "holds an unpaired surrogate escape (\\uD800–\\uDBFF without a low surrogate after it).";
                }

                continue;
            }

            var unit = Hex(raw.Slice(i + 1, 4));
            i += 4;
            if (unit == 0)
            {
                return "holds \\u0000, which cannot be stored.";
            }

            var isHigh = unit is >= 0xD800 and <= 0xDBFF;
            var isLow = unit is >= 0xDC00 and <= 0xDFFF;
            if (pendingHigh != isLow)
            {
                return "holds an unpaired surrogate escape (" + (isLow ? "\\uDC00–\\uDFFF without a high surrogate before it" : "\\uD800–\\uDBFF without a low surrogate after it") + ").";
            }

            pendingHigh = isHigh;
        }

        return pendingHigh ? "holds an unpaired surrogate escape (\\uD800–\\uDBFF without a low surrogate after it)." : null;
    }

    private static int Hex(ReadOnlySpan<byte> digits)
    {
        var value = 0;
        foreach (var d in digits)
        {
            value = (value << 4) | (d <= '9' ? d - '0' : (d | 0x20) - 'a' + 10);
        }

        return value;
    }

    // Utf8JsonReader's messages name no types; the position is reported by us, so its own suffix goes.
    private static string ReaderMessage(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut >= 0 ? message[..cut] : message).TrimEnd().TrimEnd('.');
    }

    /// <summary>A name as it may be shown in an error: control characters escaped, at most 64 characters.</summary>
    internal static string Printable(string name)
    {
        var text = new StringBuilder();
        foreach (var c in name.Length > 64 ? name[..64] : name)
        {
            text.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c);
        }

        return name.Length > 64 ? text.Append('…').ToString() : text.ToString();
    }

    /// <summary>The JSON path of the token being read (<c>$.tickets[3].attributes.a</c>), for error messages only.</summary>
    private sealed class PathTracker
    {
        private readonly List<(string? Name, int Index)> _frames = [];

        public string Current => Format(_frames.Count);

        public string Child(ref Utf8JsonReader reader)
        {
            string name;
            try
            {
                name = reader.GetString() ?? "";
            }
            catch (InvalidOperationException)
            {
                name = "?";
            }

            return Format(_frames.Count - 1) + Segment(name);
        }

        public void Name(string name)
        {
            if (_frames.Count > 0)
            {
                _frames[^1] = (name, -1);
            }
        }

        /// <summary>Before a token is checked: a value inside an array advances the array's index.</summary>
        public void Before(ref Utf8JsonReader reader)
        {
            if (reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.EndObject or JsonTokenType.EndArray)
                && _frames.Count > 0 && _frames[^1].Name is null)
            {
                _frames[^1] = (null, _frames[^1].Index + 1);
            }
        }

        /// <summary>After a token: enter or leave a container.</summary>
        public void After(ref Utf8JsonReader reader)
        {
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                _frames.Add((null, -1));
            }
            else if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                _frames.RemoveAt(_frames.Count - 1);
            }
        }

        private string Format(int count)
        {
            var text = new StringBuilder("$");
            for (var i = 0; i < count; i++)
            {
                var (name, index) = _frames[i];
                text.Append(name is not null ? Segment(name) : index >= 0 ? $"[{index}]" : "");
            }

            return text.ToString();
        }

        private static string Segment(string name) =>
            name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? "." + name : $"['{Printable(name)}']";
    }
}
