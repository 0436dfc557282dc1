namespace TicketTriage.ML.Clustering;

/// <summary>
/// One pattern's mutable state. The centroid is a time-decayed sum of unit ticket vectors kept in "stored units":
/// true value = stored × <see cref="Scale"/>. Decay multiplies only <see cref="Scale"/>, so adding a member costs
/// O(its terms) instead of O(centroid terms). Cosines ignore the common scale.
/// </summary>
internal sealed class PatternState(int id, int latentDimensions)
{
    public int Id { get; } = id;

    public Dictionary<int, float> Terms { get; } = [];

    public float[]? Latent { get; set; } = latentDimensions > 0 ? new float[latentDimensions] : null;

    public double NormSquared { get; set; }

    public double Scale { get; set; } = 1;

    /// <summary>Decayed member weight, stored units.</summary>
    public double Weight { get; set; }

    public long LastDecayTicks { get; set; }

    public int Size { get; set; }

    public long FirstSeenTicks { get; set; }

    public long LastSeenTicks { get; set; }

    public List<ArrivalCount> Arrivals { get; } = [];

    public Queue<string> Members { get; } = new();

    public Dictionary<string, AttributeCounts> Attributes { get; } = new(StringComparer.Ordinal);

    public int[] IndexedTerms { get; set; } = [];

    // Sorted snapshot of Terms for scoring by merge-join (sequential reads instead of a hash lookup per term);
    // rebuilt lazily after the centroid changes, which happens only to the one pattern a ticket joins.
    private int[] _keys = [];
    private float[] _values = [];
    private int _count;
    private bool _snapshotStale = true;

    public (ReadOnlyMemory<int> Keys, ReadOnlyMemory<float> Values) Snapshot()
    {
        if (_snapshotStale)
        {
            _count = Terms.Count;
            if (_keys.Length < _count)
            {
                // Grown with slack: the snapshot is rebuilt after every update, its arrays should not be.
                _keys = new int[Math.Max(_count, _keys.Length * 2)];
                _values = new float[_keys.Length];
            }
            var n = 0;
            foreach (var (k, v) in Terms)
            {
                _keys[n] = k;
                _values[n++] = v;
            }
            _keys.AsSpan(0, _count).Sort(_values.AsSpan(0, _count));
            _snapshotStale = false;
        }
        return (_keys.AsMemory(0, _count), _values.AsMemory(0, _count));
    }

    public bool IsLive { get; set; } = true;

    public int MergedInto { get; set; } = -1;

    public double Norm => Math.Sqrt(NormSquared);

    /// <summary>Brings the decay scale to <paramref name="ticks"/>; renormalizes when the scale gets tiny.</summary>
    public void DecayTo(long ticks, double halfLifeTicks)
    {
        if (ticks > LastDecayTicks)
        {
            Scale *= Math.Pow(2, -(ticks - LastDecayTicks) / halfLifeTicks);
            LastDecayTicks = ticks;
        }
        if (Scale < 1e-9) Renormalize();
    }

    public void Renormalize()
    {
        _snapshotStale = true;
        var s = (float)Scale;
        foreach (var k in Terms.Keys.ToArray()) Terms[k] *= s;
        if (Latent is not null) for (var i = 0; i < Latent.Length; i++) Latent[i] *= s;
        Weight *= Scale;
        Scale = 1;
        RecomputeNorm();
    }

    public void RecomputeNorm()
    {
        double sum = 0;
        foreach (var v in Terms.Values) sum += (double)v * v;
        if (Latent is not null) foreach (var v in Latent) sum += (double)v * v;
        NormSquared = sum;
    }

    /// <summary>Adds <paramref name="factor"/> × (indices, values; latent) to the centroid in stored units.</summary>
    public void AddVector(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<float> latent, float factor)
    {
        _snapshotStale = true;
        var norm = NormSquared;
        for (var i = 0; i < indices.Length; i++)
        {
            ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(Terms, indices[i], out _);
            var old = slot;
            slot = old + (factor * values[i]);
            norm += ((double)slot * slot) - ((double)old * old);
        }
        if (Latent is not null)
        {
            for (var i = 0; i < latent.Length; i++)
            {
                var old = Latent[i];
                Latent[i] = old + (factor * latent[i]);
                norm += ((double)Latent[i] * Latent[i]) - ((double)old * old);
            }
        }
        NormSquared = Math.Max(0, norm);
    }

    /// <summary>Drops the smallest centroid terms once there are twice the limit (amortized O(1) per added term).</summary>
    public void Prune(int maxTerms)
    {
        if (Terms.Count <= 2 * maxTerms) return;
        var (keys, values) = Snapshot();
        var keep = TopPositions(values.Span, maxTerms);
        Terms.Clear();
        foreach (var i in keep) Terms[keys.Span[i]] = values.Span[i];
        _snapshotStale = true;
        RecomputeNorm();
    }

    /// <summary>The highest-weighted centroid terms, ascending by index.</summary>
    public int[] TopTerms(int count)
    {
        var (keys, values) = Snapshot();
        var top = TopPositions(values.Span, count);
        var result = new int[top.Length];
        for (var i = 0; i < top.Length; i++) result[i] = keys.Span[top[i]];
        Array.Sort(result);
        return result;
    }

