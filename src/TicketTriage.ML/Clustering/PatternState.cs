namespace TicketTriage.ML.Clustering;

/// <summary>
/// One pattern's mutable state. The centroid is a time-decayed sum of unit ticket vectors kept in "stored units":
/// true value = stored × <see cref="Scale"/>. Decay multiplies only <see cref="Scale"/>, so adding a member costs
/// O(its terms) instead of O(centroid terms). Cosines ignore the common scale.
/// </summary>
internal sealed class PatternState(int id, int latentDimensions)
{
    public int Id { get; } = id;

    // The centroid's sparse part as parallel arrays sorted by feature index: scoring is a merge-join (sequential
    // reads), and adding a sorted ticket vector is a merge into the spare buffers, O(terms), with no re-sorting.
    private int[] _keys = [];
    private float[] _values = [];
    private int _count;

    // Merge scratch shared by all patterns (one writer per detector): a pattern keeps only its own terms.
    [ThreadStatic] private static int[]? s_scratchKeys;
    [ThreadStatic] private static float[]? s_scratchValues;
    [ThreadStatic] private static float[]? s_scratchSelect;

    public int TermCount => _count;

    public ReadOnlySpan<int> Keys => _keys.AsSpan(0, _count);

    public ReadOnlySpan<float> Values => _values.AsSpan(0, _count);

    /// <summary>Stored value of one term (0 when absent), by binary search.</summary>
    public float ValueOf(int key)
    {
        var at = Keys.BinarySearch(key);
        return at >= 0 ? _values[at] : 0f;
    }

    public void ClearTerms()
    {
        _keys = [];
        _values = [];
        _count = 0;
    }

    /// <summary>Replaces the terms (ascending, unique keys), e.g. when loading.</summary>
    public void SetTerms(int[] keys, float[] values)
    {
        _keys = keys;
        _values = values;
        _count = keys.Length;
    }

    public float[]? Latent { get; set; } = latentDimensions > 0 ? new float[latentDimensions] : null;

    public double NormSquared { get; set; }

    public double Scale { get; set; } = 1;

    /// <summary>Decayed member weight, stored units.</summary>
    public double Weight { get; set; }

    public long LastDecayTicks { get; set; }

    public int Size { get; set; }

    public long FirstSeenTicks { get; set; }

    public long LastSeenTicks { get; set; }

    /// <summary>The detector's count of everyday tickets when the latest member joined: where in the stream it was last seen.</summary>
    public long LastSeenEveryday { get; set; }

    public List<ArrivalCount> Arrivals { get; } = [];

    public Queue<string> Members { get; } = new();

    public Dictionary<string, AttributeCounts> Attributes { get; } = new(StringComparer.Ordinal);

    public int[] IndexedTerms { get; set; } = [];

