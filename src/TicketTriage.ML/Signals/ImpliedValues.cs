namespace TicketTriage.ML.Signals;

/// <summary>
/// What a value of one attribute implies of the others, learned from the tickets: a server's datacenter, its region.
/// A key is implied by a value when the tickets seen with that value all carried one value of it. A change names its
/// targets on one key (servers); an incident may be gated on another (the datacenter its first batches were in), and
/// what the change's targets imply of that key is where the incident can still go.
/// </summary>
public sealed class ImpliedValues(int minTickets = 3, int maxValues = 100_000)
{
    private sealed class Seen
    {
        public int Tickets;

        // Per other key: its one value so far, or null once the tickets disagreed (or the first did not carry it).
        public Dictionary<string, string?> Implied { get; } = new(StringComparer.Ordinal);
    }

    private readonly Dictionary<(string Key, string Value), Seen> _seen = [];

    /// <summary>Learns from one ticket's attributes what the values it carries of <paramref name="keys"/> imply.</summary>
    public void Observe(IReadOnlyDictionary<string, string> attributes, IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            if (!attributes.TryGetValue(key, out var value))
            {
                continue;
            }

            if (!_seen.TryGetValue((key, value), out var seen))
            {
                if (_seen.Count >= maxValues)
                {
                    continue;
                }

                seen = new Seen();
                _seen[(key, value)] = seen;
            }

            foreach (var (other, v) in attributes)
            {
                if (other == key || TicketAttributes.NotConcentrations.Contains(other))
                {
                    continue;
                }

                if (seen.Tickets == 0)
                {
                    seen.Implied[other] = v;
                }
                else if (!seen.Implied.TryGetValue(other, out var one) || (one is not null && one != v))
                {
                    seen.Implied[other] = null;
                }
            }

            seen.Tickets++;
        }
    }

    /// <summary>
    /// The values of <paramref name="key"/> the given values imply, from those seen on at least minTickets tickets
    /// (the rest are skipped: too little to say); none when any of them came with several values of it.
    /// </summary>
    public IReadOnlyList<string> Of(string key, IReadOnlyDictionary<string, IReadOnlyList<string>> given)
    {
        var result = new List<string>();
        foreach (var (givenKey, values) in given)
        {
            foreach (var value in values)
            {
                if (!_seen.TryGetValue((givenKey, value), out var seen) || seen.Tickets < minTickets)
                {
                    continue;
                }

                if (!seen.Implied.TryGetValue(key, out var implied) || implied is null)
                {
                    return [];
                }

                result.Add(implied);
            }
        }

        return result;
    }

    internal void Write(BinaryWriter w)
    {
        w.Write(_seen.Count);
        foreach (var ((key, value), seen) in _seen.OrderBy(s => s.Key.Key, StringComparer.Ordinal).ThenBy(s => s.Key.Value, StringComparer.Ordinal))
        {
            w.Write(key);
            w.Write(value);
            w.Write(seen.Tickets);
            w.Write(seen.Implied.Count);
            foreach (var (other, one) in seen.Implied.OrderBy(i => i.Key, StringComparer.Ordinal))
            {
                w.Write(other);
                w.Write(one is not null);
                w.Write(one ?? "");
            }
        }
    }

    internal void Read(BinaryReader r)
    {
        _seen.Clear();
        var count = r.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var key = (r.ReadString(), r.ReadString());
            var seen = new Seen { Tickets = r.ReadInt32() };
            var implied = r.ReadInt32();
            for (var k = 0; k < implied; k++)
            {
                var other = r.ReadString();
                var known = r.ReadBoolean();
                var one = r.ReadString();
                seen.Implied[other] = known ? one : null;
            }

            _seen[key] = seen;
        }
    }
}
