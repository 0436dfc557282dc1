using System.Numerics.Tensors;

namespace TicketTriage.ML.Clustering;

/// <summary>One item to cluster offline: its sparse features and, optionally, its latent block.</summary>
public sealed record ClusterItem(int[] Indices, float[] Values, float[]? Latent = null);

/// <summary>Settings of <see cref="OfflineClustering"/>.</summary>
public sealed record OfflineClusteringOptions
{
    /// <summary>The online pass (timestamps are all equal offline, so time never separates items).</summary>
    public PatternDetectorOptions Online { get; init; } = new() { MergeEvery = 0 };

    /// <summary>Reassignment rounds (spherical k-means steps) after the online pass and again after merging.</summary>
    public int RefineIterations { get; init; } = 8;

    /// <summary>Clusters whose centroids' cosine is at least this are merged (closest pair first). 1 disables.</summary>
    public float MergeThreshold { get; init; } = 0.8f;

    /// <summary>Clusters smaller than this are dissolved into their members' nearest remaining clusters.</summary>
    public int MinClusterSize { get; init; } = 3;

    /// <summary>
    /// Neighbour smoothing for refinement: each item is compared with centroids as itself plus
    /// <see cref="NeighborWeight"/> × the similarity-weighted mean of its k most similar items (0: off). Short texts
    /// share few words; their neighbours fill in the rest, as one step of diffusion over the similarity graph.
    /// </summary>
    public int Neighbors { get; init; } = 0;

    public float NeighborWeight { get; init; } = 1f;
}

/// <summary>
/// The evaluation mode of the pattern detector: the online pass over the items in order (number of clusters not
/// given), then refinement passes that an online system cannot afford per ticket but an offline run can —
/// nearest-centroid reassignment, merging clusters whose centroids are close, folding tiny clusters.
/// Refinement compares items with every centroid (brute force), so it is meant for files, not for a live stream.
/// Deterministic: no randomness; ties go to the lower cluster.
/// </summary>
public static class OfflineClustering
{
    /// <summary>Labels 0..k-1, one per item, in order of first appearance.</summary>
    /// <param name="context">
    /// Optional unlabeled items (e.g. past tickets) that may serve as neighbours in smoothing but are not clustered.
    /// </param>
    public static int[] Cluster(IReadOnlyList<ClusterItem> items, OfflineClusteringOptions? options = null,
        IReadOnlyList<ClusterItem>? context = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        options ??= new OfflineClusteringOptions();
        if (items.Count == 0) return [];
        var latent = items[0].Latent?.Length ?? 0;

        // 1. Online pass.
        var detector = new PatternDetector(options.Online with { MergeEvery = 0 }, latent);
        var at = DateTimeOffset.UnixEpoch;
        var labels = new int[items.Count];
        for (var i = 0; i < items.Count; i++)
            labels[i] = detector.Assign(i.ToString(System.Globalization.CultureInfo.InvariantCulture), items[i].Indices, items[i].Values, at,
                latent: items[i].Latent ?? []).PatternId;
        if (options.RefineIterations == 0 && options.MergeThreshold >= 1 && options.MinClusterSize <= 1) return Relabel(labels);

        // 2. Refinement over a dense copy: features remapped to the ones these items use, each item a unit vector.
        var space = new DenseSpace(context is null ? items : [.. items, .. context], items.Count, latent);
        if (options.Neighbors > 0) space.SmoothWithNeighbors(options.Neighbors, options.NeighborWeight);
        labels = Relabel(labels);
        labels = space.Reassign(labels, options.RefineIterations);
        labels = space.MergeClose(labels, options.MergeThreshold);
        labels = space.Fold(labels, options.MinClusterSize);
        labels = space.Reassign(labels, options.RefineIterations);
        return Relabel(labels);
    }

    private static int[] Relabel(int[] labels)
    {
        var map = new Dictionary<int, int>();
        return labels.Select(l => map.TryGetValue(l, out var m) ? m : map[l] = map.Count).ToArray();
    }

    private sealed class DenseSpace
    {
        private readonly (int[] Cols, float[] Values, float[] Latent)[] _items;
        private readonly int _features;
        private readonly int _latent;
        private readonly int _clustered;

