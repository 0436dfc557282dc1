using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace TicketTriage.ML.Text;

/// <summary>
/// Hashed TF-IDF features: word n-grams and char n-grams, each block L2-normalized and weighted.
/// <para>
/// N-grams are hashed (seeded FNV-1a, murmur finalizer) into 2^HashBits buckets. <see cref="Fit"/> counts document
/// frequencies and gives every bucket seen at least MinDocumentFrequency times a dense index in
/// [0, <see cref="VocabularySize"/>) with its IDF, so a model's weights can be a dense table over the vocabulary.
/// Buckets not seen at fit time map to <c>VocabularySize + bucket</c> with the highest IDF when
/// <see cref="FeaturizerOptions.KeepUnseen"/> is set, or are dropped.
/// </para>
/// </summary>
public sealed partial class TextFeaturizer
{
    private const uint FnvPrime = 0x01000193;
    // Version 2 added StemWords. Featurizers without stemming are still written as version 1, byte for byte as
    // before, so existing model files (and their published checksums) rebuild identically.
    private const int FormatVersion = 2;
    private static ReadOnlySpan<byte> Magic => "TTFZ"u8;

    // bucket → id as a small open-addressing table (2–4 slots per vocabulary entry) rather than an int per bucket:
    // 2^20 ints is 4 MB of random reads per n-gram, this is a few hundred KB that stays in cache.
    private readonly long[] _idTable;
    private readonly int _idTableMask;
    private readonly int[] _bucketOfId;
    private readonly int[] _documentFrequency;
    private readonly float[] _idf;
    private readonly float _unseenIdf;
    private readonly int _mask;
    private readonly uint _wordSeed;
    private readonly uint _charSeed;
    private readonly uint _acrossSeed;
    private readonly uint _skipSeed;

    private TextFeaturizer(FeaturizerOptions options, int documentCount, int[] bucketOfId, int[] documentFrequency)
    {
        Options = options;
        DocumentCount = documentCount;
        _mask = (1 << options.HashBits) - 1;
        _bucketOfId = bucketOfId;
        _documentFrequency = documentFrequency;
        // Smoothed IDF, as if one extra document contained every term: ln((1 + N) / (1 + df)) + 1.
        _idf = new float[documentFrequency.Length];
        for (var id = 0; id < _idf.Length; id++)
        {
            _idf[id] = options.UseIdf ? MathF.Log((1f + documentCount) / (1f + documentFrequency[id])) + 1f : 1f;
        }

        var size = 16;
        while (size < bucketOfId.Length * 2)
        {
            size <<= 1;
        }

        _idTable = new long[size];
        Array.Fill(_idTable, -1L);
        _idTableMask = size - 1;
        for (var id = 0; id < bucketOfId.Length; id++)
        {
            var slot = TableSlot(bucketOfId[id]);
            while (_idTable[slot] != -1L)
            {
                slot = (slot + 1) & _idTableMask;
            }

            _idTable[slot] = ((long)id << 32) | (uint)bucketOfId[id];
        }

        _unseenIdf = options.UseIdf ? MathF.Log(1f + documentCount) + 1f : 1f;
        _wordSeed = Mix(options.Seed, 0x776F7264);
        _charSeed = Mix(options.Seed, 0x63686172);
        _acrossSeed = Mix(options.Seed, 0x61637273);
        _skipSeed = Mix(options.Seed, 0x736B6970);
    }

    public FeaturizerOptions Options { get; }

    /// <summary>Number of n-gram buckets seen at fit time; their indices are [0, VocabularySize).</summary>
    public int VocabularySize => _bucketOfId.Length;

    /// <summary>Upper bound (exclusive) of every index this featurizer produces.</summary>
    public int Dimension => VocabularySize + (Options.KeepUnseen ? _mask + 1 : 0);

    public int DocumentCount { get; }

