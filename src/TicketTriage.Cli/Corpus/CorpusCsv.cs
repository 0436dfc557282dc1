using CsvHelper;

namespace TicketTriage.Cli.Corpus;

/// <summary>
/// Writes the corpus as <c>id,text,category,channel</c>. Records end with "\n" rather than RFC 4180's CRLF so the
/// committed file matches the multi-line texts inside it and diffs cleanly in git; CsvHelper quotes every field that
/// holds a comma, quote or line break.
/// </summary>
internal static class CorpusCsv
{
    public static readonly string[] Columns = ["id", "text", "category", "channel"];

    public static void Write(TextWriter writer, IEnumerable<GeneratedTicket> tickets)
    {
        using var csv = CsvWriter.Create(writer, new CsvWriterOptions { NewLine = "\n" }, leaveOpen: true);
        csv.WriteHeader(Columns);
        foreach (var t in tickets)
        {
            csv.WriteRecord([t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), t.Text, t.Category, t.Channel]);
        }
        csv.Flush();
    }
}