        // Items [0, clustered) are clustered; the rest are context, only ever neighbours.
        public DenseSpace(IReadOnlyList<ClusterItem> items, int clustered, int latent)
        {
            _latent = latent;
            _clustered = clustered;
            var remap = new Dictionary<int, int>();
            _items = new (int[], float[], float[])[items.Count];
            for (var i = 0; i < items.Count; i++)
            {
                var it = items[i];
                var cols = new int[it.Indices.Length];
                for (var k = 0; k < cols.Length; k++)
                    cols[k] = remap.TryGetValue(it.Indices[k], out var c) ? c : remap[it.Indices[k]] = remap.Count;
                var values = it.Values.ToArray();
                var lat = (it.Latent ?? []).ToArray();
                var norm = MathF.Sqrt(TensorPrimitives.Dot(values, values) + TensorPrimitives.Dot(lat, lat));
                if (norm > 0)
                {
                    TensorPrimitives.Divide(values, norm, values);
                    TensorPrimitives.Divide(lat, norm, lat);
                }
                _items[i] = (cols, values, lat);
            }
            _features = remap.Count;
        }

        private int Width => _features + _latent;

        // Per item, its neighbours and their weights (empty without smoothing).
        private (int Item, float Weight)[][] _neighbors = [];

        public void SmoothWithNeighbors(int k, float weight)
        {
            var n = _items.Length;
            // Sparse-sparse similarities through postings over the remapped features, plus the latent dot.
            var postings = new List<(int Item, float Value)>[_features];
            for (var i = 0; i < n; i++)
            {
                var (cols, values, _) = _items[i];
                for (var j = 0; j < cols.Length; j++) (postings[cols[j]] ??= []).Add((i, values[j]));
            }
            _neighbors = new (int, float)[_clustered][];
            var acc = new float[n];
            for (var i = 0; i < _clustered; i++)
            {
                Array.Clear(acc);
                var (cols, values, lat) = _items[i];
                for (var j = 0; j < cols.Length; j++)
                    foreach (var (other, v) in postings[cols[j]]) acc[other] += values[j] * v;
                if (_latent > 0)
                    for (var o = 0; o < n; o++) acc[o] += TensorPrimitives.Dot(lat, _items[o].Latent);
                acc[i] = float.NegativeInfinity;
                var top = Enumerable.Range(0, n).Where(o => acc[o] > 0).OrderByDescending(o => acc[o]).ThenBy(o => o).Take(k).ToArray();
                var total = top.Sum(o => acc[o]);
                _neighbors[i] = top.Select(o => (o, weight * acc[o] / total)).ToArray();
            }
        }

        // Unit centroids (row-major, k × Width) of labels 0..k-1, from the (smoothed) items.
        private float[] Centroids(int[] labels, int k)
        {
            var c = new float[k * Width];
            for (var i = 0; i < _clustered; i++)
            {
                var row = c.AsSpan(labels[i] * Width, Width);
                AddItem(row, i, 1f);
                if (_neighbors.Length > 0) foreach (var (o, w) in _neighbors[i]) AddItem(row, o, w);
            }
            for (var j = 0; j < k; j++)
            {
                var row = c.AsSpan(j * Width, Width);
                var norm = TensorPrimitives.Norm(row);
                if (norm > 0) TensorPrimitives.Divide(row, norm, row);
            }
            return c;
        }

        private void AddItem(Span<float> row, int item, float weight)
        {
            var (cols, values, lat) = _items[item];
            for (var j = 0; j < cols.Length; j++) row[cols[j]] += weight * values[j];
            var tail = row.Slice(_features, _latent);
            TensorPrimitives.MultiplyAdd(lat, weight, tail, tail);
        }

        private float RawSimilarity(int item, ReadOnlySpan<float> centroid)
        {
            var (cols, values, lat) = _items[item];
            var dot = 0f;
            for (var j = 0; j < cols.Length; j++) dot += values[j] * centroid[cols[j]];
            return dot + TensorPrimitives.Dot(lat, centroid.Slice(_features, _latent));
        }

