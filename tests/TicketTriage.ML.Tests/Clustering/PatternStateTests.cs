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
}
