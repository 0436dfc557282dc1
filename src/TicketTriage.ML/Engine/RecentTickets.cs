namespace TicketTriage.ML.Engine;

/// <summary>
/// The engine's memory of recent tickets, in arrival order, by sequence number: when each came, the pattern it was
/// assigned to (merges are followed through the detector's Resolve) and its derived attributes — what the burst
/// tests, the reference population of concentrations and the "already flagged" filter read. Bounded by a time
/// window and a count, never by the total tickets seen. Attribute strings are interned: a fleet repeats a few
/// hundred values over and over.
/// </summary>
internal sealed class RecentTickets
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private Entry[] _ring = new Entry[1024];
    private int _head;   // position of the oldest entry
    private int _count;

    /// <summary>Sequence number of the oldest entry kept.</summary>
    public long FirstSeq { get; private set; }

    public int Count => _count;

    public long NextSeq => FirstSeq + _count;

    public void Add(long seq, long ticks, int pattern, IReadOnlyDictionary<string, string> attributes)
    {
        if (_count == 0)
        {
            FirstSeq = seq;
        }
        else if (seq != NextSeq)
        {
            throw new InvalidOperationException($"Tickets must be recorded in sequence (expected {NextSeq}, got {seq}).");
        }

        if (_count == _ring.Length)
        {
            var grown = new Entry[_ring.Length * 2];
            for (var i = 0; i < _count; i++)
            {
                grown[i] = _ring[(_head + i) % _ring.Length];
            }

            _ring = grown;
            _head = 0;
        }

        var pairs = new KeyValuePair<string, string>[attributes.Count];
        var k = 0;
        foreach (var (key, value) in attributes)
        {
            pairs[k++] = new(Intern(key), Intern(value));
        }

        _ring[(_head + _count) % _ring.Length] = new Entry(ticks, pattern, pairs);
        _count++;
    }

    public bool Contains(long seq) => seq >= FirstSeq && seq < NextSeq;

    public long TicksOf(long seq) => At(seq).Ticks;

    public int AssignedPattern(long seq) => At(seq).Pattern;

    public void Reassign(long seq, int pattern) => At(seq).Pattern = pattern;

    public KeyValuePair<string, string>[] PairsOf(long seq) => At(seq).Attributes;

    /// <summary>Sets one attribute of a kept ticket (a derived one learned late: the change it came from).</summary>
    public void SetAttribute(long seq, string key, string value)
    {
        var entry = At(seq);
        var pairs = entry.Attributes.Where(p => !string.Equals(p.Key, key, StringComparison.Ordinal)).ToList();
        pairs.Add(new(key, value));
        entry.Attributes = [.. pairs];
    }

    public Dictionary<string, string> AttributesOf(long seq)
    {
        var pairs = At(seq).Attributes;
        var result = new Dictionary<string, string>(pairs.Length, StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            result[key] = value;
        }

        return result;
    }

    /// <summary>Drops the oldest entries while they are older than <paramref name="beforeTicks"/> and more than <paramref name="keepAtLeast"/> remain, or more than <paramref name="keepAtMost"/> remain.</summary>
    public void Trim(long beforeTicks, int keepAtLeast, int keepAtMost)
    {
        while (_count > 0 && ((_count > keepAtLeast && _ring[_head].Ticks < beforeTicks) || _count > keepAtMost))
        {
            _ring[_head] = null!;
            _head = (_head + 1) % _ring.Length;
            _count--;
            FirstSeq++;
        }
    }

    /// <summary>Drops interned strings no entry uses any more (after trimming, so the table stays bounded by the window).</summary>
    public void CompactStrings()
    {
        // Only once the table has doubled since it was last compacted: a walk over every kept ticket on each
        // housekeeping was most of housekeeping's time. Which strings are dropped when changes nothing but memory.
        if (_strings.Count < _compactFrom)
        {
            return;
        }

        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < _count; i++)
        {
            foreach (var (key, value) in _ring[(_head + i) % _ring.Length].Attributes)
            {
                used.Add(key);
                used.Add(value);
            }
        }

        if (used.Count * 2 < _strings.Count)
        {
            foreach (var s in _strings.Keys.Where(s => !used.Contains(s)).ToList())
            {
                _strings.Remove(s);
            }
        }

        _compactFrom = Math.Max(MinStringsCompacted, 2 * _strings.Count);
    }

    private const int MinStringsCompacted = 4096;
    private int _compactFrom = MinStringsCompacted;

    private Entry At(long seq)
    {
        if (!Contains(seq))
        {
            throw new ArgumentOutOfRangeException(nameof(seq), seq, "The ticket is no longer among the recent tickets.");
        }

        return _ring[(_head + (int)(seq - FirstSeq)) % _ring.Length];
    }

    private string Intern(string s)
    {
        if (_strings.TryGetValue(s, out var existing))
        {
            return existing;
        }

        _strings[s] = s;
        return s;
    }

    public void Write(BinaryWriter w)
    {
        w.Write(FirstSeq);
        w.Write(_count);
        var table = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        for (var i = 0; i < _count; i++)
        {
            foreach (var (key, value) in _ring[(_head + i) % _ring.Length].Attributes)
            {
                if (table.TryAdd(key, order.Count)) order.Add(key);
                if (table.TryAdd(value, order.Count)) order.Add(value);
            }
        }

        w.Write(order.Count);
        foreach (var s in order)
        {
            w.Write(s);
        }

        for (var i = 0; i < _count; i++)
        {
            var e = _ring[(_head + i) % _ring.Length];
            w.Write(e.Ticks);
            w.Write(e.Pattern);
            w.Write(e.Attributes.Length);
            foreach (var (key, value) in e.Attributes)
            {
                w.Write(table[key]);
                w.Write(table[value]);
            }
        }
    }

    public static RecentTickets Read(BinaryReader r)
    {
        var recent = new RecentTickets();
        var first = r.ReadInt64();
        var count = r.ReadInt32();
        var strings = new string[r.ReadInt32()];
        for (var i = 0; i < strings.Length; i++)
        {
            strings[i] = recent.Intern(r.ReadString());
        }

        recent._ring = new Entry[Math.Max(1024, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, count)))];
        for (var i = 0; i < count; i++)
        {
            var ticks = r.ReadInt64();
            var pattern = r.ReadInt32();
            var pairs = new KeyValuePair<string, string>[r.ReadInt32()];
            for (var k = 0; k < pairs.Length; k++)
            {
                pairs[k] = new(strings[r.ReadInt32()], strings[r.ReadInt32()]);
            }

            recent._ring[i] = new Entry(ticks, pattern, pairs);
        }

        recent._count = count;
        recent.FirstSeq = first;
        return recent;
    }

    private sealed class Entry(long ticks, int pattern, KeyValuePair<string, string>[] attributes)
    {
        public long Ticks { get; } = ticks;

        public int Pattern { get; set; } = pattern;

        public KeyValuePair<string, string>[] Attributes { get; set; } = attributes;
    }
}
