using TicketTriage.ML.Clustering;

namespace TicketTriage.ML.Tests.Clustering;

public sealed class PatternFeaturizerTests
{
    private static readonly string[] Corpus =
    [
        "my card has not arrived yet", "when will my new card arrive", "still waiting for the card delivery",
        "card delivery is taking too long", "i was charged twice for one payment", "double charge on my account",
        "refund the duplicate payment please", "why was i charged two times", "how do i reset my password",
        "forgot my password cannot log in", "password reset link does not work", "locked out after password change",
    ];

    [Fact]
    public void Latent_block_makes_paraphrases_closer_than_unrelated_texts()
    {
        var f = PatternFeaturizer.Fit(Corpus, new PatternFeaturizerOptions { LatentDimensions = 3 });

        var a = f.Featurize("new card not arrived");
        var b = f.Featurize("waiting for card delivery");
        var c = f.Featurize("charged twice refund");

        Assert.Equal(3, f.LatentDimensions);
        Assert.True(Cos(a.Latent!, b.Latent!) > Cos(a.Latent!, c.Latent!));
    }

    [Fact]
    public void Featurize_records_word_terms_for_titles()
    {
        var f = PatternFeaturizer.Fit(Corpus);
        var names = new TermDictionary();

        var item = f.Featurize("password reset link", names);

        Assert.Null(item.Latent);
        Assert.Contains(item.Indices, i => names.NameOf(i) == "password");
        Assert.Contains(item.Indices, i => names.NameOf(i) == "reset link");
    }

    private static float Cos(float[] a, float[] b) => System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a, b);
}
