using System.Text;
using System.Text.Json.Nodes;

namespace TicketTriage.Web.Tests.Ingest;

/// <summary>One generated request: its kind (for the failure message), endpoint, bytes, and the statuses it may get (null: any below 500).</summary>
internal sealed record FuzzCase(string Kind, string Path, byte[] Body, int[]? Expected);

/// <summary>
/// Seeded generator of hostile and unlucky ingest bodies: wrong types, surrogate escapes, invalid UTF-8, deep nesting,
/// limits ± 1, concatenated JSON, absurd dates, duplicate names, odd numbers, random truncation and byte flips, and
/// batches mixing all of them. The same seed gives the same bodies (ids included), so a failure replays.
/// </summary>
internal sealed class IngestFuzzCorpus(int seed, string run)
{
    private readonly Random _rng = new(seed);
    private int _next;

    private static readonly string[] StringFields = ["source", "externalId", "subject", "body", "channel"];
    private static readonly string[] CustomerFields = ["email", "username", "name", "plan", "tier", "server", "datacenter", "region", "php"];
    private static readonly string[] WrongValues = ["42", "-1.5e300", "true", "false", "null", "[]", "[1,\"a\"]", "{}", "{\"x\":1}", "\"\"", "\"   \""];
    private static readonly string[] Surrogates = ["\\ud800", "\\udc00", "\\ud800\\ud800", "x\\ud800y", "\\udfff\\ud800", "\\ud800\\u0041", "\\u0000", "\\udbff\\udfff", "\\ud83d\\ude00", "\\u00e9\\u4e2d"];
    private static readonly byte[][] BadUtf8 = [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xF8, 0x88, 0x80, 0x80, 0x80]];
    private static readonly string[] Numbers = ["1e999", "-0", "1234567890123456789012345678901234567890", "0.1e-400", "-9223372036854775809", "3.14159"];
    private static readonly string[] Emails = ["Surge.One@Example.com", "surge.two@example.com", "SURGE.THREE@EXAMPLE.COM", "ümlaut@exämple.com", "x@y"];

    /// <summary>The mutation kinds of a single ticket; batches draw from the same list.</summary>
    public static readonly string[] Kinds = ["valid", "wrong-type", "surrogate", "invalid-utf8", "deep", "limit", "concatenated", "date", "syntax", "duplicate", "number", "customer-upsert", "flip"];

    public string NewId() => $"{run}-{_next++}";

    public FuzzCase Single()
    {
        var kind = Kinds[_rng.Next(Kinds.Length)];
        var (json, expected) = Ticket(kind, batchItem: false);
        return new FuzzCase(kind, "/api/tickets", json, expected);
    }

    public FuzzCase Batch()
    {
        var count = _rng.Next(1, 13);
        var parts = new List<byte[]>();
        var kinds = new List<string>();
        var wholeRefused = false;
        for (var i = 0; i < count; i++)
        {
            // Body-level breakage in one item refuses the whole batch; item-level errors fail alone.
            var kind = _rng.Next(4) == 0 ? Kinds[_rng.Next(Kinds.Length)] : "valid";
            if (kind is "concatenated" or "syntax" or "flip")
            {
                kind = "wrong-type";
            }

            var (json, expected) = Ticket(kind, batchItem: true);
            wholeRefused |= expected is [400] && kind is "surrogate" or "invalid-utf8" or "duplicate";
            parts.Add(json);
            kinds.Add(kind);
        }

        var body = new List<byte>(Encoding.UTF8.GetBytes("{\"tickets\":["));
        for (var i = 0; i < parts.Count; i++)
        {
            if (i > 0)
            {
                body.Add((byte)',');
            }

            body.AddRange(parts[i]);
        }

        body.AddRange(Encoding.UTF8.GetBytes("]}"));
        return new FuzzCase("batch:" + string.Join(',', kinds), "/api/tickets/batch", [.. body], wholeRefused ? [400] : null);
    }

    /// <summary>Bodies at the request size limits: exactly the limit (accepted) and one byte over (413).</summary>
    public IEnumerable<FuzzCase> SizeLimits(long singleLimit, long batchLimit)
    {
        var single = Encoding.UTF8.GetBytes(Base(NewId()).ToJsonString());
        yield return new FuzzCase("limit-exact", "/api/tickets", Pad(single, singleLimit), [201]);
        yield return new FuzzCase("limit+1", "/api/tickets", Pad(Encoding.UTF8.GetBytes(Base(NewId()).ToJsonString()), singleLimit + 1), [413]);
        yield return new FuzzCase("limit-1", "/api/tickets", Pad(Encoding.UTF8.GetBytes(Base(NewId()).ToJsonString()), singleLimit - 1), [201]);
        var batch = Encoding.UTF8.GetBytes(new JsonObject { ["tickets"] = new JsonArray(Base(NewId()), Base(NewId())) }.ToJsonString());
        yield return new FuzzCase("batch-limit-exact", "/api/tickets/batch", Pad(batch, batchLimit), [200]);
        batch = Encoding.UTF8.GetBytes(new JsonObject { ["tickets"] = new JsonArray(Base(NewId())) }.ToJsonString());
        yield return new FuzzCase("batch-limit+1", "/api/tickets/batch", Pad(batch, batchLimit + 1), [413]);
        var many = new JsonArray([.. Enumerable.Range(0, 1001).Select(_ => (JsonNode)Base(NewId()))]);
        yield return new FuzzCase("batch-1001", "/api/tickets/batch", Encoding.UTF8.GetBytes(new JsonObject { ["tickets"] = many }.ToJsonString()), [400]);
    }

    // Trailing whitespace is allowed after the value: the body grows to the exact size without changing its meaning.
    private static byte[] Pad(byte[] json, long size)
    {
        var padded = new byte[size];
        json.CopyTo(padded, 0);
        padded.AsSpan(json.Length).Fill((byte)' ');
        return padded;
    }

    private JsonObject Base(string externalId)
    {
        var ticket = new JsonObject
        {
            ["source"] = _rng.Next(3) switch { 0 => "helpdesk", 1 => "email-gateway", _ => "fuzz" },
            ["externalId"] = externalId,
            ["subject"] = $"Site down on web-{_rng.Next(100, 140)} after upgrade <script>alert({_rng.Next(9)})</script>",
            ["body"] = "Since 09:40 my site shows a 500 error. \"quoted\" \\ back\\slash é 中 😀",
        };
        if (_rng.Next(2) == 0)
        {
            ticket["channel"] = "email";
        }

        if (_rng.Next(3) > 0)
        {
            ticket["customer"] = new JsonObject
            {
                ["email"] = Emails[_rng.Next(Emails.Length)],
                ["server"] = $"web-{_rng.Next(100, 140)}",
                ["php"] = "8.3",
            };
        }

        if (_rng.Next(2) == 0)
        {
            ticket["attributes"] = new JsonObject { ["product"] = "hosting", ["n"] = _rng.Next(1000) };
        }

        if (_rng.Next(4) == 0)
        {
            ticket["createdAt"] = DateTimeOffset.UtcNow.AddMinutes(-_rng.Next(1, 10_000)).ToString("O");
        }

        return ticket;
    }

    private const string Marker = "@@FUZZ@@";

    /// <summary>A ticket as JSON bytes with one mutation of <paramref name="kind"/>, and the statuses it may get.</summary>
    private (byte[] Json, int[]? Expected) Ticket(string kind, bool batchItem)
    {
        var id = NewId();
        var ticket = Base(id);
        int[]? Created(bool ok) => batchItem ? null : ok ? [201] : [400];
        switch (kind)
        {
            case "valid":
                return (Utf8(ticket), batchItem ? null : [201]);
            case "wrong-type":
            {
                var (field, value) = _rng.Next(3) == 0
                    ? ("customer." + CustomerFields[_rng.Next(CustomerFields.Length)], WrongValues[_rng.Next(WrongValues.Length)])
                    : (new[] { "source", "externalId", "subject", "body", "channel", "createdAt", "customer", "attributes" }[_rng.Next(8)], WrongValues[_rng.Next(WrongValues.Length)]);
                return (Replace(ticket, field, value), null);
            }

            case "surrogate":
            {
                var escape = Surrogates[_rng.Next(Surrogates.Length)];
                var ok = escape is "\\udbff\\udfff" or "\\ud83d\\ude00" or "\\u00e9\\u4e2d";
                var place = _rng.Next(6);
                var text = place switch
                {
                    0 => Replace(ticket, "subject", $"\"a{escape}b\""),
                    1 => Replace(ticket, "body", $"\"{escape}\""),
                    2 => Replace(ticket, "attributes", $"{{\"k\":\"{escape}\"}}"),
                    3 => Replace(ticket, "attributes", $"{{\"{escape}\":1}}"),
                    4 => Replace(ticket, "customer", $"{{\"email\":\"s@example.com\",\"x\":[\"{escape}\"]}}"),
                    _ => Replace(ticket, "customer", $"{{\"email\":\"s@example.com\",\"{escape}k\":true}}"),
                };
                return (text, ok ? (batchItem ? null : [201]) : [400]);
            }

            case "invalid-utf8":
            {
                var field = new[] { "subject", "body", "attributes", "customer", "externalId" }[_rng.Next(5)];
                var value = field switch
                {
                    "attributes" => $"{{\"a\":\"{Marker}\"}}",
                    "customer" => $"{{\"email\":\"u@example.com\",\"{Marker}\":\"v\"}}",
                    _ => $"\"x{Marker}y\"",
                };
                var text = ReplaceText(ticket, field, value);
                var bad = BadUtf8[_rng.Next(BadUtf8.Length)];
                return (Splice(text, Encoding.UTF8.GetBytes(Marker), bad), [400]);
            }

            case "deep":
            {
                var levels = _rng.Next(1, 72);
                var nested = new StringBuilder();
                for (var i = 0; i < levels; i++)
                {
                    nested.Append(_rng.Next(2) == 0 ? "[" : "{\"d\":");
                }

                var open = nested.ToString();
                var close = new string([.. open.Where(c => c is '[' or '{').Reverse().Select(c => c == '[' ? ']' : '}')]);
                var field = _rng.Next(2) == 0 ? "attributes" : "customer";
                var value = field == "attributes"
                    ? $"{{\"deep\":{open}1{close}}}"
                    : $"{{\"email\":\"{Emails[_rng.Next(Emails.Length)]}\",\"deep\":{open}1{close}}}";
                // Root (depth 1) → field (2) → deep (3…): within 32 in a single body, one level less in a batch.
                var depth = levels + 2 + (batchItem ? 2 : 0);
                return (Replace(ticket, field, value), depth <= 32 ? Created(true) : depth > 33 ? [400] : null);
            }

            case "limit":
            {
                var (field, limit) = new[] { ("subject", 500), ("source", 100), ("externalId", 200), ("channel", 100), ("body", 64 * 1024) }[_rng.Next(5)];
                var delta = _rng.Next(-1, 2);
                var length = limit + delta;
                var value = field == "externalId" ? id + new string('x', Math.Max(0, length - id.Length))
                    : field == "body" ? new string('b', length - 2) + "é"
                    : new string('s', length);
                ticket[field] = value;
                return (Utf8(ticket), Created(delta <= 0));
            }

            case "concatenated":
            {
                var tail = new[] { "xyz", Utf8String(Base(NewId())), " 42", "{", "]", "\"s\"", "null", ",{}" }[_rng.Next(8)];
                return (Encoding.UTF8.GetBytes(Utf8String(ticket) + tail), [400]);
            }

            case "date":
            {
                var (value, ok) = new[]
                {
                    ("\"0001-01-01T00:00:00Z\"", false), ("\"9999-12-31T23:59:59Z\"", false), ("\"9999-12-31T23:59:59-14:00\"", false),
                    ("\"0001-01-01T00:00:00+14:00\"", false), ("\"2026-02-30T00:00:00Z\"", false), ("\"now\"", false), ("\"\"", false),
                    ("1e10", false), ("\"1999-12-31T23:59:59Z\"", false), ($"\"{DateTimeOffset.UtcNow.AddDays(2):O}\"", false),
                    ($"\"{DateTimeOffset.UtcNow.AddDays(-1):O}\"", true), ("\"2026-11-21T09:41:00.1234567+05:30\"", true), ("null", true),
                }[_rng.Next(13)];
                return (Replace(ticket, "createdAt", value), Created(ok));
            }

            case "syntax":
            {
                var valid = Utf8String(ticket);
                var text = _rng.Next(9) switch
                {
                    0 => "\uFEFF" + valid,
                    1 => valid.Replace("{", "{ /* c */ ", StringComparison.Ordinal),
                    2 => valid[..^1] + ",}",
                    3 => "",
                    4 => "   \n\t ",
                    5 => "null",
                    6 => "[]",
                    7 => "\"a string\"",
                    _ => valid[.._rng.Next(valid.Length)],
                };
                return (Encoding.UTF8.GetBytes(text), text == "\uFEFF" + valid ? [201] : [400]);
            }

            case "duplicate":
            {
                var text = _rng.Next(3) switch
                {
                    0 => Utf8String(ticket)[..^1] + ",\"subject\":\"again\"}",
                    1 => ReplaceText(ticket, "attributes", "{\"a\":1,\"a\":2}"),
                    _ => ReplaceText(ticket, "customer", "{\"email\":\"d@example.com\",\"php\":\"7\",\"php\":\"8\"}"),
                };
                return (Encoding.UTF8.GetBytes(text), [400]);
            }

            case "number":
                return (Replace(ticket, "attributes", $"{{\"n\":{Numbers[_rng.Next(Numbers.Length)]}}}"), Created(true));

            case "customer-upsert":
            {
                var email = Emails[_rng.Next(3)];
                email = _rng.Next(2) == 0 ? email.ToUpperInvariant() : email.ToLowerInvariant();
                var extras = string.Join(',', Enumerable.Range(0, _rng.Next(1, 6)).Select(i => $"\"extra{_rng.Next(20)}_{i}\":{new string('[', i * 5)}\"v{i}\"{new string(']', i * 5)}"));
                return (Replace(ticket, "customer", $"{{\"email\":\"{email}\",\"server\":\"web-1{_rng.Next(10)}\",{extras}}}"), Created(true));
            }

            default: // "flip": random bytes replaced anywhere
            {
                var bytes = Utf8(ticket);
                for (var i = _rng.Next(1, 4); i > 0; i--)
                {
                    bytes[_rng.Next(bytes.Length)] = (byte)_rng.Next(256);
                }

                return (bytes, null);
            }
        }
    }

    private static byte[] Utf8(JsonObject ticket) => Encoding.UTF8.GetBytes(ticket.ToJsonString());

    private static string Utf8String(JsonObject ticket) => ticket.ToJsonString();

    /// <summary>The ticket as JSON text with <paramref name="field"/> (<c>customer.x</c> reaches into the customer) set to raw JSON text.</summary>
    private static string ReplaceText(JsonObject ticket, string field, string rawValue)
    {
        if (field.StartsWith("customer.", StringComparison.Ordinal))
        {
            ticket["customer"] ??= new JsonObject { ["email"] = "c@example.com" };
            ticket["customer"]![field["customer.".Length..]] = Marker;
        }
        else
        {
            ticket[field] = Marker;
        }

        return ticket.ToJsonString().Replace($"\"{Marker}\"", rawValue, StringComparison.Ordinal);
    }

    private static byte[] Replace(JsonObject ticket, string field, string rawValue) => Encoding.UTF8.GetBytes(ReplaceText(ticket, field, rawValue));

    private static byte[] Splice(string text, byte[] marker, byte[] replacement)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var at = bytes.AsSpan().IndexOf(marker);
        return [.. bytes[..at], .. replacement, .. bytes[(at + marker.Length)..]];
    }
}
