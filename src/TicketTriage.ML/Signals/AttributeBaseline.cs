namespace TicketTriage.ML.Signals;

/// <summary>
/// Counts of attribute values over the baseline population of tickets (typically every ticket of the recent past,
/// pattern members included). Marginal counts only: O(distinct values) memory however many tickets it has seen,
/// so the web app can keep one per time window instead of the tickets themselves.
/// </summary>
public sealed class AttributeBaseline
{
    private readonly Dictionary<string, Dictionary<string, int>> _counts = new(StringComparer.Ordinal);

    /// <summary>Number of tickets in the baseline.</summary>
    public int Count { get; private set; }

    public void Add(IReadOnlyDictionary<string, string> attributes) => Apply(attributes, +1);

    /// <summary>Adds one ticket given as key/value pairs.</summary>
    public void Add(IEnumerable<KeyValuePair<string, string>> attributes) => Apply(attributes, +1);

    /// <summary>Takes a ticket out again (it left the time window).</summary>
    public void Remove(IReadOnlyDictionary<string, string> attributes) => Apply(attributes, -1);

    /// <summary>How many baseline tickets have <paramref name="key"/> = <paramref name="value"/>.</summary>
    public int CountOf(string key, string value) =>
        _counts.TryGetValue(key, out var values) && values.TryGetValue(value, out var count) ? count : 0;

    /// <summary>The attribute keys seen.</summary>
    public IEnumerable<string> Keys => _counts.Where(e => e.Value.Count > 0).Select(e => e.Key);

    /// <summary>Adds the counts of another population (e.g. two periods of a reference).</summary>
    public void Add(AttributeBaseline other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Count += other.Count;
        foreach (var (key, values) in other._counts)
        {
            if (!_counts.TryGetValue(key, out var mine))
            {
                mine = new Dictionary<string, int>(StringComparer.Ordinal);
                _counts[key] = mine;
            }

            foreach (var (value, count) in values)
            {
                mine[value] = mine.GetValueOrDefault(value) + count;
            }
        }
    }

    /// <summary>The values seen for <paramref name="key"/> with their counts.</summary>
    public IReadOnlyDictionary<string, int> ValuesOf(string key) =>
        _counts.TryGetValue(key, out var values) ? values : EmptyValues;

    private static readonly Dictionary<string, int> EmptyValues = new(StringComparer.Ordinal);

    private void Apply(IEnumerable<KeyValuePair<string, string>> attributes, int delta)
    {
        Count += delta;
        foreach (var (key, value) in attributes)
        {
            if (!_counts.TryGetValue(key, out var values))
            {
                values = new Dictionary<string, int>(StringComparer.Ordinal);
                _counts[key] = values;
            }

            var updated = values.GetValueOrDefault(value) + delta;
            if (updated <= 0)
            {
                values.Remove(value);
            }
            else
            {
                values[value] = updated;
            }
        }
    }
}
