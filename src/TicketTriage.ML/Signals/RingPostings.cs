namespace TicketTriage.ML.Signals;

/// <summary>
/// An inverted index over the slots of <see cref="SimilarityBaseRate"/>'s ring: for each sparse feature, the slots
/// whose ticket has it, with the ticket's value. A count walks only the lists of the centroid's features, so a slot
/// costs what it shares with the centroid instead of every feature it has (char n-grams make that hundreds a ticket).
/// A slot overwritten by a newer ticket leaves its old postings behind, told apart by a stamp and swept out of a list
/// once they are half of it; so adding a ticket costs a list append per feature, and memory stays within about twice
/// the live postings.
/// </summary>
internal sealed class RingPostings(int capacity, int firstStamp = 1)
{
    private readonly Dictionary<int, List> _lists = [];
    // The stamp each slot's current ticket was added with; a posting is live while its stamp is still its slot's.
    private readonly int[] _stamps = new int[capacity];
    private int _nextStamp = firstStamp; // a test starts near the end to see the stamps start over

    /// <summary>Puts the ticket's features in slot <paramref name="slot"/>, retiring those of the ticket it replaces.</summary>
    public void Replace(int slot, ReadOnlySpan<int> oldIndices, ReadOnlySpan<int> indices, ReadOnlySpan<float> values)
    {
        if (_nextStamp == int.MaxValue)
        {
            // Two billion tickets later: start the stamps over rather than let a retired one come back to life.
            Restamp();
        }

        _stamps[slot] = _nextStamp++;
        foreach (var index in oldIndices)
        {
            if (_lists.TryGetValue(index, out var list) && ++list.Retired * 2 > list.Count)
            {
                list.Sweep(_stamps);
                if (list.Count == 0)
                {
                    _lists.Remove(index);
                }
            }
        }

        for (var i = 0; i < indices.Length; i++)
        {
            if (!_lists.TryGetValue(indices[i], out var list))
            {
                _lists[indices[i]] = list = new List();
            }

            list.Add(new Posting(slot, _stamps[slot], values[i]));
        }
    }

    /// <summary>
    /// The dot product of each slot's ticket with the sparse weights, into <paramref name="dots"/> (one per slot, zeroed
    /// by the caller): the same float products as a scan of the ticket, summed in another order. The lists are split
    /// over the cores by length, each part summing into an array of its own.
    /// </summary>
    public void Dot(Dictionary<int, float> weights, double[] dots)
    {
        var lists = new List<(List List, float Weight)>(weights.Count);
        long postings = 0;
        foreach (var (index, w) in weights)
        {
            if (_lists.TryGetValue(index, out var list))
            {
                lists.Add((list, w));
                postings += list.Count;
            }
        }

        var parts = postings >= ParallelFrom ? Environment.ProcessorCount : 1;
        if (parts == 1)
        {
            Accumulate(lists, 0, lists.Count, dots);
            return;
        }

        // Cut the lists where the running posting count passes each part's share.
        var cuts = new int[parts + 1];
        cuts[parts] = lists.Count;
        long running = 0;
        for (int i = 0, part = 1; i < lists.Count && part < parts; i++)
        {
            running += lists[i].List.Count;
            while (part < parts && running >= postings * part / parts)
            {
                cuts[part++] = i + 1;
            }
        }

        var sums = new double[parts][];
        Parallel.For(0, parts, part =>
        {
            sums[part] = part == 0 ? dots : new double[dots.Length];
            Accumulate(lists, cuts[part], cuts[part + 1], sums[part]);
        });

        for (var part = 1; part < parts; part++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(dots, sums[part], dots);
        }
    }

    // Below this many postings a count stays on one core: a guess, not measured (the hand-off costs a few
    // microseconds, a list walk of this size tens of them).
    private const long ParallelFrom = 50_000;

    private void Accumulate(List<(List List, float Weight)> lists, int from, int to, double[] dots)
    {
        var stamps = _stamps;
        for (var i = from; i < to; i++)
        {
            var w = lists[i].Weight;
            foreach (var p in lists[i].List.Live)
            {
                if (stamps[p.Slot] == p.Stamp)
                {
                    dots[p.Slot] += w * p.Value;
                }
            }
        }
    }

    // Every live posting and slot to stamp 1, the retired ones dropped.
    private void Restamp()
    {
        foreach (var (index, list) in _lists.ToList())
        {
            list.Sweep(_stamps);
            list.Restamp(1);
            if (list.Count == 0)
            {
                _lists.Remove(index);
            }
        }

        Array.Fill(_stamps, 1);
        _nextStamp = 2;
    }

    private readonly record struct Posting(int Slot, int Stamp, float Value);

    private sealed class List
    {
        private Posting[] _items = new Posting[4];

        public int Count { get; private set; }

        /// <summary>Postings retired since the last sweep (an estimate: a sweep recounts).</summary>
        public int Retired { get; set; }

        public ReadOnlySpan<Posting> Live => _items.AsSpan(0, Count);

        public void Add(Posting posting)
        {
            if (Count == _items.Length)
            {
                Array.Resize(ref _items, Count * 2);
            }

            _items[Count++] = posting;
        }

        public void Sweep(int[] stamps)
        {
            var kept = 0;
            for (var i = 0; i < Count; i++)
            {
                if (stamps[_items[i].Slot] == _items[i].Stamp)
                {
                    _items[kept++] = _items[i];
                }
            }

            Count = kept;
            Retired = 0;
            if (Count < _items.Length / 4 && _items.Length > 4)
            {
                Array.Resize(ref _items, Math.Max(4, Count * 2));
            }
        }

        public void Restamp(int stamp)
        {
            for (var i = 0; i < Count; i++)
            {
                _items[i] = _items[i] with { Stamp = stamp };
            }
        }
    }
}
