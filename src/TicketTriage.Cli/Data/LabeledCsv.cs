using CsvHelper;

namespace TicketTriage.Cli.Data;

/// <summary>One row of a labeled CSV file: its text, its label, and every column by header name.</summary>
internal sealed record LabeledRow(string Text, string Label, IReadOnlyDictionary<string, string> Columns);

/// <summary>
/// Reads RFC 4180 CSV files with a header row (BANKING77, data/training/tickets.csv): quoted fields, embedded
/// commas and newlines handled by CsvHelper, not by splitting on commas.
/// </summary>
internal static class LabeledCsv
{
    public static IReadOnlyList<LabeledRow> Read(string path, string textColumn = "text", string labelColumn = "category")
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"CSV file not found: {Path.GetFullPath(path)}", path);
        }

        // The separator is fixed: detection could pick ';' or '|' from a ticket body quoted on the first lines.
        using var csv = CsvReader.FromFile(path, CsvReaderOptions.Default with { Separator = ',' });
        var header = csv.Headers.ToArray();
        if (header.Length == 0)
        {
            throw new InvalidDataException($"{path} has no header row.");
        }

        var textIndex = Array.FindIndex(header, h => string.Equals(h, textColumn, StringComparison.OrdinalIgnoreCase));
        var labelIndex = Array.FindIndex(header, h => string.Equals(h, labelColumn, StringComparison.OrdinalIgnoreCase));
        if (textIndex < 0 || labelIndex < 0)
        {
            throw new InvalidDataException($"{path} must have columns '{textColumn}' and '{labelColumn}' (found: {string.Join(", ", header)}).");
        }

        var rows = new List<LabeledRow>();
        while (csv.Read())
        {
            var columns = new Dictionary<string, string>(header.Length, StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < header.Length; i++)
            {
                columns[header[i]] = i < csv.FieldCount ? csv.GetString(i) ?? "" : "";
            }

            rows.Add(new LabeledRow(columns[header[textIndex]], columns[header[labelIndex]].Trim(), columns));
        }

        return rows;
    }

    /// <summary>Quotes a field for CSV output when it needs it.</summary>
    public static string Escape(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
