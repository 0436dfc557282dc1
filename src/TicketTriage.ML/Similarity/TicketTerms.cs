using System.Buffers;
using TicketTriage.ML.Text;

namespace TicketTriage.ML.Similarity;

/// <summary>
/// Turns a ticket's subject and body into the weighted terms the similarity index stores: the project's normalizer
/// and tokenizer, Porter stems, joined tokens (<c>about:config</c>, <c>2.49.5</c>) kept whole and split into their
/// parts, and adjacent stem pairs. A term is a 64-bit hash, so the vocabulary needs no strings; a subject occurrence
/// counts <see cref="SimilarityOptions.SubjectWeight"/> times. Not thread-safe: one instance per thread.
/// </summary>
internal sealed class TicketTerms(SimilarityOptions options)
{
    private const ulong FnvOffset = 0xCBF29CE484222325;
    private const ulong FnvPrime = 0x100000001B3;
    private const ulong PairSeed = 0x9E3779B97F4A7C15;

    private readonly Dictionary<ulong, int> _counts = [];
    private readonly Dictionary<ulong, int> _subjectCounts = [];
    private Dictionary<ulong, int>? _current;
    private char[] _normalized = new char[256];
    private TokenSpan[] _spans = new TokenSpan[128];
    private readonly char[] _word = new char[PorterStemmer.MaxLength];

    /// <summary>Sum of the weighted occurrences of the last <see cref="Analyze"/> (the BM25 document length).</summary>
    public int Length { get; private set; }

    /// <summary>The subject's own term counts (unweighted) from the last <see cref="Analyze"/>.</summary>
    public Dictionary<ulong, int> SubjectCounts => _subjectCounts;

    /// <summary>Buckets of the subject's character n-grams (see <see cref="GramBuckets"/>).</summary>
    public const int GramBucketBits = 20;

    public const int GramBuckets = 1 << GramBucketBits;

    /// <summary>
    /// The subject's character 3–5-grams within words (each word framed by spaces, as "char_wb" n-grams are), counted
    /// by hashed bucket, from the last <see cref="Analyze"/>; empty unless <see cref="SimilarityOptions.SubjectCharGramWeight"/>.
    /// </summary>
    public Dictionary<int, int> SubjectGrams => _subjectGrams;

    private readonly Dictionary<int, int> _subjectGrams = [];

    /// <summary>Counts the terms of one ticket; the result is valid until the next call.</summary>
    public Dictionary<ulong, int> Analyze(string? subject, string? body)
    {
        _counts.Clear();
        _subjectCounts.Clear();
        _subjectGrams.Clear();
        Length = 0;
        _current = _subjectCounts;
        AddField(subject, options.SubjectWeight);
        if (options.SubjectCharGramWeight > 0f && !string.IsNullOrEmpty(subject))
        {
            CountGrams(subject);
        }

        _current = null;
        AddField(body, 1);
        return _counts;
    }

    private void AddField(string? text, int weight)
    {
        if (string.IsNullOrEmpty(text) || weight == 0)
        {
            return;
        }

        var need = TextNormalizer.MaxOutputLength(text.Length);
        if (_normalized.Length < need)
        {
            _normalized = new char[Math.Max(need, _normalized.Length * 2)];
        }

        var length = TextNormalizer.Normalize(text, _normalized);
        var chars = _normalized.AsSpan(0, length);
        if (_spans.Length < (length / 2) + 1)
        {
            _spans = new TokenSpan[Math.Max((length / 2) + 1, _spans.Length * 2)];
        }

        var tokenCount = Tokenizer.Tokenize(chars, _spans);
        var previous = 0UL;
        for (var i = 0; i < tokenCount; i++)
        {
            var token = chars.Slice(_spans[i].Start, _spans[i].Length);
            var term = HashStem(token);
            Count(term, weight);
            if (options.WordPairs && previous != 0)
            {
                Count(Pair(previous, term), weight);
            }

            previous = term;
            if (options.SplitJoinedTokens && token.IndexOfAny(Joiners) >= 0)
            {
                CountParts(token, weight);
            }
        }
    }

    // Called after AddField(subject), which sized the buffers for the subject. Each token framed as " token " gives
    // its 3-, 4- and 5-grams, so a misspelt or inflected word still shares most of its grams with the right one, and
    // an identifier (2.53.7, about:config) its pieces.
    private void CountGrams(string subject)
    {
        var length = TextNormalizer.Normalize(subject, _normalized);
        var chars = _normalized.AsSpan(0, length);
        var tokenCount = Tokenizer.Tokenize(chars, _spans);
        Span<char> framed = stackalloc char[66];
        for (var i = 0; i < tokenCount; i++)
        {
            var token = chars.Slice(_spans[i].Start, Math.Min(_spans[i].Length, 64));
            framed[0] = ' ';
            token.CopyTo(framed[1..]);
            framed[token.Length + 1] = ' ';
            var word = framed[..(token.Length + 2)];
            for (var n = 3; n <= 5; n++)
            {
                for (var at = 0; at + n <= word.Length; at++)
                {
                    var bucket = (int)(Hash(word.Slice(at, n)) >> (64 - GramBucketBits));
                    System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_subjectGrams, bucket, out _)++;
                }
            }
        }
    }

    private static readonly SearchValues<char> Joiners = SearchValues.Create(".-@:/");

    private void CountParts(ReadOnlySpan<char> token, int weight)
    {
        while (!token.IsEmpty)
        {
            var cut = token.IndexOfAny(Joiners);
            var part = cut < 0 ? token : token[..cut];
            // One-character parts ("2" of 2.49.5, "t" of can't) say nothing on their own.
            if (part.Length >= 2)
            {
                Count(HashStem(part), weight);
            }

            token = cut < 0 ? [] : token[(cut + 1)..];
        }
    }

    private void Count(ulong term, int weight)
    {
        ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_counts, term, out _);
        count += weight;
        Length += weight;
        if (_current is not null)
        {
            System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_current, term, out _)++;
        }
    }

    private ulong HashStem(ReadOnlySpan<char> token)
    {
        if (token.Length > PorterStemmer.MaxLength)
        {
            return Hash(token);
        }

        var word = _word.AsSpan(0, token.Length);
        token.CopyTo(word);
        return Hash(word[..PorterStemmer.Stem(word)]);
    }

    private static ulong Hash(ReadOnlySpan<char> chars)
    {
        var h = FnvOffset;
        foreach (var c in chars)
        {
            h = (h ^ c) * FnvPrime;
        }

        return Finish(h);
    }

    private static ulong Pair(ulong first, ulong second) => Finish((first * PairSeed) ^ second ^ PairSeed);

    // murmur3's 64-bit finalizer; never 0 so that 0 can mean "no previous token".
    private static ulong Finish(ulong h)
    {
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCD;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53;
        h ^= h >> 33;
        return h | 1;
    }
}
