namespace TicketTriage.ML.Evaluation;

/// <summary>
/// Minimum-cost assignment (Kuhn–Munkres with potentials, O(n²·m) for n ≤ m). Rectangular matrices are allowed:
/// every row of the smaller side is assigned to a distinct column of the larger side.
/// </summary>
public static class HungarianAlgorithm
{
    /// <summary>Returns, for each row, the column assigned to it (or -1 when there are more rows than columns).</summary>
    public static int[] Solve(double[,] cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        int rows = cost.GetLength(0), cols = cost.GetLength(1);
        if (rows == 0 || cols == 0) return Enumerable.Repeat(-1, rows).ToArray();
        if (rows <= cols) return SolveWide(rows, cols, (i, j) => cost[i, j]);

        // More rows than columns: solve the transpose, then invert the mapping.
        var colToRow = SolveWide(cols, rows, (i, j) => cost[j, i]);
        var rowToCol = Enumerable.Repeat(-1, rows).ToArray();
        for (var c = 0; c < cols; c++) rowToCol[colToRow[c]] = c;
        return rowToCol;
    }

    // The potentials formulation (u for rows, v for columns; 1-based with a virtual column 0) keeps reduced costs
    // non-negative, so each row is added with one Dijkstra-like sweep over the columns.
    private static int[] SolveWide(int n, int m, Func<int, int, double> a)
    {
        var u = new double[n + 1];
        var v = new double[m + 1];
        var p = new int[m + 1];     // p[j] = row matched to column j (0 = none)
        var way = new int[m + 1];
        var minv = new double[m + 1];
        var used = new bool[m + 1];
        for (var i = 1; i <= n; i++)
        {
            p[0] = i;
            var j0 = 0;
            Array.Fill(minv, double.PositiveInfinity);
            Array.Clear(used);
            do
            {
                used[j0] = true;
                int i0 = p[j0], j1 = 0;
                var delta = double.PositiveInfinity;
                for (var j = 1; j <= m; j++)
                {
                    if (used[j]) continue;
                    var cur = a(i0 - 1, j - 1) - u[i0] - v[j];
                    if (cur < minv[j]) { minv[j] = cur; way[j] = j0; }
                    if (minv[j] < delta) { delta = minv[j]; j1 = j; }
                }
                for (var j = 0; j <= m; j++)
                {
                    if (used[j]) { u[p[j]] += delta; v[j] -= delta; }
                    else minv[j] -= delta;
                }
                j0 = j1;
            } while (p[j0] != 0);
            do
            {
                var j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        var result = new int[n];
        for (var j = 1; j <= m; j++) if (p[j] != 0) result[p[j] - 1] = j - 1;
        return result;
    }
}
