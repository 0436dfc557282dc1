namespace TicketTriage.ML.Similarity;

/// <summary>One answer of <see cref="SimilarTicketIndex"/>: a stored ticket and how similar it is (0–1).</summary>
public readonly record struct SimilarTicket(long Id, float Similarity);

/// <summary>
/// "Has this been seen before?": an incremental BM25 index over every stored ticket, from any time and any pattern.
/// <para>
/// Terms are Porter stems and joined tokens with their parts (<see cref="TicketTerms"/>); the subject counts as
/// <see cref="SimilarityOptions.SubjectWeight"/> body mentions (BM25F with one length). A query keeps its
/// <see cref="SimilarityOptions.MaxQueryTerms"/> most distinctive terms and finds candidates by BM25 within a postings
/// budget; the best <see cref="SimilarityOptions.RerankCandidates"/> are re-ranked by the TF-IDF cosine of the whole
/// tickets blended with that of their subjects (words, and optionally character n-grams). The similarity reported is that blend, in [0, 1] (1: the same
/// terms in the same proportions). Stored per ticket: its terms and its subject's, so a stored ticket is queried
/// without its text.
/// </para>
/// <para>
/// Thread-safety: <see cref="Add(long, string?, string?)"/> calls are serialized by a lock; queries take no lock
/// and may run concurrently with an add (they see every ticket whose add returned before the query started, and
/// perhaps some later ones). Nothing is removed. Pure and deterministic: the same adds in the same order give the
/// same answers.
/// </para>
/// </summary>
public sealed partial class SimilarTicketIndex
{
    private sealed class DocumentColumns(int capacity)
    {
        public readonly long[] Ids = new long[capacity];
        public readonly int[] Lengths = new int[capacity];
        public readonly long[] Forward = new long[capacity];
    }

    private readonly Lock _writeLock = new();
    private readonly TicketTerms _writerTerms;
    private readonly ReadMostlyTable _termIds = new();
    private readonly ReadMostlyTable _documentOfId = new();
    private readonly ForwardStore _forward = new();
    private PostingColumns _postings = new(1024);
    // Tickets whose subject has each character n-gram bucket (allocated on the first subject with n-grams).
    private int[]? _gramDocumentFrequency;
    private DocumentColumns _documents = new(1024);
    private int _termCount;
    private int _documentCount;
    private long _totalLength;

    public SimilarTicketIndex(SimilarityOptions? options = null)
    {
        Options = options ?? new SimilarityOptions();
        Options.Validate();
        _writerTerms = new TicketTerms(Options);
    }

    public SimilarityOptions Options { get; }

    /// <summary>Tickets added.</summary>
    public int Count => Volatile.Read(ref _documentCount);

    /// <summary>Distinct terms seen.</summary>
    public int TermCount => Volatile.Read(ref _termCount);

    /// <summary>Bytes held by the index's arrays (capacity, not just use), for sizing.</summary>
    public long ApproximateBytes
    {
        get
        {
            lock (_writeLock)
            {
                return _termIds.ApproximateBytes + _documentOfId.ApproximateBytes + _forward.ApproximateBytes +
                       _postings.ApproximateBytes(_termCount) + (_documents.Ids.LongLength * 20);
            }
        }
    }

    /// <summary>Adds a ticket with its whole text as body. False (nothing changes) when the id is already present.</summary>
    public bool Add(long id, string text) => Add(id, null, text);

    /// <summary>Adds a ticket. False (nothing changes) when the id is already present.</summary>
    public bool Add(long id, string? subject, string? body)
    {
        lock (_writeLock)
        {
            if (_documentOfId.TryGetValue((ulong)id, out _))
            {
                return false;
            }

            var counts = _writerTerms.Analyze(subject, body);
            var terms = SelectStoredTerms(counts);
            for (var i = 0; i < terms.Length; i++)
            {
                terms[i].Term = TermId(terms[i].Hash);
            }

            Array.Sort(terms, static (x, y) => x.Term.CompareTo(y.Term));
            var pairs = new (int Term, byte Frequency)[terms.Length];
            for (var i = 0; i < terms.Length; i++)
            {
                pairs[i] = (terms[i].Term, (byte)Math.Min(terms[i].Count, byte.MaxValue));
            }

            var document = _documentCount;
            if (document == _documents.Ids.Length)
            {
                var grown = new DocumentColumns(document * 2);
                _documents.Ids.CopyTo(grown.Ids, 0);
                _documents.Lengths.CopyTo(grown.Lengths, 0);
                _documents.Forward.CopyTo(grown.Forward, 0);
                Volatile.Write(ref _documents, grown);
            }

            _documents.Ids[document] = id;
            _documents.Lengths[document] = Math.Max(1, _writerTerms.Length);
            var grams = Grams(_writerTerms.SubjectGrams);
            if (grams.Length > 0)
            {
                var df = _gramDocumentFrequency ??= new int[TicketTerms.GramBuckets];
                foreach (var (bucket, _) in grams)
                {
                    Volatile.Write(ref df[bucket], df[bucket] + 1);
                }

                Volatile.Write(ref _gramDocumentFrequency, df);
            }

            _documents.Forward[document] = _forward.Append(pairs, SubjectTerms(_writerTerms.SubjectCounts), grams);
            Volatile.Write(ref _totalLength, _totalLength + Math.Max(1, _writerTerms.Length));
            Volatile.Write(ref _documentCount, document + 1);
            _documentOfId.Add((ulong)id, document);

            foreach (var (term, frequency) in pairs)
            {
                _postings.Append(term, document, frequency);
            }

            return true;
        }
    }

