using CsvHelper;

namespace TicketTriage.Web.Features.Triage;

/// <summary>
/// The featurizer's history when the app holds too few tickets to fit it on: the stored tickets first (newest
/// first), then ordinary support tickets from <see cref="TriageOptions.HistoryCorpusPath"/> up to
/// <see cref="TriageOptions.HistoryMinTickets"/>. The corpus describes ordinary traffic, the background a surge must
/// stand out from — what the offline replay fits on (a week of the scenario's ordinary tickets).
/// </summary>
internal sealed class HistoryCorpus(TriageOptions options, string contentRoot, ILogger logger)
{
    public IReadOnlyList<string> TopUp(IReadOnlyList<string> stored)
    {
        var missing = options.HistoryMinTickets - stored.Count;
        if (missing <= 0 || string.IsNullOrWhiteSpace(options.HistoryCorpusPath))
        {
            return stored;
        }

        var path = ClassifierSource.Resolve(options.HistoryCorpusPath, contentRoot);
        if (!File.Exists(path))
        {
            logger.LogWarning("Triage:HistoryCorpusPath {Path} not found: the featurizer is fitted on {Count} stored tickets only.", path, stored.Count);
            return stored;
        }

        var corpus = Read(path, missing);
        logger.LogInformation("Featurizer history: {Stored} stored tickets and {Corpus} ordinary tickets from {Path}.", stored.Count, corpus.Count, path);
        return [.. stored, .. corpus];
    }

    /// <summary>The first <paramref name="take"/> texts of the CSV's <c>text</c> column (RFC 4180: quoted newlines and commas).</summary>
    internal static List<string> Read(string path, int take)
    {
        using var csv = CsvReader.FromFile(path, CsvReaderOptions.Default with { Separator = ',' });
        var text = Array.FindIndex(csv.Headers.ToArray(), h => string.Equals(h, "text", StringComparison.OrdinalIgnoreCase));
        if (text < 0)
        {
            throw new InvalidDataException($"{path} has no 'text' column (Triage:HistoryCorpusPath).");
        }

        var texts = new List<string>(Math.Min(take, 10_000));
        while (texts.Count < take && csv.Read())
        {
            if (csv.GetString(text) is { Length: > 0 } value)
            {
                texts.Add(value);
            }
        }

        return texts;
    }
}
