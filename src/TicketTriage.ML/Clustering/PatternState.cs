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
        var keep = Terms.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Take(maxTerms).ToArray();
        Terms.Clear();
        foreach (var (k, v) in keep) Terms[k] = v;
        RecomputeNorm();
    }

    /// <summary>Exact dot product with a ticket vector, in stored units.</summary>
    public double Dot(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<float> latent)
    {
        double dot = 0;
        for (var i = 0; i < indices.Length; i++)
            if (Terms.TryGetValue(indices[i], out var c)) dot += (double)c * values[i];
        if (Latent is not null && latent.Length == Latent.Length)
            dot += System.Numerics.Tensors.TensorPrimitives.Dot(Latent, latent);
        return dot;
    }

    /// <summary>Cosine between two centroids (scales cancel).</summary>
    public double Cosine(PatternState other)
    {
        if (NormSquared <= 0 || other.NormSquared <= 0) return 0;
        var (small, large) = Terms.Count <= other.Terms.Count ? (this, other) : (other, this);
        double dot = 0;
        foreach (var (k, v) in small.Terms)
            if (large.Terms.TryGetValue(k, out var w)) dot += (double)v * w;
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
