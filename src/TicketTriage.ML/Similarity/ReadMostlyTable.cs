namespace TicketTriage.ML.Similarity;

/// <summary>
/// A 64-bit key → non-negative int map for one writer and any number of lock-free readers (open addressing,
/// linear probing). A slot's value is written after its key with release semantics, so a reader that sees a value
/// sees its key; growing builds a new table and publishes it whole. Entries are never removed or changed.
/// About 24 bytes per entry (12-byte slots, at most 3/4 full, doubling).
/// </summary>
internal sealed class ReadMostlyTable
{
    private sealed class Slots
    {
        public Slots(int size)
        {
            Keys = new ulong[size];
            Values = new int[size];
            Array.Fill(Values, -1);
            Mask = size - 1;
        }

        public readonly ulong[] Keys;
        public readonly int[] Values;
        public readonly int Mask;
    }

    private Slots _slots = new(1024);
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public long ApproximateBytes => Volatile.Read(ref _slots).Keys.LongLength * 12;

    public bool TryGetValue(ulong key, out int value)
    {
        var slots = Volatile.Read(ref _slots);
        var i = (int)Spread(key) & slots.Mask;
        while (true)
        {
            var v = Volatile.Read(ref slots.Values[i]);
            if (v < 0)
            {
                value = -1;
                return false;
            }

            if (slots.Keys[i] == key)
            {
                value = v;
                return true;
            }

            i = (i + 1) & slots.Mask;
        }
    }

    /// <summary>Writer only; <paramref name="key"/> must not be present.</summary>
    public void Add(ulong key, int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        var slots = _slots;
        if ((_count + 1) * 4L > slots.Keys.LongLength * 3)
        {
            slots = Grow(slots);
        }

        Insert(slots, key, value);
        Volatile.Write(ref _count, _count + 1);
    }

    private Slots Grow(Slots old)
    {
        var grown = new Slots(old.Keys.Length * 2);
        for (var i = 0; i < old.Keys.Length; i++)
        {
            if (old.Values[i] >= 0)
            {
                Insert(grown, old.Keys[i], old.Values[i]);
            }
        }

        Volatile.Write(ref _slots, grown);
        return grown;
    }

    private static void Insert(Slots slots, ulong key, int value)
    {
        var i = (int)Spread(key) & slots.Mask;
        while (slots.Values[i] >= 0)
        {
            i = (i + 1) & slots.Mask;
        }

        slots.Keys[i] = key;
        Volatile.Write(ref slots.Values[i], value);
    }

    // Keys are hashes already, but ticket ids are not: fold the high bits in.
    private static ulong Spread(ulong key) => (key ^ (key >> 29)) * 0xBF58476D1CE4E5B9 >> 16;
}
