namespace TicketTriage.ML.Signals;

// A ticket's stored pairs read as a dictionary without copying them (Concentration.Matches asks one or two keys).
internal readonly struct AttributeView(KeyValuePair<string, string>[] pairs) : IReadOnlyDictionary<string, string>
{
    public string this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => pairs.Select(p => p.Key);

    public IEnumerable<string> Values => pairs.Select(p => p.Value);

    public int Count => pairs.Length;

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, out string value)
    {
        foreach (var (k, v) in pairs)
        {
            if (string.Equals(k, key, StringComparison.Ordinal))
            {
                value = v;
                return true;
            }
        }

        value = "";
        return false;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)pairs).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => pairs.GetEnumerator();
}
