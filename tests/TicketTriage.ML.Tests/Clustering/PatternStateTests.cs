using TicketTriage.ML.Clustering;

namespace TicketTriage.ML.Tests.Clustering;

public sealed class PatternStateTests
{
    [Fact]
    public void AddVector_merges_sorted_terms_sums_repeats_and_keeps_the_norm_exact()
    {
        var p = new PatternState(0, latentDimensions: 2);

        p.AddVector([1, 5, 9], [1f, 2f, 3f], [1f, 0f], factor: 1f);
        p.AddVector([0, 5, 5, 12], [4f, 1f, 1f, 2f], [0f, 2f], factor: 0.5f);

        Assert.Equal([0, 1, 5, 9, 12], p.Keys.ToArray());
        Assert.Equal([2f, 1f, 3f, 3f, 1f], p.Values.ToArray());
        Assert.Equal([1f, 1f], p.Latent!);
        Assert.Equal(4 + 1 + 9 + 9 + 1 + 1 + 1, p.NormSquared, 5);
        Assert.Equal(3f, p.ValueOf(5));
        Assert.Equal(0f, p.ValueOf(7));
        Assert.Equal(2 + 3 + 2, p.Dot([0, 5, 7], [1f, 1f, 1f], [1f, 1f]), 5);
    }

    [Fact]
    public void Prune_keeps_the_largest_terms_in_index_order()
    {
        var p = new PatternState(0, latentDimensions: 0);
        p.AddVector([1, 2, 3, 4, 5], [5f, 1f, 4f, 2f, 3f], [], 1f);

        p.Prune(maxTerms: 2);

        Assert.Equal([1, 3], p.Keys.ToArray());
        Assert.Equal(25 + 16, p.NormSquared, 5);
        Assert.Equal([1, 3], p.TopTerms(2));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Prune_keeps_what_the_top_terms_are_ties_to_the_lower_index_and_the_centroid_takes_more_terms_after(int seed)
    {
        // Values from a small set, so many terms tie at the cut: the kept set must be exactly TopPositions' (the
        // largest, ties to the lower position), which the prune's selection reproduces.
        var random = new Random(seed);
        for (var round = 0; round < 50; round++)
        {
            var count = random.Next(9, 400);
            var keys = Enumerable.Range(0, count).Select(i => 1 + (i * 3) + random.Next(3)).ToArray();
            var values = keys.Select(_ => random.Next(1, 6) / 4f).ToArray();
            var maxTerms = random.Next(1, ((count - 1) / 2) + 1); // a prune needs more than twice the limit
            var p = new PatternState(0, latentDimensions: 0);
            p.AddVector(keys, values, [], 1f);
            var expected = PatternState.TopPositions(values, maxTerms).Order().ToArray();

            p.Prune(maxTerms);

            Assert.Equal(expected.Select(i => keys[i]), p.Keys.ToArray());
            Assert.Equal(expected.Select(i => values[i]), p.Values.ToArray());
            Assert.Equal(expected.Sum(i => (double)values[i] * values[i]), p.NormSquared, 4);

            var before = p.Keys.ToArray();
            p.AddVector([0, keys[^1] + 1], [1f, 1f], [], 1f);
            Assert.Equal([0, .. before, keys[^1] + 1], p.Keys.ToArray());
        }
    }
}
