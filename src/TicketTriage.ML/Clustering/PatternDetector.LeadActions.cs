namespace TicketTriage.ML.Clustering;

/// <summary>A ticket a person moves between patterns, featurized as it is read now.</summary>
/// <param name="TicketId">The id it was assigned under (see <see cref="PatternDetector.Assign"/>).</param>
public sealed record MovedMember(string TicketId, ClusterItem Item, DateTimeOffset At, IReadOnlyDictionary<string, string>? Attributes);

// A lead's corrections: tickets taken out of one pattern and put into another, or into a new one (a split).
public sealed partial class PatternDetector
{
    /// <summary>
    /// Moves <paramref name="members"/> out of <paramref name="from"/> into <paramref name="into"/>, or into a new
    /// pattern when <paramref name="into"/> is negative. Each ticket's vector leaves the source centroid with the
    /// weight it has decayed to since it arrived, and joins the target as an assignment at its own time would have.
    /// A source left empty is retired. Both ids must be surviving ones. Returns the target's id.
    /// </summary>
    public int MoveMembers(int from, int into, IReadOnlyList<MovedMember> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (from == into) throw new ArgumentException("Tickets cannot move into the pattern they are in.", nameof(into));
        if (_patterns[from].MergedInto >= 0 || (into >= 0 && _patterns[into].MergedInto >= 0))
            throw new InvalidOperationException("Move between surviving patterns only (Resolve the ids first).");
        if (members.Count == 0) throw new ArgumentException("Nothing to move.", nameof(members));

        var ordered = members.OrderBy(m => m.At).ToList();
        var source = _patterns[from];
        var target = into >= 0 ? _patterns[into] : Create(ordered[0].At.UtcTicks);
        foreach (var member in ordered)
        {
            var (indices, values) = Sorted(member.Item);
            var latent = member.Item.Latent ?? [];
            var norm = Norm(values, latent);
            RemoveMember(source, member.TicketId, indices, values, latent, norm, member.At.UtcTicks, member.Attributes);
            AddMember(target, member.TicketId, indices, values, latent, norm, member.At.UtcTicks, member.Attributes);
        }

        source.Prune(Options.MaxCentroidTerms);
        if (source.Size <= 0)
        {
            source.Size = 0;
            Retire(source);
        }

        Reindex(source, force: true);
        Reindex(target, force: true);
        _changed.Add(source.Id);
        return target.Id;
    }

    private void RemoveMember(
        PatternState p, string ticketId, int[] indices, float[] values, float[] latent, double norm, long ticks,
        IReadOnlyDictionary<string, string>? attributes)
    {
        if (norm > 0)
        {
            // It went in as 1/(norm·scale) at its own time; since then the scale shrank by 2^(-age/half-life).
            var age = Math.Max(0, p.LastDecayTicks - ticks);
            var weight = Math.Pow(2, -age / (double)Options.HalfLife.Ticks) / p.Scale;
            p.AddVector(indices, values, latent, (float)(-weight / norm));
            p.Weight = Math.Max(0, p.Weight - weight);
        }

        p.Size--;
        p.AddArrivals((ticks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMinute, -1);
        p.Arrivals.RemoveAll(a => a.Count <= 0);
        if (p.Members.Contains(ticketId))
        {
            var kept = p.Members.Where(m => m != ticketId).ToList();
            p.Members.Clear();
            foreach (var m in kept) p.Members.Enqueue(m);
        }

        if (attributes is not null)
            foreach (var (key, value) in attributes)
                if (p.Attributes.TryGetValue(key, out var counts) && counts.Values.ContainsKey(value))
                {
                    counts.Add(value, -1, Options.MaxAttributeValues);
                    if (counts.Values[value] <= 0) counts.Values.Remove(value);
                }
    }

    private static (int[] Indices, float[] Values) Sorted(ClusterItem item)
    {
        var indices = (int[])item.Indices.Clone();
        var values = (float[])item.Values.Clone();
        Array.Sort(indices, values);
        return (indices, values);
    }

    private static double Norm(float[] values, float[] latent) =>
        Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot<float>(values, values) + System.Numerics.Tensors.TensorPrimitives.Dot<float>(latent, latent));
}