    /// <summary>The posting weight of each indexed term as it was when indexed (saved, so a restored index ranks alike).</summary>
    public float[] IndexedWeights { get; set; } = [];

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
        var s = (float)Scale;
        System.Numerics.Tensors.TensorPrimitives.Multiply(_values.AsSpan(0, _count), s, _values.AsSpan(0, _count));
        if (Latent is not null) for (var i = 0; i < Latent.Length; i++) Latent[i] *= s;
        Weight *= Scale;
        Scale = 1;
        RecomputeNorm();
    }

    public void RecomputeNorm()
    {
        double sum = 0;
        foreach (var v in Values) sum += (double)v * v;
        if (Latent is not null) foreach (var v in Latent) sum += (double)v * v;
        NormSquared = sum;
    }

    /// <summary>
    /// Adds <paramref name="factor"/> × (indices, values; latent) to the centroid in stored units. Indices must be
    /// ascending; a repeated index adds to the same term.
    /// </summary>
    public void AddVector(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<float> latent, float factor)
    {
        var need = _count + indices.Length;
        if (s_scratchKeys is null || s_scratchKeys.Length < need)
        {
            s_scratchKeys = new int[Math.Max(need, 1024)];
            s_scratchValues = new float[s_scratchKeys.Length];
        }
        var spareKeys = s_scratchKeys;
        var spareValues = s_scratchValues!;
        var norm = NormSquared;
        int i = 0, j = 0, n = 0;
        while (i < _count || j < indices.Length)
        {
            if (j >= indices.Length || (i < _count && _keys[i] < indices[j]))
            {
                spareKeys[n] = _keys[i];
                spareValues[n++] = _values[i++];
                continue;
            }
            var key = indices[j];
            float old = 0;
            if (i < _count && _keys[i] == key) old = _values[i++];
            var sum = old;
            while (j < indices.Length && indices[j] == key) sum += factor * values[j++];
            norm += ((double)sum * sum) - ((double)old * old);
            spareKeys[n] = key;
            spareValues[n++] = sum;
        }
        if (_keys.Length < n)
        {
            // A quarter of slack: a pattern's next tickets mostly repeat its terms, so regrowth is rare.
            _keys = new int[n + (n / 4)];
            _values = new float[_keys.Length];
        }
        spareKeys.AsSpan(0, n).CopyTo(_keys);
        spareValues.AsSpan(0, n).CopyTo(_values);
        _count = n;
        if (Latent is not null)
        {
            for (var k = 0; k < latent.Length; k++)
            {
                var old = Latent[k];
                Latent[k] = old + (factor * latent[k]);
                norm += ((double)Latent[k] * Latent[k]) - ((double)old * old);
            }
        }
        NormSquared = Math.Max(0, norm);
    }

    /// <summary>Drops the smallest centroid terms once there are twice the limit (amortized O(1) per added term).</summary>
    /// <remarks>
    /// Keeps what <see cref="TopPositions"/> would — the largest values, ties to the lower position — found by a
    /// selection in linear time: a long ticket (500 terms) makes every update of a large pattern prune, and the heap
    /// over the whole centroid was the largest part of an assignment. The kept terms get arrays of their own size, as
    /// before, so a pruned centroid holds no slack.
    /// </remarks>
    public void Prune(int maxTerms)
    {
        if (_count <= 2 * maxTerms) return;
        var threshold = LargestAt(Values, maxTerms);
        var above = 0;
        foreach (var v in Values)
        {
            if (v > threshold) above++;
        }

        var ties = maxTerms - above;
        var n = 0;
        var keys = new int[maxTerms];
        var values = new float[maxTerms];
        for (var i = 0; i < _count; i++)
        {
            var v = _values[i];
            if (v > threshold || (v == threshold && ties-- > 0))
            {
                keys[n] = _keys[i];
                values[n++] = v;
            }
        }

        (_keys, _values, _count) = (keys, values, n);
        RecomputeNorm();
    }

    // The rank-th largest of the values (rank from 1), by quickselect on a scratch copy: O(n) on average.
    private static float LargestAt(ReadOnlySpan<float> values, int rank)
    {
        if (s_scratchSelect is null || s_scratchSelect.Length < values.Length)
        {
            s_scratchSelect = new float[Math.Max(values.Length, 1024)];
        }

        var a = s_scratchSelect.AsSpan(0, values.Length);
        values.CopyTo(a);
        var (lo, hi, k) = (0, a.Length - 1, rank - 1);
        while (lo < hi)
        {
            // Descending partition around the median of three (Hoare).
            var mid = lo + ((hi - lo) / 2);
            var pivot = Median(a[lo], a[mid], a[hi]);
            int i = lo, j = hi;
            while (i <= j)
            {
                while (a[i] > pivot) i++;
                while (a[j] < pivot) j--;
                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return a[k];
        }

        return a[k];
    }

    private static float Median(float a, float b, float c) =>
        a > b ? (b > c ? b : a > c ? c : a) : (a > c ? a : b > c ? c : b);

    /// <summary>The highest-weighted centroid terms, ascending by index.</summary>
    public int[] TopTerms(int count)
    {
        var top = TopPositions(Values, count);
        var result = new int[top.Length];
        for (var i = 0; i < top.Length; i++) result[i] = _keys[top[i]];
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
        var keys = Keys;
        var centroid = Values;
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
        ReadOnlySpan<int> ak = Keys, bk = other.Keys;
        ReadOnlySpan<float> av = Values, bv = other.Values;
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