    /// <summary>Counts document frequencies over <paramref name="texts"/> (one pass) and fixes the vocabulary.</summary>
    public static TextFeaturizer Fit(IEnumerable<string> texts, FeaturizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        options ??= new FeaturizerOptions();
        options.Validate();
        var probe = new TextFeaturizer(options, 0, [], []);
        var df = new int[1 << options.HashBits];
        var buffer = probe.CreateBuffer();
        var documents = 0;
        foreach (var text in texts)
        {
            documents++;
            probe.Prepare(text, buffer, out var length, out var tokenCount);
            for (var block = 0; block < 2; block++)
            {
                if (probe.CollectBlock(block, buffer, length, tokenCount))
                {
                    for (var i = 0; i < buffer.OccupiedCount; i++)
                    {
                        df[buffer.Keys[buffer.Occupied[i]]]++;
                    }

                    buffer.ClearTable();
                }
            }
        }

        var buckets = new List<int>();
        var frequencies = new List<int>();
        for (var bucket = 0; bucket < df.Length; bucket++)
        {
            if (df[bucket] >= Math.Max(1, options.MinDocumentFrequency))
            {
                buckets.Add(bucket);
                frequencies.Add(df[bucket]);
            }
        }

        return new TextFeaturizer(options, documents, [.. buckets], [.. frequencies]);
    }

    public FeatureBuffer CreateBuffer() => new();

    /// <summary>IDF of a feature index (the unseen IDF for indices outside the vocabulary).</summary>
    public float InverseDocumentFrequency(int index) => index >= 0 && index < _idf.Length ? _idf[index] : _unseenIdf;

    /// <summary>Featurizes into a canonical sorted sparse vector. Allocates; hot paths use the buffer overload.</summary>
    public SparseVector Transform(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var buffer = CreateBuffer();
        Transform(text, buffer);
        return SparseVector.FromUnsorted(buffer.Indices, buffer.Values, Dimension);
    }

    /// <summary>Featurizes into <paramref name="buffer"/> without allocating (once the buffer has grown).</summary>
    public void Transform(ReadOnlySpan<char> text, FeatureBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        buffer.Count = 0;
        Prepare(text, buffer, out var length, out var tokenCount);
        if (CollectBlock(0, buffer, length, tokenCount))
        {
            EmitBlock(buffer, Options.WordWeight);
        }

        buffer.WordFeatureCount = buffer.Count;
        if (CollectBlock(1, buffer, length, tokenCount))
        {
            EmitBlock(buffer, Options.CharWeight);
        }
    }

    /// <summary>
    /// The word n-grams of a text with their feature indices, for explaining features (pattern titles, top
    /// terms). Allocates; not for hot paths.
    /// </summary>
    public IReadOnlyList<(int Index, string Term)> WordTerms(string text) => WordTerms(text, known: null);

    /// <summary>
    /// <see cref="WordTerms(string)"/> without the terms <paramref name="known"/> already names: a stream of tickets
    /// repeats its words, and building each name again is most of the cost.
    /// </summary>
    public IReadOnlyList<(int Index, string Term)> WordTerms(string text, Func<int, bool>? known)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = TextNormalizer.Normalize(text);
        var spans = new TokenSpan[normalized.Length / 2 + 2];
        var count = Tokenizer.Tokenize(normalized, spans);
        var result = new List<(int, string)>();
        var seen = new HashSet<int>();
        for (var n = Math.Max(1, Options.WordNgramMin); n <= Options.WordNgramMax; n++)
        {
            for (var i = 0; i + n <= count; i++)
            {
                var h = 0u;
                for (var k = 0; k < n; k++)
                {
                    h = CombineToken(h, HashWord(normalized.AsSpan(spans[i + k].Start, spans[i + k].Length)), k);
                }

                var index = IndexOf(Bucket(h, _wordSeed, n));
                if (index >= 0 && seen.Add(index) && (known is null || !known(index)))
                {
                    var last = spans[i + n - 1];
                    result.Add((index, normalized.Substring(spans[i].Start, last.Start + last.Length - spans[i].Start)));
                }
            }
        }

