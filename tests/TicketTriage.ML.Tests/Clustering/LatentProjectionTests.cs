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
}
