using TicketTriage.ML.Clustering;

namespace TicketTriage.ML.Tests.Clustering;

public sealed class LatentProjectionTests
{
    // Two topics over disjoint feature ranges, plus synonyms that never co-occur directly within one document but
    // share context words: LSA must put documents of one topic together and keep the topics apart.
    private static List<(int[], float[])> Corpus(int seed, int perTopic)
    {
        var rng = new Random(seed);
        var docs = new List<(int[], float[])>();
        for (var i = 0; i < perTopic * 2; i++)
        {
            var topic = i % 2;
            var features = Enumerable.Range(0, 10).OrderBy(_ => rng.Next()).Take(4).Select(f => (topic * 10) + f).ToArray();
            docs.Add((features, features.Select(_ => 1f).ToArray()));
        }
        return docs;
    }

    private static float Cosine(float[] a, float[] b) =>
        System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a, b);

    [Fact]
    public void Projection_separates_topics_and_joins_documents_that_share_no_feature()
    {
        var lsa = LatentProjection.Fit(Corpus(1, 50), features: 20, dimensions: 2);
        float[] Project(params int[] f)
        {
            var z = new float[2];
            lsa.Project(f, f.Select(_ => 1f).ToArray(), z);
            return z;
        }

        // Same topic, no shared feature: close. Different topics: orthogonal.
        Assert.True(Cosine(Project(0, 1), Project(2, 3)) > 0.9f);
        Assert.True(Math.Abs(Cosine(Project(0, 1), Project(10, 11))) < 0.1f);
        Assert.True(lsa.SingularValues[0] >= lsa.SingularValues[1]);
    }

    [Fact]
    public void Fit_is_deterministic_and_survives_save_and_load()
    {
        var a = LatentProjection.Fit(Corpus(2, 30), 20, 3, seed: 5);
        var b = LatentProjection.Fit(Corpus(2, 30), 20, 3, seed: 5);
        using var buffer = new MemoryStream();
        a.Save(buffer);
        buffer.Position = 0;
        var c = LatentProjection.Load(buffer);

        int[] doc = [1, 4, 12, 19, 25]; // 25 is outside the fitted features and ignored
        float[] values = [1, 2, 1, 0.5f, 3];
        float[] za = new float[3], zb = new float[3], zc = new float[3];
        a.Project(doc, values, za);
        b.Project(doc, values, zb);
        c.Project(doc, values, zc);

        Assert.Equal(za, zb);
        Assert.Equal(za, zc);
        Assert.Equal(a.SingularValues, c.SingularValues);
    }

    [Fact]
    public void Orthonormalizing_in_blocks_on_every_core_is_plain_Gram_Schmidt_to_the_bit()
    {
        // 40 columns: three blocks, the last one short. The blocked, parallel form must round exactly as the loop
        // it replaced, or every figure measured with the old fits (replays, benchmarks) would drift.
        const int Rows = 500, Columns = 40;
        var random = new Random(3);
        var matrix = Enumerable.Range(0, Rows * Columns).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var expected = (float[])matrix.Clone();
        PlainModifiedGramSchmidt(expected, Rows, Columns);

        LatentProjection.Orthonormalize(matrix, Rows, Columns);

        Assert.Equal(expected, matrix);
    }

    [Fact]
    public void A_fit_over_several_column_blocks_is_the_same_every_time()
    {
        var docs = Corpus(4, 200);
        var bytes = Enumerable.Range(0, 3).Select(_ =>
        {
            using var buffer = new MemoryStream();
            LatentProjection.Fit(docs, features: 20, dimensions: 8, oversampling: 12, seed: 9).Save(buffer);
            return buffer.ToArray();
        }).ToList();

        Assert.Equal(bytes[0], bytes[1]);
        Assert.Equal(bytes[0], bytes[2]);
    }

    // The textbook loop, twice over, as the projection first did it: each column against each one before it, in turn.
    private static void PlainModifiedGramSchmidt(float[] m, int rows, int l)
    {
        var cols = Enumerable.Range(0, l).Select(j => Enumerable.Range(0, rows).Select(r => (double)m[(r * l) + j]).ToArray()).ToArray();
        for (var pass = 0; pass < 2; pass++)
        {
            for (var j = 0; j < l; j++)
            {
                for (var k = 0; k < j; k++)
                {
                    var dot = System.Numerics.Tensors.TensorPrimitives.Dot(cols[j], cols[k]);
                    for (var r = 0; r < rows; r++) cols[j][r] -= dot * cols[k][r];
                }
                var norm = Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot(cols[j], cols[j]));
                for (var r = 0; r < rows; r++) cols[j][r] = norm > 1e-12 ? cols[j][r] / norm : 0;
            }
        }
        for (var j = 0; j < l; j++)
            for (var r = 0; r < rows; r++) m[(r * l) + j] = (float)cols[j][r];
    }
}