        return result;
    }

    private int IndexOf(int bucket)
    {
        var id = IdOfBucket(bucket);
        return id >= 0 ? id : Options.KeepUnseen ? _bucketOfId.Length + bucket : -1;
    }

    private void Prepare(ReadOnlySpan<char> text, FeatureBuffer buffer, out int length, out int tokenCount)
    {
        buffer.EnsureText(text.Length);
        length = TextNormalizer.Normalize(text, buffer.Chars);
        tokenCount = Tokenizer.Tokenize(buffer.Chars.AsSpan(0, length), buffer.Tokens);
        var chars = buffer.Chars;
        for (var i = 0; i < tokenCount; i++)
        {
            var t = buffer.Tokens[i];
            buffer.TokenHashes[i] = HashWord(chars.AsSpan(t.Start, t.Length));
        }

        var charSpan = Options.CharNgramMax == 0 ? 0 : Options.CharNgramMax - Options.CharNgramMin + 1;
        var charTerms = (length + (2 * tokenCount) + 2) * charSpan * (Options.CharScope == CharNgramScope.Both ? 2 : 1);
        var wordTerms = tokenCount * (Math.Max(1, Options.WordNgramMax) + Options.WordSkipWindow);
        buffer.EnsureTable(Math.Max(charTerms, wordTerms) + 1);
    }

    // Fills the buffer's table with the block's bucket counts; false when the block is disabled or empty.
    private bool CollectBlock(int block, FeatureBuffer buffer, int length, int tokenCount)
    {
        var o = Options;
        if (block == 0)
        {
            if (o.WordNgramMax == 0)
            {
                return false;
            }

            var hashes = buffer.TokenHashes;
            for (var n = Math.Max(1, o.WordNgramMin); n <= o.WordNgramMax; n++)
            {
                for (var i = 0; i + n <= tokenCount; i++)
                {
                    var h = 0u;
                    for (var k = 0; k < n; k++)
                    {
                        h = CombineToken(h, hashes[i + k], k);
                    }

                    buffer.Add(Bucket(h, _wordSeed, n));
                }
            }

            for (var i = 0; i < tokenCount; i++)
            {
                var end = Math.Min(tokenCount - 1, i + o.WordSkipWindow);
                for (var j = i + 2; j <= end; j++)
                {
                    buffer.Add(Bucket(CombineToken(CombineToken(0u, hashes[i], 0), hashes[j], 1), _skipSeed, 2));
                }
            }
        }
        else
        {
            if (o.CharNgramMax == 0)
            {
                return false;
            }

            var chars = buffer.Chars;
            if (o.CharScope != CharNgramScope.AcrossWords)
            {
                for (var i = 0; i < tokenCount; i++)
                {
                    var t = buffer.Tokens[i];
                    AddCharNgrams(buffer, chars.AsSpan(t.Start, t.Length), _charSeed);
                }
            }

            if (o.CharScope != CharNgramScope.WithinWords && length > 0)
            {
                AddCharNgrams(buffer, chars.AsSpan(0, length), _acrossSeed);
            }
        }

        return buffer.OccupiedCount > 0;
    }

    // N-grams of " " + s + " ": for each start, one rolling FNV-1a hash extended a character at a time, emitting at
    // every length in [min, max]. Lengths are mixed into the bucket so "abc" and "abcd" prefixes differ.
    private void AddCharNgrams(FeatureBuffer buffer, ReadOnlySpan<char> s, uint seed)
    {
        var min = Options.CharNgramMin;
        var max = Options.CharNgramMax;
        var padded = s.Length + 2;
        for (var start = 0; start + min <= padded; start++)
        {
            var h = seed;
            var end = Math.Min(padded, start + max);
            for (var p = start; p < end; p++)
            {
                var c = p == 0 || p == padded - 1 ? ' ' : s[p - 1];
                h = (h ^ c) * FnvPrime;
                var n = p - start + 1;
                if (n >= min)
                {
                    buffer.Add((int)(Fmix(h + (uint)n) & (uint)_mask));
                }
            }
        }
    }

    private void EmitBlock(FeatureBuffer buffer, float weight)
    {
        buffer.EnsureOutput(buffer.OccupiedCount);
        var start = buffer.Count;
        var n = start;
        var indices = buffer.IndexBuffer;
        var values = buffer.ValueBuffer;
        var sublinear = Options.SublinearTf;
        var vocabulary = _bucketOfId.Length;
        var keepUnseen = Options.KeepUnseen;
        for (var i = 0; i < buffer.OccupiedCount; i++)
        {
            var slot = buffer.Occupied[i];
            var bucket = buffer.Keys[slot];
            var tf = buffer.Counts[slot];
            var id = IdOfBucket(bucket);
            float idf;
            if (id >= 0)
            {
                idf = _idf[id];
            }
            else if (keepUnseen)
            {
                id = vocabulary + bucket;
                idf = _unseenIdf;
            }
            else
            {
                continue;
            }

            indices[n] = id;
            // Most n-grams occur once in a text: skip the logarithm for them.
            values[n] = (tf == 1f || !sublinear ? tf : 1f + MathF.Log(tf)) * idf;
            n++;
        }

        buffer.ClearTable();
        var block = values.AsSpan(start, n - start);
        var norm = TensorPrimitives.Norm(block);
        if (norm > 0f)
        {
            TensorPrimitives.Multiply(block, weight / norm, block);
        }

        buffer.Count = n;
    }

}
