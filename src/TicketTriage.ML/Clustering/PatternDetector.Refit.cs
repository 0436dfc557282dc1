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
}
