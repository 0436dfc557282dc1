using System.Numerics.Tensors;
using TicketTriage.ML.Text;

namespace TicketTriage.ML.Tests.Text;

public sealed class TextFeaturizerTests
{
    private static readonly string[] Corpus =
    [
        "My website is down with a 500 error",
        "Website down, 503 service unavailable",
        "Cannot log in to webmail",
        "Email bounces with 550 mailbox unavailable",
        "SSL certificate expired on shop.example.com",
    ];

    [Fact]
    public void Transform_EachBlockHasUnitNorm()
    {
        var featurizer = TextFeaturizer.Fit(Corpus, new FeaturizerOptions { WordWeight = 1f, CharWeight = 1f });

        var vector = featurizer.Transform("Website down with 500 error");

        // Two blocks, each L2-normalized to 1 and disjoint up to rare collisions: the total squared norm is 2.
        Assert.Equal(2f, vector.Norm() * vector.Norm(), 2);
    }

    [Fact]
    public void Transform_WordOnlyFeaturesMatchHandComputedTfIdf()
    {
        var featurizer = TextFeaturizer.Fit(["a b", "a c"], new FeaturizerOptions { WordNgramMax = 1, CharNgramMin = 0, CharNgramMax = 0 });

        var vector = featurizer.Transform("a a b");

        // idf(a) = ln(3/3)+1 = 1, idf(b) = ln(3/2)+1; tf(a) = 1+ln 2, tf(b) = 1 (sublinear).
        var a = (1f + MathF.Log(2f)) * 1f;
        var b = 1f * (MathF.Log(1.5f) + 1f);
        var norm = MathF.Sqrt((a * a) + (b * b));
        var values = vector.Values.ToArray().Order().ToArray();
        Assert.Equal(2, vector.Count);
        Assert.Equal(new[] { b / norm, a / norm }.Order(), values, new FloatComparer(1e-5f));
        Assert.Equal(3, featurizer.VocabularySize);
    }

    [Fact]
    public void Transform_BlockWeightsScaleBlockNorms()
    {
        var featurizer = TextFeaturizer.Fit(Corpus, new FeaturizerOptions { WordWeight = 0.6f, CharWeight = 0.8f });

        var vector = featurizer.Transform("email bounces");

        Assert.Equal(1f, vector.Norm(), 3);
    }

    [Fact]
    public void Transform_UnseenTermsAreKeptAboveTheVocabularyOrDropped()
    {
        var keep = TextFeaturizer.Fit(Corpus, new FeaturizerOptions { CharNgramMin = 0, CharNgramMax = 0 });
        var drop = TextFeaturizer.Fit(Corpus, new FeaturizerOptions { CharNgramMin = 0, CharNgramMax = 0, KeepUnseen = false });

        var kept = keep.Transform("website zzzunseen");
        var dropped = drop.Transform("website zzzunseen");

        Assert.Contains(kept.Indices.ToArray(), i => i >= keep.VocabularySize);
        Assert.All(dropped.Indices.ToArray(), i => Assert.True(i < drop.VocabularySize));
        Assert.Equal(1, dropped.Count);
    }

    [Fact]
    public void Transform_BufferOverloadMatchesSparseVector()
    {
        var featurizer = TextFeaturizer.Fit(Corpus);
        var buffer = featurizer.CreateBuffer();

        featurizer.Transform("SSL certificate expired, website down", buffer);
        var fromBuffer = SparseVector.FromUnsorted(buffer.Indices, buffer.Values, featurizer.Dimension);
        var direct = featurizer.Transform("SSL certificate expired, website down");

        Assert.Equal(direct.Indices.ToArray(), fromBuffer.Indices.ToArray());
        Assert.Equal(direct.Values.ToArray(), fromBuffer.Values.ToArray());
    }

    [Fact]
    public void Transform_SimilarTextsAreCloserThanUnrelatedOnes()
    {
        var featurizer = TextFeaturizer.Fit(Corpus);

        var down = featurizer.Transform("site down 500 error");
        var similar = featurizer.Transform("website is down, error 500");
        var unrelated = featurizer.Transform("certificate expired");

        Assert.True(SparseVector.Dot(down, similar) > 2 * SparseVector.Dot(down, unrelated));
    }

