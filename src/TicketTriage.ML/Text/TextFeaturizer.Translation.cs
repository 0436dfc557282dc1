namespace TicketTriage.ML.Text;

// Re-expressing features of an earlier fit in this one's space, without the texts: the n-gram hashing does not
// depend on the fit, only the bucket → id numbering and the IDF of each bucket do.
public sealed partial class TextFeaturizer
{
    /// <summary>
    /// How the indices of <paramref name="earlier"/> (a fit with the same hashing options) read in this featurizer:
    /// each index back to its bucket, the bucket to this vocabulary's id (or the unseen range), and the IDF ratio a
    /// value must be multiplied by. A vector of the earlier fit, so mapped and renormalized block by block, is the
    /// vector this featurizer gives the same text.
    /// </summary>
    public IndexTranslation TranslationFrom(TextFeaturizer earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        if (earlier.Options != Options)
        {
            throw new ArgumentException("Only a fit with the same featurizer options can be translated (the n-gram hashing differs).", nameof(earlier));
        }

        var ids = new int[earlier.VocabularySize];
        var ratios = new float[earlier.VocabularySize];
        for (var old = 0; old < ids.Length; old++)
        {
            (ids[old], ratios[old]) = Map(earlier._bucketOfId[old], earlier._idf[old]);
        }

        return new IndexTranslation(this, earlier, ids, ratios);
    }

    private (int Index, float Ratio) Map(int bucket, float earlierIdf)
    {
        var index = IndexOf(bucket);
        return index < 0 ? (-1, 0f) : (index, InverseDocumentFrequency(index) / earlierIdf);
    }

    /// <summary>Index mapping from an earlier fit to a later one (see <see cref="TranslationFrom"/>).</summary>
    public sealed class IndexTranslation
    {
        private readonly TextFeaturizer _to;
        private readonly TextFeaturizer _from;
        private readonly int[] _ids;
        private readonly float[] _ratios;

        internal IndexTranslation(TextFeaturizer to, TextFeaturizer from, int[] ids, float[] ratios)
        {
            (_to, _from, _ids, _ratios) = (to, from, ids, ratios);
        }

        /// <summary>The later fit's index for an earlier index and the factor on its value; index −1: the feature is dropped.</summary>
        public (int Index, float Ratio) Map(int earlierIndex)
        {
            if (earlierIndex < 0)
            {
                return (-1, 0f);
            }

            if (earlierIndex < _ids.Length)
            {
                return (_ids[earlierIndex], _ratios[earlierIndex]);
            }

            // The earlier fit's unseen range: VocabularySize + bucket, at its unseen IDF.
            return _from.Options.KeepUnseen ? _to.Map(earlierIndex - _ids.Length, _from._unseenIdf) : (-1, 0f);
        }
    }
}
