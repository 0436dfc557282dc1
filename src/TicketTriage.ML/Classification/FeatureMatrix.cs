using TicketTriage.ML.Text;

namespace TicketTriage.ML.Classification;

/// <summary>Featurized examples in compressed sparse rows, restricted to the featurizer's vocabulary.</summary>
internal sealed class FeatureMatrix
{
    private FeatureMatrix(int[] rowStart, int[] indices, float[] values)
    {
        RowStart = rowStart;
        Indices = indices;
        Values = values;
    }

    public int[] RowStart { get; }

    public int[] Indices { get; }

    public float[] Values { get; }

    public int Rows => RowStart.Length - 1;

    public static FeatureMatrix Build(TextFeaturizer featurizer, IReadOnlyList<string> texts)
    {
        var buffer = featurizer.CreateBuffer();
        var rowStart = new int[texts.Count + 1];
        var indices = new List<int>(texts.Count * 64);
        var values = new List<float>(texts.Count * 64);
        var vocabulary = featurizer.VocabularySize;
        for (var r = 0; r < texts.Count; r++)
        {
            featurizer.Transform(texts[r], buffer);
            var idx = buffer.Indices;
            var val = buffer.Values;
            for (var k = 0; k < idx.Length; k++)
            {
                // Indices past the vocabulary are unseen n-grams: no weights exist for them.
                if (idx[k] < vocabulary)
                {
                    indices.Add(idx[k]);
                    values.Add(val[k]);
                }
            }

            rowStart[r + 1] = indices.Count;
        }

        return new FeatureMatrix(rowStart, [.. indices], [.. values]);
    }
}