    [Fact]
    public void Transform_SkipBigramsLinkWordsWithDifferentWordsBetween()
    {
        string[] corpus = ["card has not arrived", "card never arrived", "top up failed"];
        var plain = TextFeaturizer.Fit(corpus, new FeaturizerOptions { WordNgramMax = 1, CharNgramMin = 0, CharNgramMax = 0, UseIdf = false });
        var skip = TextFeaturizer.Fit(corpus, new FeaturizerOptions { WordNgramMax = 1, CharNgramMin = 0, CharNgramMax = 0, UseIdf = false, WordSkipWindow = 3 });

        // Unigrams alone share "card" and "arrived"; the skip pair (card, arrived) is a third shared feature.
        var plainCount = plain.Transform("card has not arrived").Count;
        var skipCount = skip.Transform("card has not arrived").Count;

        Assert.Equal(4, plainCount);
        Assert.Equal(4 + 3, skipCount); // pairs (card, not), (card, arrived), (has, arrived)
        static int Shared(SparseVector a, SparseVector b) => a.Indices.ToArray().Intersect(b.Indices.ToArray()).Count();
        Assert.Equal(2, Shared(plain.Transform("card has not arrived"), plain.Transform("card never arrived")));
        Assert.Equal(3, Shared(skip.Transform("card has not arrived"), skip.Transform("card never arrived")));
    }

    [Fact]
    public void SaveLoad_RoundTripGivesIdenticalVectors()
    {
        var featurizer = TextFeaturizer.Fit(Corpus, new FeaturizerOptions { CharScope = CharNgramScope.Both, WordNgramMax = 3, WordSkipWindow = 4 });
        using var stream = new MemoryStream();
        featurizer.Save(stream);
        stream.Position = 0;

        var loaded = TextFeaturizer.Load(stream);

        Assert.Equal(featurizer.Options, loaded.Options);
        Assert.Equal(featurizer.VocabularySize, loaded.VocabularySize);
        var a = featurizer.Transform("Email bounces on shop.example.com with 550");
        var b = loaded.Transform("Email bounces on shop.example.com with 550");
        Assert.Equal(a.Indices.ToArray(), b.Indices.ToArray());
        Assert.Equal(a.Values.ToArray(), b.Values.ToArray());
    }

    [Fact]
    public void Load_RejectsAFileWithTheWrongMagic()
    {
        using var stream = new MemoryStream("NOPE0000"u8.ToArray());

        Assert.Throws<InvalidDataException>(() => TextFeaturizer.Load(stream));
    }

    [Fact]
    public void WordTerms_ReturnsTermsWithTheIndicesTransformUses()
    {
        var featurizer = TextFeaturizer.Fit(Corpus, new FeaturizerOptions { CharNgramMin = 0, CharNgramMax = 0 });

        var terms = featurizer.WordTerms("Website down");
        var vector = featurizer.Transform("Website down");

        Assert.Equal(["website", "down", "website down"], terms.Select(t => t.Term));
        Assert.All(terms, t => Assert.True(vector[t.Index] > 0f));
    }

    [Fact]
    public void SparseVector_DotMatchesDenseDot()
    {
        var a = new SparseVector([1, 4, 7], [1f, 2f, 3f], 10);
        var b = new SparseVector([0, 4, 7, 9], [5f, -1f, 0.5f, 2f], 10);
        var dense = new float[10];
        dense[0] = 5f;
        dense[4] = -1f;
        dense[7] = 0.5f;
        dense[9] = 2f;

        Assert.Equal(-0.5f, SparseVector.Dot(a, b));
        Assert.Equal(-0.5f, a.Dot(dense));
        Assert.Equal(MathF.Sqrt(14f), a.Norm(), 5);
        Assert.Equal(TensorPrimitives.Norm([1f, 2f, 3f]), a.Norm());
    }

    private sealed class FloatComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => MathF.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
