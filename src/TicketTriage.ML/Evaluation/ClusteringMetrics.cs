namespace TicketTriage.ML.Evaluation;

/// <summary>External clustering quality against ground-truth labels.</summary>
/// <param name="Nmi">Normalized mutual information, arithmetic-mean normalisation: I(T;P) / ((H(T) + H(P)) / 2).</param>
/// <param name="Ari">Adjusted Rand index (Hubert–Arabie).</param>
/// <param name="Acc">Clustering accuracy: share of items on the best one-to-one cluster→label matching (Hungarian).</param>
/// <param name="Clusters">Distinct predicted clusters.</param>
public sealed record ClusteringScores(double Nmi, double Ari, double Acc, int Clusters);

/// <summary>Pure functions over two labelings of the same items; label values are arbitrary ints.</summary>
public static class ClusteringMetrics
{
    public static ClusteringScores Evaluate(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        var table = Contingency.Build(truth, predicted);
        return new(Nmi(table), Ari(table), Acc(table), table.Cols);
    }

    public static double Nmi(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted) => Nmi(Contingency.Build(truth, predicted));

    public static double Ari(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted) => Ari(Contingency.Build(truth, predicted));

    public static double Acc(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted) => Acc(Contingency.Build(truth, predicted));

    /// <summary>Maps arbitrary labels (e.g. strings) to dense ints in order of first appearance.</summary>
    public static int[] Encode<T>(IEnumerable<T> labels) where T : notnull
    {
        var ids = new Dictionary<T, int>();
        return labels.Select(l => ids.TryGetValue(l, out var id) ? id : ids[l] = ids.Count).ToArray();
    }

    private static double Nmi(Contingency t)
    {
        double n = t.N, mi = 0;
        for (var i = 0; i < t.Rows; i++)
            for (var j = 0; j < t.Cols; j++)
            {
                var nij = t.Counts[i, j];
                if (nij > 0) mi += nij / n * Math.Log(n * nij / ((double)t.RowSums[i] * t.ColSums[j]));
            }
        var ht = Entropy(t.RowSums, n);
        var hp = Entropy(t.ColSums, n);
        // Both labelings constant: they agree perfectly (the convention sklearn also uses).
        if (ht + hp == 0) return 1.0;
        return Math.Max(0, mi) / ((ht + hp) / 2);
    }

    private static double Entropy(long[] sums, double n)
    {
        double h = 0;
        foreach (var s in sums) if (s > 0) h -= s / n * Math.Log(s / n);
        return h;
    }

    private static double Ari(Contingency t)
    {
        static double Pairs(double x) => x * (x - 1) / 2;
        double index = 0, rowPairs = 0, colPairs = 0;
        foreach (var c in t.Counts) index += Pairs(c);
        foreach (var s in t.RowSums) rowPairs += Pairs(s);
        foreach (var s in t.ColSums) colPairs += Pairs(s);
        var expected = rowPairs * colPairs / Pairs(t.N);
        var max = (rowPairs + colPairs) / 2;
        // Degenerate (e.g. one item, or both labelings constant): identical partitions score 1.
        if (max == expected) return 1.0;
        return (index - expected) / (max - expected);
    }

    private static double Acc(Contingency t)
    {
        if (t.N == 0) return 0;
        var cost = new double[t.Cols, t.Rows];
        for (var i = 0; i < t.Rows; i++)
            for (var j = 0; j < t.Cols; j++) cost[j, i] = -t.Counts[i, j];
        var match = HungarianAlgorithm.Solve(cost);
        long correct = 0;
        for (var j = 0; j < t.Cols; j++) if (match[j] >= 0) correct += t.Counts[match[j], j];
        return (double)correct / t.N;
    }

    // Rows = true labels, columns = predicted clusters.
    private sealed record Contingency(long[,] Counts, long[] RowSums, long[] ColSums, long N)
    {
        public int Rows => RowSums.Length;
        public int Cols => ColSums.Length;

        public static Contingency Build(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
        {
            if (truth.Length != predicted.Length)
                throw new ArgumentException($"truth has {truth.Length} items, predicted {predicted.Length}.");
            var rows = Index(truth);
            var cols = Index(predicted);
            var counts = new long[rows.Count, cols.Count];
            var rowSums = new long[rows.Count];
            var colSums = new long[cols.Count];
            for (var k = 0; k < truth.Length; k++)
            {
                int i = rows[truth[k]], j = cols[predicted[k]];
                counts[i, j]++;
                rowSums[i]++;
                colSums[j]++;
            }
            return new(counts, rowSums, colSums, truth.Length);
        }

        private static Dictionary<int, int> Index(ReadOnlySpan<int> labels)
        {
            var map = new Dictionary<int, int>();
            foreach (var l in labels) map.TryAdd(l, map.Count);
            return map;
        }
    }
}
