using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;

namespace TicketTriage.Cli.Http;

/// <summary>One row of an import file as the ingest API's JSON, or why it could not be read.</summary>
internal sealed record TicketRow(long Row, JsonObject? Ticket, string? Error);

/// <summary>
/// Reads CSV (header row; common column names mapped, e.g. <c>id</c>/<c>external_id</c>, <c>title</c>/<c>subject</c>,
/// <c>email</c>/<c>customer_email</c>, <c>server</c>/<c>node</c>; any other column goes to <c>attributes</c>) or JSONL
/// (one ticket per line, in the API's own shape). A row without an external id gets a stable one — a hash of its
/// content — so importing the same file again creates nothing new.
/// </summary>
internal static class TicketRows
{
    private static readonly Dictionary<string, string> Ticket = new(StringComparer.Ordinal)
    {
        ["externalid"] = "externalId", ["id"] = "externalId", ["ticketid"] = "externalId",
        ["subject"] = "subject", ["title"] = "subject",
        ["body"] = "body", ["description"] = "body", ["message"] = "body", ["text"] = "body",
        ["channel"] = "channel", ["source"] = "source",
        ["createdat"] = "createdAt", ["created"] = "createdAt", ["date"] = "createdAt", ["timestamp"] = "createdAt",
    };

    private static readonly Dictionary<string, string> Customer = new(StringComparer.Ordinal)
    {
        ["email"] = "email", ["customeremail"] = "email",
        ["username"] = "username", ["customerusername"] = "username", ["user"] = "username",
        ["name"] = "name", ["customername"] = "name",
        ["plan"] = "plan", ["customerplan"] = "plan", ["tier"] = "tier", ["customertier"] = "tier",
        ["server"] = "server", ["node"] = "server", ["customerserver"] = "server",
        ["datacenter"] = "datacenter", ["dc"] = "datacenter", ["customerdatacenter"] = "datacenter",
        ["region"] = "region", ["customerregion"] = "region",
    };

    public static IEnumerable<TicketRow> Read(Stream stream, string path, string source) =>
        path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase)
            ? ReadJsonLines(stream, source)
            : ReadCsv(stream, source);

    private static IEnumerable<TicketRow> ReadJsonLines(Stream stream, string source)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        long row = 0;
        while (reader.ReadLine() is { } line)
        {
            row++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonObject? ticket = null;
            string? error = null;
            try
            {
                ticket = JsonNode.Parse(line) as JsonObject;
                error = ticket is null ? "the line is not a JSON object" : null;
            }
            catch (JsonException e)
            {
                error = "not valid JSON: " + e.Message.Split(" Path:", 2)[0];
            }

            if (ticket is not null)
            {
                ticket["source"] ??= source;
                ticket["externalId"] ??= StableId(line);
            }

            yield return new TicketRow(row, ticket, error);
        }
    }

    private static IEnumerable<TicketRow> ReadCsv(Stream stream, string source)
    {
        using var csv = CsvReader.Create(stream, new CsvReaderOptions { HasHeader = true }, true);
        var header = csv.Headers.ToArray();
        if (header.Length == 0)
        {
            yield break;
        }

        var keys = header.Select(h => new string(h.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant()).ToArray();
        while (true)
        {
            string? malformed = null;
            try
            {
                if (!csv.Read())
                {
                    yield break;
                }
            }
            catch (CsvFormatException e)
            {
                malformed = e.Message;
            }

            if (malformed is not null)
            {
                // The parser cannot find the next record boundary reliably after malformed data: report and stop.
                yield return new TicketRow(csv.RowNumber, null, "malformed CSV, import stopped here: " + malformed);
                yield break;
            }

            yield return ParseCsvRecord(csv, header, keys, source);
        }
    }

    private static TicketRow ParseCsvRecord(CsvReader csv, string[] header, string[] keys, string source)
    {
        var ticket = new JsonObject { ["source"] = source };
        var customer = new JsonObject();
        var attributes = new JsonObject();
        var fields = new string[Math.Min(keys.Length, csv.FieldCount)];
        string? error = null;
        for (var i = 0; i < fields.Length; i++)
        {
            var value = fields[i] = csv.GetString(i);
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            if (Ticket.TryGetValue(keys[i], out var field))
            {
                if (field != "createdAt")
                {
                    ticket[field] = value;
                }
                else if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                {
                    ticket[field] = at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
                }
                else
                {
                    error = $"column '{header[i]}': '{value}' is not a date";
                }
            }
            else if (Customer.TryGetValue(keys[i], out var customerField))
            {
                customer[customerField] = value;
            }
            else
            {
                attributes[header[i]] = value;
            }
        }

        if (customer.Count > 0)
        {
            ticket["customer"] = customer;
        }

        if (attributes.Count > 0)
        {
            ticket["attributes"] = attributes;
        }

        ticket["externalId"] ??= StableId(string.Join('\u001f', fields));
        return new TicketRow(csv.RowNumber, error is null ? ticket : null, error);
    }

    /// <summary>The same content always gets the same id: a re-run of the import finds the first ticket.</summary>
    private static string StableId(string content) =>
        "sha256-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)))[..24];
}