        // n × k similarities of the smoothed items with each centroid: S' = S + W S.
        private float[] Similarities(float[] centroids, int k)
        {
            var n = _items.Length;
            var needed = new bool[n];
            Array.Fill(needed, true, 0, _clustered);
            foreach (var list in _neighbors) foreach (var (o, _) in list) needed[o] = true;
            var raw = new float[n * k];
            for (var i = 0; i < n; i++)
                if (needed[i])
                    for (var j = 0; j < k; j++) raw[(i * k) + j] = RawSimilarity(i, centroids.AsSpan(j * Width, Width));
            if (_neighbors.Length == 0) return raw;
            var smoothed = raw.AsSpan(0, _clustered * k).ToArray();
            for (var i = 0; i < _clustered; i++)
            {
                var row = smoothed.AsSpan(i * k, k);
                foreach (var (o, w) in _neighbors[i]) TensorPrimitives.MultiplyAdd(raw.AsSpan(o * k, k), w, row, row);
            }
            return smoothed;
        }

        private static int Best(ReadOnlySpan<float> sims, ReadOnlySpan<bool> allowed)
        {
            var best = -1;
            var bestSim = float.NegativeInfinity;
            for (var j = 0; j < sims.Length; j++)
            {
                if (!allowed.IsEmpty && !allowed[j]) continue;
                if (sims[j] > bestSim) (best, bestSim) = (j, sims[j]);
            }
            return best;
        }

        public int[] Reassign(int[] labels, int iterations)
        {
            for (var it = 0; it < iterations; it++)
            {
                var k = labels.Max() + 1;
                var sims = Similarities(Centroids(labels, k), k);
                var next = new int[labels.Length];
                var changed = 0;
                for (var i = 0; i < _clustered; i++)
                {
                    next[i] = Best(sims.AsSpan(i * k, k), default);
                    if (next[i] != labels[i]) changed++;
                }
                labels = Relabel(next);
                if (changed == 0) break;
            }
            return labels;
        }

        // Agglomerative on centroids: repeatedly merge the closest pair while its cosine ≥ threshold. Cluster sums
        // (unit centroid × size) are merged by adding, so their Gram matrix updates exactly in O(k) per merge:
        // G[a,x] += G[b,x]. Cosines come from G alone, so the wide vectors are multiplied only once.
        public int[] MergeClose(int[] labels, float threshold)
        {
            if (threshold >= 1) return labels;
            var k = labels.Max() + 1;
            var centroids = Centroids(labels, k);
            var sizes = new int[k];
            foreach (var l in labels) sizes[l]++;
            var g = new double[k, k];
            for (var i = 0; i < k; i++)
            {
                var ci = centroids.AsSpan(i * Width, Width);
                for (var j = i; j < k; j++)
                    g[i, j] = g[j, i] = (double)TensorPrimitives.Dot(ci, centroids.AsSpan(j * Width, Width)) * sizes[i] * sizes[j];
            }
            var alive = Enumerable.Repeat(true, k).ToArray();
            var parent = Enumerable.Range(0, k).ToArray();
            while (true)
            {
                int bi = -1, bj = -1;
                double best = threshold;
                for (var i = 0; i < k; i++)
                {
                    if (!alive[i] || g[i, i] <= 0) continue;
                    for (var j = i + 1; j < k; j++)
                    {
                        if (!alive[j] || g[j, j] <= 0) continue;
                        var cos = g[i, j] / Math.Sqrt(g[i, i] * g[j, j]);
                        if (cos >= best) (bi, bj, best) = (i, j, cos);
                    }
                }
                if (bi < 0) break;
                var self = g[bi, bi] + (2 * g[bi, bj]) + g[bj, bj];
                for (var x = 0; x < k; x++)
                {
                    g[bi, x] += g[bj, x];
                    g[x, bi] = g[bi, x];
                }
                g[bi, bi] = self;
                alive[bj] = false;
                parent[bj] = bi;
            }
            int Root(int x) => parent[x] == x ? x : Root(parent[x]);
            return Relabel(labels.Select(Root).ToArray());
        }

        public int[] Fold(int[] labels, int minSize)
        {
            if (minSize <= 1) return labels;
            var k = labels.Max() + 1;
            var sizes = new int[k];
            foreach (var l in labels) sizes[l]++;
            var allowed = sizes.Select(s => s >= minSize).ToArray();
            if (!allowed.Any(a => a)) return labels;
            var sims = Similarities(Centroids(labels, k), k);
            var next = labels.ToArray();
            for (var i = 0; i < _clustered; i++)
                if (!allowed[labels[i]]) next[i] = Best(sims.AsSpan(i * k, k), allowed);
            return Relabel(next);
        }
    }
}
