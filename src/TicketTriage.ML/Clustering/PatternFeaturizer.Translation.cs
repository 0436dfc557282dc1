using System.Numerics.Tensors;
using TicketTriage.ML.Text;

namespace TicketTriage.ML.Clustering;

// A refit moves the pattern vectors to a new space: new vocabulary ids, new IDF, a new latent block.
public sealed partial class PatternFeaturizer
{
    /// <summary>
    /// How vectors of <paramref name="earlier"/> (a fit with the same text options) read in this featurizer, so state
    /// built from them (centroids, member vectors) carries over a refit without the texts.
    /// </summary>
    public FeatureSpaceTranslation TranslationFrom(PatternFeaturizer earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return new FeatureSpaceTranslation(this, Text.TranslationFrom(earlier.Text));
    }
}

/// <summary>
/// Re-expresses pattern vectors of an earlier featurizer in a later one. The sparse block translates exactly up to
/// its normalization: each index goes back to its hash bucket and on to the new vocabulary id, each value is
/// multiplied by the ratio of the new IDF to the old, and the block is renormalized as a whole (the featurizer
/// normalizes the word and char blocks each on its own, which a translated vector cannot tell apart: a cosine of
/// ≈ 0.99+ with the text featurized afresh). The latent block is the new projection of the translated sparse block
/// (the projection is linear). Not thread-safe (it caches translated vectors, which are shared between the base-rate
/// ring and the patterns' recent members).
/// </summary>
public sealed class FeatureSpaceTranslation
{
    private readonly PatternFeaturizer _to;
    private readonly TextFeaturizer.IndexTranslation _indices;
    private readonly Dictionary<ClusterItem, ClusterItem> _translated = new(ReferenceEqualityComparer.Instance);

    internal FeatureSpaceTranslation(PatternFeaturizer to, TextFeaturizer.IndexTranslation indices)
    {
        _to = to;
        _indices = indices;
    }

    /// <summary>The later featurizer's latent width (the detector's must follow it).</summary>
    public int LatentDimensions => _to.LatentDimensions;

    /// <summary>The later index of an earlier one (−1: dropped), e.g. for term names keyed by index.</summary>
    public int MapIndex(int earlierIndex) => _indices.Map(earlierIndex).Index;

    /// <summary>The later index and IDF ratio of an earlier one (index −1: dropped).</summary>
    public (int Index, float Ratio) Map(int earlierIndex) => _indices.Map(earlierIndex);

    /// <summary>A ticket vector of the earlier featurizer as the later one gives it (the same object for the same input).</summary>
    public ClusterItem Translate(ClusterItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (_translated.TryGetValue(item, out var done))
        {
            return done;
        }

        var (indices, values) = Sparse(item.Indices, item.Values);
        Normalize(values, _to.Options.SparseWeight);
        float[]? latent = null;
        if (_to.Latent is { } projection)
        {
            latent = new float[projection.Dimensions];
            projection.Project(indices, values, latent);
            Normalize(latent, _to.Options.LatentWeight);
        }

        var result = new ClusterItem(indices, values, latent);
        _translated[item] = result;
        return result;
    }

    /// <summary>
    /// A sum of ticket vectors (a centroid, in any common scale) re-expressed: the translated sparse direction with
    /// the sparse block's old length, and the new projection of it with the latent block's old length. When the
    /// earlier featurizer had no latent block, the sparse length is split between the two blocks as the later
    /// featurizer weights them, so each member still counts as one unit vector. Keys stay ascending and unique.
    /// </summary>
    public (int[] Keys, float[] Values, float[]? Latent) TranslateSum(ReadOnlySpan<int> keys, ReadOnlySpan<float> values, float[]? latent)
    {
        var (newKeys, newValues) = Sparse(keys, values);
        var sparseMass = TensorPrimitives.Norm(values);
        var latentMass = latent is null ? 0f : TensorPrimitives.Norm(latent);
        var projection = _to.Latent;
        if (projection is not null && latent is null)
        {
            var (s, l) = (_to.Options.SparseWeight, _to.Options.LatentWeight);
            var total = sparseMass;
            sparseMass = total * s / MathF.Sqrt((s * s) + (l * l));
            latentMass = total * l / MathF.Sqrt((s * s) + (l * l));
        }

        Normalize(newValues, sparseMass);
        float[]? newLatent = null;
        if (projection is not null)
        {
            newLatent = new float[projection.Dimensions];
            projection.Project(newKeys, newValues, newLatent);
            Normalize(newLatent, latentMass);
        }

        return (newKeys, newValues, newLatent);
    }

    // Mapped indices with IDF-rescaled values, sorted by the new index (a dropped feature is left out).
    private (int[] Indices, float[] Values) Sparse(ReadOnlySpan<int> indices, ReadOnlySpan<float> values)
    {
        var newIndices = new List<int>(indices.Length);
        var newValues = new List<float>(indices.Length);
        for (var i = 0; i < indices.Length; i++)
        {
            var (index, ratio) = _indices.Map(indices[i]);
            if (index >= 0)
            {
                newIndices.Add(index);
                newValues.Add(values[i] * ratio);
            }
        }

        var (a, b) = (newIndices.ToArray(), newValues.ToArray());
        Array.Sort(a, b);
        return (a, b);
    }

    private static void Normalize(float[] values, float length)
    {
        var norm = TensorPrimitives.Norm(values);
        if (norm > 0)
        {
            TensorPrimitives.Multiply(values, length / norm, values);
        }
    }
}
