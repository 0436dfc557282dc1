namespace TicketTriage.Cli.Corpus;

/// <summary>
/// How separable the corpus is for a plain bag-of-words model: a multinomial naive Bayes and a TF-IDF nearest-centroid
/// classifier over lower-cased word unigrams, trained on four fifths of the tickets and scored on every fifth. A figure
/// near 1.0 would mean the generator leaks its templates; the target is well below that. This is a yardstick for the
/// data, not the project's classifier (that lives in TicketTriage.ML).
/// </summary>
internal static class CorpusDifficulty
{
    public sealed record Result(int Train, int Test, double NaiveBayesAccuracy, double CentroidAccuracy);

    public static Result Measure(IReadOnlyList<(string Text, string Label)> rows)
    {
        var train = new List<(string[] Tokens, string Label)>();
        var test = new List<(string[] Tokens, string Label)>();
        for (var i = 0; i < rows.Count; i++)
        {
            (i % 5 == 4 ? test : train).Add((Tokenize(rows[i].Text), rows[i].Label));
        }
        return new Result(train.Count, test.Count, NaiveBayes(train, test), Centroid(train, test));
    }

    public static string[] Tokenize(string text)
    {
        var tokens = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_');
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0)
            {
                tokens.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }
        return [.. tokens];
    }

    private static double NaiveBayes(List<(string[] Tokens, string Label)> train, List<(string[] Tokens, string Label)> test)
    {
        var labels = train.Select(r => r.Label).Distinct().Order(StringComparer.Ordinal).ToArray();
        var counts = labels.ToDictionary(l => l, _ => new Dictionary<string, int>());
        var totals = labels.ToDictionary(l => l, _ => 0);
        var docs = labels.ToDictionary(l => l, _ => 0);
        var vocabulary = new HashSet<string>();
        foreach (var (tokens, label) in train)
        {
            docs[label]++;
            foreach (var t in tokens)
            {
                counts[label][t] = counts[label].GetValueOrDefault(t) + 1;
                totals[label]++;
                vocabulary.Add(t);
            }
        }
        var v = vocabulary.Count;
        var correct = 0;
        foreach (var (tokens, label) in test)
        {
            var best = labels[0];
            var bestScore = double.NegativeInfinity;
            foreach (var l in labels)
            {
                var score = Math.Log(docs[l] / (double)train.Count);
                foreach (var t in tokens) score += Math.Log((counts[l].GetValueOrDefault(t) + 1.0) / (totals[l] + v));
                if (score > bestScore) (best, bestScore) = (l, score);
            }
            if (best == label) correct++;
        }
        return correct / (double)test.Count;
    }

    private static double Centroid(List<(string[] Tokens, string Label)> train, List<(string[] Tokens, string Label)> test)
    {
        var df = new Dictionary<string, int>();
        foreach (var (tokens, _) in train)
        {
            foreach (var t in tokens.Distinct()) df[t] = df.GetValueOrDefault(t) + 1;
        }
        Dictionary<string, double> Vector(string[] tokens)
        {
            var tf = new Dictionary<string, double>();
            foreach (var t in tokens) tf[t] = tf.GetValueOrDefault(t) + 1;
            var vec = new Dictionary<string, double>();
            foreach (var (t, c) in tf)
            {
                if (!df.TryGetValue(t, out var d)) continue;
                vec[t] = (1 + Math.Log(c)) * Math.Log((1.0 + train.Count) / (1 + d));
            }
            Normalize(vec);
            return vec;
        }

        var centroids = new Dictionary<string, Dictionary<string, double>>();
        foreach (var (tokens, label) in train)
        {
            if (!centroids.TryGetValue(label, out var c)) centroids[label] = c = [];
            foreach (var (t, w) in Vector(tokens)) c[t] = c.GetValueOrDefault(t) + w;
        }
        foreach (var c in centroids.Values) Normalize(c);
        var labels = centroids.Keys.Order(StringComparer.Ordinal).ToArray();

        var correct = 0;
        foreach (var (tokens, label) in test)
        {
            var vec = Vector(tokens);
            var best = labels[0];
            var bestScore = double.NegativeInfinity;
            foreach (var l in labels)
            {
                var c = centroids[l];
                var score = vec.Sum(kv => kv.Value * c.GetValueOrDefault(kv.Key));
                if (score > bestScore) (best, bestScore) = (l, score);
            }
            if (best == label) correct++;
        }
        return correct / (double)test.Count;
    }

    private static void Normalize(Dictionary<string, double> vec)
    {
        var norm = Math.Sqrt(vec.Values.Sum(w => w * w));
        if (norm == 0) return;
        foreach (var k in vec.Keys.ToArray()) vec[k] /= norm;
    }
}
