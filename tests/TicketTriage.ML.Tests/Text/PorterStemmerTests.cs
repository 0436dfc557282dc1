using TicketTriage.ML.Text;

namespace TicketTriage.ML.Tests.Text;

public sealed class PorterStemmerTests
{
    // Examples from Porter's 1980 paper, step by step, and BANKING77-style inflections.
    [Theory]
    [InlineData("caresses", "caress")]
    [InlineData("ponies", "poni")]
    [InlineData("ties", "ti")]
    [InlineData("cats", "cat")]
    [InlineData("feed", "feed")]
    [InlineData("agreed", "agre")]
    [InlineData("plastered", "plaster")]
    [InlineData("motoring", "motor")]
    [InlineData("sing", "sing")]
    [InlineData("conflated", "conflat")]
    [InlineData("troubled", "troubl")]
    [InlineData("sized", "size")]
    [InlineData("hopping", "hop")]
    [InlineData("falling", "fall")]
    [InlineData("hissing", "hiss")]
    [InlineData("filing", "file")]
    [InlineData("happy", "happi")]
    [InlineData("sky", "sky")]
    [InlineData("relational", "relat")]
    [InlineData("conditional", "condit")]
    [InlineData("rational", "ration")]
    [InlineData("generalization", "gener")]
    [InlineData("hopeful", "hope")]
    [InlineData("goodness", "good")]
    [InlineData("adjustment", "adjust")]
    [InlineData("adoption", "adopt")]
    [InlineData("controlling", "control")]
    [InlineData("rate", "rate")]
    [InlineData("cease", "ceas")]
    [InlineData("transfers", "transfer")]
    [InlineData("charged", "charg")]
    [InlineData("charges", "charg")]
    public void Stem_MatchesPortersExamples(string word, string stem) => Assert.Equal(stem, PorterStemmer.Stem(word));

    [Fact]
    public void Stem_GivesInflectionsOneStem()
    {
        Assert.Equal("arriv", PorterStemmer.Stem("arrive"));
        Assert.Equal("arriv", PorterStemmer.Stem("arrived"));
        Assert.Equal("arriv", PorterStemmer.Stem("arriving"));
    }

    [Theory]
    [InlineData("2fa")]
    [InlineData("can't")]
    [InlineData("at")]
    [InlineData("café")]
    public void Stem_LeavesNonWordsAndShortWordsAlone(string token) => Assert.Equal(token, PorterStemmer.Stem(token));

    [Fact]
    public void Featurizer_WithStemming_MapsInflectionsToTheSameWordFeatures()
    {
        var options = new FeaturizerOptions { StemWords = true, CharNgramMin = 0, CharNgramMax = 0, WordNgramMax = 1 };
        var featurizer = TextFeaturizer.Fit(["my card arrived", "card not arriving"], options);

        Assert.Equal(featurizer.Transform("card arrived").Indices.ToArray(), featurizer.Transform("cards arriving").Indices.ToArray());
        Assert.NotEqual(
            TextFeaturizer.Fit(["x"], options with { StemWords = false }).Transform("arrived").Indices.ToArray(),
            TextFeaturizer.Fit(["x"], options with { StemWords = false }).Transform("arriving").Indices.ToArray());
    }

    [Fact]
    public void Featurizer_WithStemming_SurvivesSaveAndLoad()
    {
        var featurizer = TextFeaturizer.Fit(["my card arrived", "card not arriving"], new FeaturizerOptions { StemWords = true, WordSkipWindow = 3 });
        using var stream = new MemoryStream();
        featurizer.Save(stream);
        stream.Position = 0;

        var loaded = TextFeaturizer.Load(stream);

        Assert.True(loaded.Options.StemWords);
        Assert.Equal(featurizer.Transform("cards arriving late").Indices.ToArray(), loaded.Transform("cards arriving late").Indices.ToArray());
    }

    [Fact]
    public void Featurizer_WithoutStemming_StillWritesFormatVersion1()
    {
        // Existing model files and their checksums must rebuild byte for byte: only stemming featurizers need v2.
        using var plain = new MemoryStream();
        TextFeaturizer.Fit(["my card arrived"]).Save(plain);
        using var stemmed = new MemoryStream();
        TextFeaturizer.Fit(["my card arrived"], new FeaturizerOptions { StemWords = true }).Save(stemmed);

        Assert.Equal(1, BitConverter.ToInt32(plain.ToArray(), 4));
        Assert.Equal(2, BitConverter.ToInt32(stemmed.ToArray(), 4));
    }
}
