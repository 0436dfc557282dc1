namespace TicketTriage.ML.Clustering;

// Carrying the detector over a refit of the featurizer: everything keyed by feature index moves to the new space.
public sealed partial class PatternDetector
{
    /// <summary>
    /// Re-expresses the detector's state in a refitted featurizer's space: centroids (direction translated, mass
    /// kept, latent block re-projected at the new width), the term names and background weights the titles read, and
    /// the inverted index, rebuilt from the translated centroids. Patterns keep their ids, sizes, arrivals and members.
    /// </summary>
    public void Reexpress(FeatureSpaceTranslation translation)
    {
        ArgumentNullException.ThrowIfNull(translation);
        LatentDimensions = translation.LatentDimensions;
        foreach (var p in _patterns)
        {
            var hadLatent = p.Latent is not null;
            if (p.TermCount > 0 || hadLatent)
            {
                var (keys, values, latent) = translation.TranslateSum(p.Keys, p.Values, p.Latent);
                p.SetTerms(keys, values);
                // A merged-away pattern keeps no centroid; any other carries a latent block of the detector's width.
                p.Latent = hadLatent || p.MergedInto < 0 ? latent : null;
                p.RecomputeNorm();
            }
            else if (p.MergedInto < 0)
            {
                p.Latent = LatentDimensions > 0 ? new float[LatentDimensions] : null;
            }
        }

        Terms.Rekey(translation.MapIndex);
        var background = _background.ToList();
        _background.Clear();
        foreach (var (index, weight) in background)
        {
            var (mapped, ratio) = translation.Map(index);
            if (mapped >= 0) _background[mapped] = _background.GetValueOrDefault(mapped) + (weight * ratio);
        }

        _index.Clear();
        foreach (var p in _patterns)
        {
            p.IndexedTerms = [];
            p.IndexedWeights = [];
            Reindex(p, force: true);
        }
    }

    /// <summary>
    /// Rebuilds a live pattern's centroid from all its member vectors (already in the current space, in arrival
    /// order), as it was built: each added at unit length, decayed by the half-life. Exact where
    /// <see cref="Reexpress"/> translates the decayed sum as a whole (one direction for the latent block).
    /// </summary>
    public void RebuildCentroid(int patternId, IReadOnlyList<(ClusterItem Item, long Ticks)> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var p = _patterns[patternId];
        if (!p.IsLive || p.MergedInto >= 0 || members.Count == 0) return;
        var decayedTo = p.LastDecayTicks;
        p.ClearTerms();
        p.Latent = LatentDimensions > 0 ? new float[LatentDimensions] : null;
        (p.NormSquared, p.Scale, p.Weight, p.LastDecayTicks) = (0, 1, 0, members[0].Ticks);
        foreach (var (item, ticks) in members)
        {
            p.DecayTo(ticks, Options.HalfLife.Ticks);
            var latent = item.Latent ?? [];
            var norm = Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot(item.Values, item.Values) + System.Numerics.Tensors.TensorPrimitives.Dot(latent, latent));
            if (norm <= 0) continue;
            p.AddVector(item.Indices, item.Values, latent.Length == LatentDimensions ? latent : new float[LatentDimensions], (float)(1 / (norm * p.Scale)));
            p.Weight += 1 / p.Scale;
            p.Prune(Options.MaxCentroidTerms);
        }

        p.DecayTo(decayedTo, Options.HalfLife.Ticks);
        Reindex(p, force: true);
    }
}