    // Positions of the `count` largest values (ties: lower position), by a bounded min-heap: O(n log count).
    internal static int[] TopPositions(ReadOnlySpan<float> values, int count)
    {
        if (values.Length <= count)
        {
            var all = new int[values.Length];
            for (var i = 0; i < all.Length; i++) all[i] = i;
            return all;
        }
        var heap = new int[count];
        var size = 0;
        // Heap order: the root is the worst kept (smallest value, then larger position).
        static bool Worse(ReadOnlySpan<float> v, int a, int b) => v[a] < v[b] || (v[a] == v[b] && a > b);
        for (var i = 0; i < values.Length; i++)
        {
            if (size < count)
            {
                var at = size++;
                heap[at] = i;
                while (at > 0 && Worse(values, heap[at], heap[(at - 1) / 2]))
                {
                    (heap[at], heap[(at - 1) / 2]) = (heap[(at - 1) / 2], heap[at]);
                    at = (at - 1) / 2;
                }
            }
            else if (Worse(values, heap[0], i))
            {
                heap[0] = i;
                var at = 0;
                while (true)
                {
                    int l = (2 * at) + 1, r = l + 1, worst = at;
                    if (l < size && Worse(values, heap[l], heap[worst])) worst = l;
                    if (r < size && Worse(values, heap[r], heap[worst])) worst = r;
                    if (worst == at) break;
                    (heap[at], heap[worst]) = (heap[worst], heap[at]);
                    at = worst;
                }
            }
        }
        return heap;
    }

    /// <summary>Exact dot product with a ticket vector whose indices are sorted ascending, in stored units.</summary>
    public double Dot(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<float> latent)
    {
        var (keysMemory, centroidMemory) = Snapshot();
        var keys = keysMemory.Span;
        var centroid = centroidMemory.Span;
        double dot = 0;
        int i = 0, j = 0;
        while (i < indices.Length && j < keys.Length)
        {
            var d = indices[i] - keys[j];
            if (d == 0) dot += (double)centroid[j] * values[i++]; // a repeated ticket index matches the same term again
            else if (d < 0) i++;
            else j++;
        }
        if (Latent is not null && latent.Length == Latent.Length)
            dot += System.Numerics.Tensors.TensorPrimitives.Dot(Latent, latent);
        return dot;
    }

    /// <summary>Cosine between two centroids (scales cancel).</summary>
    public double Cosine(PatternState other)
    {
        if (NormSquared <= 0 || other.NormSquared <= 0) return 0;
        var (akm, avm) = Snapshot();
        var (bkm, bvm) = other.Snapshot();
        ReadOnlySpan<int> ak = akm.Span, bk = bkm.Span;
        ReadOnlySpan<float> av = avm.Span, bv = bvm.Span;
        double dot = 0;
        int i = 0, j = 0;
        while (i < ak.Length && j < bk.Length)
        {
            var d = ak[i] - bk[j];
            if (d == 0) dot += (double)av[i++] * bv[j++];
            else if (d < 0) i++;
            else j++;
        }
        if (Latent is not null && other.Latent is not null)
            dot += System.Numerics.Tensors.TensorPrimitives.Dot(Latent, other.Latent);
        return dot / (Norm * other.Norm);
    }

    public void CountArrival(long ticks, int seriesMinutes)
    {
        var minute = (ticks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMinute;
        if (Arrivals.Count > 0 && Arrivals[^1].Minute == minute)
            Arrivals[^1] = Arrivals[^1] with { Count = Arrivals[^1].Count + 1 };
        else if (Arrivals.Count > 0 && Arrivals[^1].Minute > minute)
            AddArrivals(minute, 1); // out-of-order ticket: keep the series sorted
        else
            Arrivals.Add(new(minute, 1));
        TrimArrivals(Math.Max(minute, Arrivals[^1].Minute) - seriesMinutes);
    }

    public void AddArrivals(long minute, int count)
    {
        var at = Arrivals.FindIndex(a => a.Minute >= minute);
        if (at < 0) Arrivals.Add(new(minute, count));
        else if (Arrivals[at].Minute == minute) Arrivals[at] = Arrivals[at] with { Count = Arrivals[at].Count + count };
        else Arrivals.Insert(at, new(minute, count));
    }

    public void TrimArrivals(long oldestMinuteExclusive)
    {
        var drop = 0;
        while (drop < Arrivals.Count && Arrivals[drop].Minute <= oldestMinuteExclusive) drop++;
        if (drop > 0) Arrivals.RemoveRange(0, drop);
    }

    public void AddMember(string ticketId, int maxMembers)
    {
        if (maxMembers == 0) return;
        Members.Enqueue(ticketId);
        while (Members.Count > maxMembers) Members.Dequeue();
    }
}

/// <summary>Value counts of one attribute key inside one pattern.</summary>
internal sealed class AttributeCounts
{
    public Dictionary<string, int> Values { get; } = new(StringComparer.Ordinal);

    public int Total { get; set; }

    /// <summary>Simpson index Σ share²: 1 when every ticket has the same value, ≈ 1/n when spread over n values.</summary>
    public double Concentration()
    {
        if (Total == 0) return 0;
        double sum = 0;
        foreach (var c in Values.Values) sum += (double)c * c;
        return sum / ((double)Total * Total);
    }

    public double Share(string value) => Total == 0 ? 0 : (double)Values.GetValueOrDefault(value) / Total;

    public void Add(string value, int count, int maxValues)
    {
        Total += count;
        if (Values.ContainsKey(value) || Values.Count < maxValues) Values[value] = Values.GetValueOrDefault(value) + count;
    }
}
