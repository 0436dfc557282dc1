using System.Numerics.Tensors;
using TicketTriage.ML.Text;

namespace TicketTriage.ML.Clustering;

/// <summary>Settings of <see cref="PatternFeaturizer"/>.</summary>
public sealed record PatternFeaturizerOptions
{
    /// <summary>The TF-IDF block: word 1–2-grams and char n-grams (see <see cref="FeaturizerOptions"/>).</summary>
    public FeaturizerOptions Text { get; init; } = new() { KeepUnseen = true };

    /// <summary>Latent (LSA) dimensions learned from the fit corpus; 0 disables the latent block.</summary>
    public int LatentDimensions { get; init; } = 0;

    /// <summary>Weight of the unit TF-IDF block in the concatenated vector.</summary>
    public float SparseWeight { get; init; } = 1f;

    /// <summary>Weight of the unit latent block in the concatenated vector.</summary>
    public float LatentWeight { get; init; } = 1f;

    /// <summary>Seed of the randomized SVD.</summary>
    public int Seed { get; init; } = 17;
}

/// <summary>
/// Text → the vector a <see cref="PatternDetector"/> clusters: the hashed TF-IDF block (whose strongest terms feed the
/// inverted index) and, optionally, an LSA block learned without labels from a corpus of past tickets, which makes
/// "card hasn't arrived" and "still waiting for my card" close though they share one word. Both blocks are unit
/// length and weighted, so cosine over the concatenation = weighted mix of the two cosines.
/// </summary>
public sealed partial class PatternFeaturizer
{
    private readonly ThreadLocal<FeatureBuffer> _buffers;

    private PatternFeaturizer(PatternFeaturizerOptions options, TextFeaturizer text, LatentProjection? latent)
    {
        Options = options;
        Text = text;
        Latent = latent;
        _buffers = new(text.CreateBuffer);
    }

    public PatternFeaturizerOptions Options { get; }

    public TextFeaturizer Text { get; }

    public LatentProjection? Latent { get; }

    /// <summary>Length of the latent block (the detector's latentDimensions).</summary>
    public int LatentDimensions => Latent?.Dimensions ?? 0;

    /// <summary>Writes the fitted featurizer (options, TF-IDF vocabulary, latent projection) as a section of a larger file.</summary>
    public void Write(BinaryWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.Write(Options.LatentDimensions);
        w.Write(Options.SparseWeight);
        w.Write(Options.LatentWeight);
        w.Write(Options.Seed);
        Text.Write(w);
        w.Write(Latent is not null);
        w.Flush();
        Latent?.Save(w.BaseStream);
    }

    public static PatternFeaturizer Read(BinaryReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var (dimensions, sparse, latentWeight, seed) = (r.ReadInt32(), r.ReadSingle(), r.ReadSingle(), r.ReadInt32());
        var text = TextFeaturizer.Read(r);
        var latent = r.ReadBoolean() ? LatentProjection.Load(r.BaseStream) : null;
        var options = new PatternFeaturizerOptions
        {
            Text = text.Options, LatentDimensions = dimensions, SparseWeight = sparse, LatentWeight = latentWeight, Seed = seed,
        };
        return new PatternFeaturizer(options, text, latent);
    }

    /// <summary>Learns IDF weights and, when asked, the latent projection from <paramref name="corpus"/> (texts only).</summary>
    public static PatternFeaturizer Fit(IReadOnlyList<string> corpus, PatternFeaturizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        options ??= new PatternFeaturizerOptions();
        var text = TextFeaturizer.Fit(corpus, options.Text);
        LatentProjection? latent = null;
        if (options.LatentDimensions > 0)
        {
            var buffer = text.CreateBuffer();
            var docs = new List<(int[], float[])>(corpus.Count);
            foreach (var t in corpus)
            {
                text.Transform(t, buffer);
                docs.Add((buffer.Indices.ToArray(), buffer.Values.ToArray()));
            }
            latent = LatentProjection.Fit(docs, text.VocabularySize, options.LatentDimensions, seed: options.Seed);
        }
        return new PatternFeaturizer(options, text, latent);
    }

    /// <summary>
    /// Featurizes one text. When <paramref name="names"/> is given, its word n-grams are recorded there so the
    /// detector can title patterns (costs a second tokenization; skip it where titles are not needed).
    /// </summary>
    public ClusterItem Featurize(string text, TermDictionary? names)
    {
        var item = Featurize(text);
        if (names is not null) Name(text, names);
        return item;
    }

    /// <summary>Featurizes one text. Thread-safe (one scratch buffer per thread).</summary>
    public ClusterItem Featurize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var buffer = _buffers.Value!;
        Text.Transform(text, buffer);
        var indices = buffer.Indices.ToArray();
        var values = buffer.Values.ToArray();
        Array.Sort(indices, values); // canonical order: the detector scores by merge-join
        Scale(values, Options.SparseWeight);
        float[]? latent = null;
        if (Latent is not null)
        {
            latent = new float[Latent.Dimensions];
            Latent.Project(indices, values, latent);
            Scale(latent, Options.LatentWeight);
        }
        return new ClusterItem(indices, values, latent);
    }

    /// <summary>
    /// Records the word n-grams of <paramref name="text"/> that <paramref name="names"/> does not name yet (first come:
    /// call it in arrival order; none once the dictionary is full). Not thread-safe: it writes the dictionary.
    /// </summary>
    public void Name(string text, TermDictionary names)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count < names.Capacity)
            foreach (var (index, term) in Text.WordTerms(text, names.Contains)) names.Record(index, term);
    }

    private static void Scale(float[] values, float weight)
    {
        var norm = TensorPrimitives.Norm(values);
        if (norm > 0) TensorPrimitives.Multiply(values, weight / norm, values);
    }
}
