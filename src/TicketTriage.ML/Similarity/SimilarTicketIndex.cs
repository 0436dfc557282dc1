using System.Buffers;

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
/// tickets blended with that of their subjects. The similarity reported is that blend, in [0, 1] (1: the same
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
public sealed class SimilarTicketIndex
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
            _documents.Forward[document] = _forward.Append(pairs, SubjectTerms(_writerTerms.SubjectCounts));
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

        return Search(new(query, unseen, subjectQuery, subjectUnseen, analyzer.Length), limit, exclude);
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
        return Search(new([.. stored.Select(t => (t.Term, (int)t.Frequency))], [], [.. subject.Select(t => (t.Term, (int)t.Frequency))], [], documents.Lengths[document]), limit, id);
    }

    // A query's terms (ids of terms the index knows) and the counts of those it does not, for the whole ticket and its subject.
    private sealed record QueryTerms(
        List<(int Term, int Count)> Terms, List<int> Unseen, List<(int Term, int Count)> SubjectTerms, List<int> SubjectUnseen, int Length);

    private IReadOnlyList<SimilarTicket> Search(QueryTerms q, int limit, long? exclude)
    {
        var query = q.Terms;
        var queryLength = q.Length;
        // Read the counts before the columns: the writer publishes columns first, so they cover what is counted.
        var n = Volatile.Read(ref _documentCount);
        if (limit == 0 || n == 0 || query.Count == 0)
        {
            return [];
        }

        var averageLength = Math.Max(1.0, (double)Volatile.Read(ref _totalLength) / n);
        var postings = Volatile.Read(ref _postings);
        var documents = Volatile.Read(ref _documents);
        var k1 = Options.K1;
        var b = Options.B;

        // Weight each query term by its saturated frequency × IDF and keep the most distinctive.
        var weighted = new List<(int Term, float Weight, int Count)>(query.Count);
        foreach (var (term, count) in query)
        {
            var df = term < postings.Capacity ? Volatile.Read(ref postings.DocumentFrequency[term]) : 0;
            if (df == 0)
            {
                continue;
            }

            var idf = MathF.Log(1f + ((n - df + 0.5f) / (df + 0.5f)));
            weighted.Add((term, count * (k1 + 1) / (count + k1) * idf, count));
        }

        weighted.Sort(static (x, y) => y.Weight != x.Weight ? y.Weight.CompareTo(x.Weight) : x.Term.CompareTo(y.Term));
        if (weighted.Count > Options.MaxQueryTerms)
        {
            weighted.RemoveRange(Options.MaxQueryTerms, weighted.Count - Options.MaxQueryTerms);
        }

        var budget = (long)Options.MaxPostingsPerQuery;
        for (var i = 0; i < weighted.Count; i++)
        {
            var df = Volatile.Read(ref postings.DocumentFrequency[weighted[i].Term]);
            if (i > 0 && df > budget)
            {
                weighted.RemoveAt(i--);
                continue;
            }

            budget -= df;
        }

        var queryNorm = k1 * (1 - b + (b * (float)(queryLength / averageLength)));
        var selfScore = 0f;
        foreach (var (_, weight, count) in weighted)
        {
            selfScore += weight * count * (k1 + 1) / (count + queryNorm);
        }

        var scores = ArrayPool<float>.Shared.Rent(n);
        var touched = new List<int>();
        try
        {
            Array.Clear(scores, 0, n);
            foreach (var (term, weight, _) in weighted)
            {
                Accumulate(postings, documents, term, weight, n, averageLength, scores, touched);
            }

            var candidates = Best(scores, touched, documents, Math.Max(limit, Options.RerankCandidates), exclude);
            return Options.RerankCandidates == 0
                ? [.. candidates.Take(limit).Select(c => new SimilarTicket(documents.Ids[c.Document], selfScore > 0 ? Math.Min(1f, c.Score / selfScore) : 0f))]
                : Rerank(candidates, q, postings, documents, n, limit);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
        }
    }

    private void Accumulate(PostingColumns postings, DocumentColumns documents, int term, float weight, int n,
        double averageLength, float[] scores, List<int> touched)
    {
        var k1 = Options.K1;
        var b = Options.B;
        var lengthScale = b / (float)averageLength;
        var df = Volatile.Read(ref postings.DocumentFrequency[term]);
        var document = postings.FirstDocument[term];
        var frequency = (int)postings.FirstFrequency[term];
        var rest = df > 1 ? Volatile.Read(ref postings.Rest[term]) : null;
        var at = 0;
        for (var i = 0; i < df; i++)
        {
            if (i > 0)
            {
                document += (int)Varint.ReadWithFrequency(rest, ref at, out var stored);
                frequency = stored;
            }

            if (document >= n)
            {
                break;
            }

            var norm = k1 * (1 - b + (lengthScale * documents.Lengths[document]));
            if (scores[document] == 0)
            {
                touched.Add(document);
            }

            scores[document] += weight * frequency * (k1 + 1) / (frequency + norm);
        }
    }

    private static (int Document, float Score)[] Best(float[] scores, List<int> touched, DocumentColumns documents, int limit,
        long? exclude)
    {
        // A min-heap of the best `limit`: lowest score on top, and among equal scores the later ticket.
        var heap = new PriorityQueue<int, (float Score, int NegatedDocument)>(limit + 1);
        foreach (var document in touched)
        {
            if (exclude == documents.Ids[document])
            {
                continue;
            }

            var key = (scores[document], -document);
            if (heap.Count < limit)
            {
                heap.Enqueue(document, key);
            }
            else if (heap.TryPeek(out _, out var worst) && key.CompareTo(worst) > 0)
            {
                heap.EnqueueDequeue(document, key);
            }
        }

        var result = new (int, float)[heap.Count];
        for (var i = result.Length - 1; i >= 0; i--)
        {
            var document = heap.Dequeue();
            result[i] = (document, scores[document]);
        }

        return result;
    }

    // Cosine of raw-frequency × smoothed-IDF vectors (the query's unseen terms counted in its norm), of the whole
    // tickets and, weighted by SubjectSimilarityWeight, of their subjects alone.
    private List<SimilarTicket> Rerank((int Document, float Score)[] candidates, QueryTerms q, PostingColumns postings,
        DocumentColumns documents, int n, int limit)
    {
        float Idf(int term)
        {
            var df = term < postings.Capacity ? Volatile.Read(ref postings.DocumentFrequency[term]) : 0;
            return MathF.Log((1f + n) / (1f + Math.Min(df, n))) + 1f;
        }

        var unseenIdf = MathF.Log(1f + n) + 1f;
        (Dictionary<int, float> Weights, double Norm) Vector(List<(int Term, int Count)> terms, List<int> unseen)
        {
            var weights = new Dictionary<int, float>(terms.Count);
            var norm2 = 0.0;
            foreach (var (term, count) in terms)
            {
                var w = count * Idf(term);
                weights[term] = w;
                norm2 += w * w;
            }

            foreach (var count in unseen)
            {
                norm2 += count * unseenIdf * (double)(count * unseenIdf);
            }

            return (weights, Math.Sqrt(norm2));
        }

        float Cosine((Dictionary<int, float> Weights, double Norm) query, (int Term, byte Frequency)[] stored)
        {
            double dot = 0, norm2 = 0;
            foreach (var (term, frequency) in stored)
            {
                var w = frequency * Idf(term);
                norm2 += w * w;
                if (query.Weights.TryGetValue(term, out var qw))
                {
                    dot += w * qw;
                }
            }

            return query.Norm > 0 && norm2 > 0 ? (float)(dot / (query.Norm * Math.Sqrt(norm2))) : 0f;
        }

        var whole = Vector(q.Terms, q.Unseen);
        var subject = Vector(q.SubjectTerms, q.SubjectUnseen);
        var lambda = Options.SubjectSimilarityWeight;
        var reranked = new List<(int Document, float Similarity)>(candidates.Length);
        foreach (var (document, _) in candidates)
        {
            var at = documents.Forward[document];
            var similarity = Cosine(whole, _forward.Read(at));
            if (lambda > 0)
            {
                similarity = (similarity + (lambda * Cosine(subject, _forward.Read(at, subject: true)))) / (1 + lambda);
            }

            reranked.Add((document, similarity));
        }

        reranked.Sort(static (x, y) => x.Similarity != y.Similarity ? y.Similarity.CompareTo(x.Similarity) : x.Document.CompareTo(y.Document));
        return [.. reranked.Take(limit).Select(r => new SimilarTicket(documents.Ids[r.Document], Math.Min(1f, r.Similarity)))];
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
