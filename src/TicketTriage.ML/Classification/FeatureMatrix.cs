using TicketTriage.ML.Text;

namespace TicketTriage.ML.Classification;

/// <summary>Featurized examples in compressed sparse rows, restricted to the featurizer's vocabulary.</summary>
internal sealed class FeatureMatrix
{
    private FeatureMatrix(int[] rowStart, int[] indices, float[] values, int[] wordEnd)
    {
        WordEnd = wordEnd;
        RowStart = rowStart;
        Indices = indices;
        Values = values;
    }

    public int[] RowStart { get; }

    public int[] Indices { get; }

    public float[] Values { get; }

    /// <summary>Per row, the end (exclusive) of its word-block features: the char block follows.</summary>
    public int[] WordEnd { get; }

    public int Rows => RowStart.Length - 1;

    /// <summary>Which of the featurizer's blocks a matrix keeps.</summary>
    public enum Blocks
    {
        All,
        WordsOnly,
        CharsOnly,
    }

    /// <summary>The rows restricted to one block.</summary>
    public FeatureMatrix Select(Blocks blocks)
    {
        if (blocks == Blocks.All)
        {
            return this;
        }

        if (WordEnd.Length != Rows)
        {
            throw new InvalidOperationException("Only a matrix built from a featurizer knows its block boundaries.");
        }

        var rowStart = new int[RowStart.Length];
        var indices = new List<int>(Indices.Length);
        var values = new List<float>(Values.Length);
        for (var r = 0; r < Rows; r++)
        {
            var split = WordEnd[r];
            var (from, to) = blocks == Blocks.WordsOnly ? (RowStart[r], split) : (split, RowStart[r + 1]);
            for (var k = from; k < to; k++)
            {
                indices.Add(Indices[k]);
                values.Add(Values[k]);
            }

            rowStart[r + 1] = indices.Count;
        }

        return new FeatureMatrix(rowStart, [.. indices], [.. values], []);
    }

    public static FeatureMatrix Build(TextFeaturizer featurizer, IReadOnlyList<string> texts)
    {
        var buffer = featurizer.CreateBuffer();
        var rowStart = new int[texts.Count + 1];
        var indices = new List<int>(texts.Count * 64);
        var values = new List<float>(texts.Count * 64);
        var vocabulary = featurizer.VocabularySize;
        var wordEnd = new int[texts.Count];
        for (var r = 0; r < texts.Count; r++)
        {
            featurizer.Transform(texts[r], buffer);
            var idx = buffer.Indices;
            var val = buffer.Values;
            for (var k = 0; k < idx.Length; k++)
            {
                if (k == buffer.WordFeatureCount)
                {
                    wordEnd[r] = indices.Count;
                }

                // Indices past the vocabulary are unseen n-grams: no weights exist for them.
                if (idx[k] < vocabulary)
                {
                    indices.Add(idx[k]);
                    values.Add(val[k]);
                }
            }

            if (buffer.WordFeatureCount >= idx.Length)
            {
                wordEnd[r] = indices.Count;
            }

            rowStart[r + 1] = indices.Count;
        }

        return new FeatureMatrix(rowStart, [.. indices], [.. values], wordEnd);
    }
}