    /// <summary>The stored tickets most similar to a text, best first.</summary>
    public IReadOnlyList<SimilarTicket> Query(string text, int limit, long? exclude = null) => Query(null, text, limit, exclude);

    /// <summary>The stored tickets most similar to a subject and body, best first; <paramref name="exclude"/> never appears.</summary>
    public IReadOnlyList<SimilarTicket> Query(string? subject, string? body, int limit, long? exclude = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var analyzer = new TicketTerms(Options);
        var counts = analyzer.Analyze(subject, body);
        var query = new List<(int Term, int Count)>(counts.Count);
        var unseen = new List<int>();
        foreach (var (hash, count) in counts)
        {
            if (_termIds.TryGetValue(hash, out var term))
            {
                query.Add((term, count));
            }
            else
            {
                unseen.Add(count);
            }
        }

        var subjectQuery = new List<(int Term, int Count)>(analyzer.SubjectCounts.Count);
        var subjectUnseen = new List<int>();
        foreach (var (hash, count) in analyzer.SubjectCounts)
        {
            if (_termIds.TryGetValue(hash, out var term))
            {
                subjectQuery.Add((term, count));
            }
            else
            {
                subjectUnseen.Add(count);
            }
        }

        return Search(new(query, unseen, subjectQuery, subjectUnseen, analyzer.Length, Grams(analyzer.SubjectGrams)), limit, exclude);
    }

    /// <summary>The tickets most similar to a stored one (never itself), best first; empty for an unknown id.</summary>
    public IReadOnlyList<SimilarTicket> MostSimilar(long id, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (!_documentOfId.TryGetValue((ulong)id, out var document))
        {
            return [];
        }

        var documents = Volatile.Read(ref _documents);
        var stored = _forward.Read(documents.Forward[document]);
        var subject = _forward.Read(documents.Forward[document], subject: true);
        var grams = _forward.Read(documents.Forward[document], ForwardStore.List.SubjectGrams);
        return Search(new([.. stored.Select(t => (t.Term, (int)t.Frequency))], [], [.. subject.Select(t => (t.Term, (int)t.Frequency))], [],
            documents.Lengths[document], grams), limit, id);
    }

    private (ulong Hash, int Count, int Term)[] SelectStoredTerms(Dictionary<ulong, int> counts)
    {
        var terms = new (ulong Hash, int Count, int Term)[counts.Count];
        var i = 0;
        foreach (var (hash, count) in counts)
        {
            terms[i++] = (hash, count, 0);
        }

        if (terms.Length <= Options.MaxTermsPerTicket)
        {
            return terms;
        }

        // A very long report keeps its most frequent terms; ties by hash so the choice is deterministic.
        Array.Sort(terms, static (x, y) => x.Count != y.Count ? y.Count.CompareTo(x.Count) : x.Hash.CompareTo(y.Hash));
        return terms[..Options.MaxTermsPerTicket];
    }

    private static (int Term, byte Frequency)[] Grams(Dictionary<int, int> counts)
    {
        var grams = new (int Bucket, byte Frequency)[counts.Count];
        var i = 0;
        foreach (var (bucket, count) in counts)
        {
            grams[i++] = (bucket, (byte)Math.Min(count, byte.MaxValue));
        }

        Array.Sort(grams, static (x, y) => x.Bucket.CompareTo(y.Bucket));
        return grams;
    }

    private (int Term, byte Frequency)[] SubjectTerms(Dictionary<ulong, int> counts)
    {
        var terms = new (int Term, byte Frequency)[Math.Min(counts.Count, Options.MaxTermsPerTicket)];
        var i = 0;
        foreach (var (hash, count) in counts)
        {
            if (i == terms.Length)
            {
                break;
            }

            terms[i++] = (TermId(hash), (byte)Math.Min(count, byte.MaxValue));
        }

        Array.Sort(terms, static (x, y) => x.Term.CompareTo(y.Term));
        return terms;
    }

    private int TermId(ulong hash)
    {
        if (_termIds.TryGetValue(hash, out var term))
        {
            return term;
        }

        term = _termCount;
        if (term == _postings.Capacity)
        {
            Volatile.Write(ref _postings, _postings.Grow(term));
        }

        // Columns first, then the table entry a reader finds the term by, then the count.
        _termIds.Add(hash, term);
        Volatile.Write(ref _termCount, term + 1);
        return term;
    }
}
