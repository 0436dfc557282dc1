namespace TicketTriage.ML.Clustering;

/// <summary>
/// Bounded reverse map from feature index to the n-gram it stands for, so hashed features can be named in titles.
/// Once full, new indices are ignored (the first names seen are kept; with hashing, a collision keeps the first term).
/// </summary>
public sealed class TermDictionary(int capacity = 200_000)
{
    private readonly Dictionary<int, string> _names = [];

    public int Capacity { get; } = capacity;

    public int Count => _names.Count;

    public void Record(int index, string term)
    {
        if (_names.Count < Capacity) _names.TryAdd(index, term);
    }

    public bool Contains(int index) => _names.ContainsKey(index);

    public string? NameOf(int index) => _names.GetValueOrDefault(index);

    /// <summary>Re-keys every name by <paramref name="map"/> (a refit renumbers the features; −1 drops a name).</summary>
    internal void Rekey(Func<int, int> map)
    {
        var names = _names.ToList();
        _names.Clear();
        foreach (var (index, term) in names)
        {
            var mapped = map(index);
            if (mapped >= 0) _names.TryAdd(mapped, term);
        }
    }

    internal void Write(BinaryWriter w)
    {
        w.Write(Capacity);
        w.Write(_names.Count);
        foreach (var (k, v) in _names.OrderBy(p => p.Key))
        {
            w.Write(k);
            w.Write(v);
        }
    }

    internal static TermDictionary Read(BinaryReader r)
    {
        var terms = new TermDictionary(r.ReadInt32());
        var n = r.ReadInt32();
        for (var i = 0; i < n; i++) terms._names[r.ReadInt32()] = r.ReadString();
        return terms;
    }
}
