using TicketTriage.ML.Evaluation;

namespace TicketTriage.ML.Tests.Evaluation;

public sealed class ClusteringMetricsTests
{
    [Fact]
    public void Perfect_clustering_with_renamed_labels_scores_one_everywhere()
    {
        int[] truth = [0, 0, 1, 1, 2, 2, 2];
        int[] predicted = [7, 7, 3, 3, 9, 9, 9];

        var s = ClusteringMetrics.Evaluate(truth, predicted);

        Assert.Equal(1.0, s.Nmi, 12);
        Assert.Equal(1.0, s.Ari, 12);
        Assert.Equal(1.0, s.Acc, 12);
        Assert.Equal(3, s.Clusters);
    }

    [Fact]
    public void Small_known_confusion_matches_hand_computed_values()
    {
        // Contingency (truth rows × predicted cols): [[2,1,0],[0,1,2]], N = 6.
        // MI = 2·(2/6)·ln 2 = (2/3)·ln 2; H(T) = ln 2; H(P) = ln 3; NMI = MI / ((H(T)+H(P))/2).
        // ARI: Σ C(nij,2) = 2, rows 3+3 = 6, cols 1+1+1 = 3, expected = 6·3/15 = 1.2, max = 4.5 → 0.8 / 3.3.
        // ACC: best matching 0→0 (2) and 1→2 (2) → 4/6.
        int[] truth = [0, 0, 0, 1, 1, 1];
        int[] predicted = [0, 0, 1, 1, 2, 2];

        var s = ClusteringMetrics.Evaluate(truth, predicted);

        Assert.Equal(2.0 / 3 * Math.Log(2) / ((Math.Log(2) + Math.Log(3)) / 2), s.Nmi, 12);
        Assert.Equal(0.8 / 3.3, s.Ari, 12);
        Assert.Equal(4.0 / 6, s.Acc, 12);
    }

    [Fact]
    public void Every_item_alone_has_zero_ari_but_high_nmi()
    {
        int[] truth = [0, 0, 1, 1];
        int[] predicted = [0, 1, 2, 3];

        var s = ClusteringMetrics.Evaluate(truth, predicted);

        // Index = 0, expected = 2·0/6 = 0, max = 1 → ARI 0. NMI = ln 2 / ((ln 2 + ln 4)/2) = 2/3.
        Assert.Equal(0.0, s.Ari, 12);
        Assert.Equal(2.0 / 3, s.Nmi, 12);
        Assert.Equal(0.5, s.Acc, 12);
    }

    [Fact]
    public void One_cluster_for_everything_scores_zero_nmi_and_ari()
    {
        int[] truth = [0, 0, 1, 1, 2, 2];
        int[] predicted = [5, 5, 5, 5, 5, 5];

        var s = ClusteringMetrics.Evaluate(truth, predicted);

        Assert.Equal(0.0, s.Nmi, 12);
        Assert.Equal(0.0, s.Ari, 12);
        Assert.Equal(2.0 / 6, s.Acc, 12);
    }

    [Fact]
    public void Mismatched_lengths_throw() =>
        Assert.Throws<ArgumentException>(() => ClusteringMetrics.Evaluate([0, 1], [0]));

    [Fact]
    public void Encode_maps_labels_in_order_of_first_appearance() =>
        Assert.Equal([0, 1, 0, 2], ClusteringMetrics.Encode(["b", "a", "b", "c"]));
}

public sealed class HungarianAlgorithmTests
{
    [Fact]
    public void Square_matrix_finds_the_known_optimum()
    {
        // Optimum 5: row0→col1 (1), row1→col0 (2), row2→col2 (2).
        double[,] cost = { { 4, 1, 3 }, { 2, 0, 5 }, { 3, 2, 2 } };

        var match = HungarianAlgorithm.Solve(cost);

        Assert.Equal([1, 0, 2], match);
    }

    [Fact]
    public void Greedy_trap_is_avoided()
    {
        // Greedy takes (0,0)=1 then must pay (1,1)=100 → 101; optimum is (0,1)=2 + (1,0)=2 = 4.
        double[,] cost = { { 1, 2 }, { 2, 100 } };

        Assert.Equal([1, 0], HungarianAlgorithm.Solve(cost));
    }

    [Fact]
    public void Rectangular_matrices_assign_each_row_of_the_smaller_side()
    {
        double[,] wide = { { 9, 1, 9, 9 }, { 9, 9, 9, 1 } };
        Assert.Equal([1, 3], HungarianAlgorithm.Solve(wide));

        double[,] tall = { { 5, 9 }, { 1, 9 }, { 9, 2 } };
        Assert.Equal([-1, 0, 1], HungarianAlgorithm.Solve(tall));
    }

    [Fact]
    public void Random_matrices_match_brute_force_over_all_permutations()
    {
        var rng = new Random(7);
        for (var trial = 0; trial < 30; trial++)
        {
            var n = rng.Next(1, 6);
            var cost = new double[n, n];
            for (var i = 0; i < n; i++) for (var j = 0; j < n; j++) cost[i, j] = rng.Next(0, 20);

            var match = HungarianAlgorithm.Solve(cost);

            var got = Enumerable.Range(0, n).Sum(i => cost[i, match[i]]);
            Assert.Equal(BruteForce(cost, n), got);
            Assert.Equal(n, match.Distinct().Count());
        }
    }

    private static double BruteForce(double[,] cost, int n)
    {
        var best = double.PositiveInfinity;
        void Walk(int row, bool[] used, double sum)
        {
            if (row == n) { best = Math.Min(best, sum); return; }
            for (var j = 0; j < n; j++)
                if (!used[j]) { used[j] = true; Walk(row + 1, used, sum + cost[row, j]); used[j] = false; }
        }
        Walk(0, new bool[n], 0);
        return best;
    }
}
