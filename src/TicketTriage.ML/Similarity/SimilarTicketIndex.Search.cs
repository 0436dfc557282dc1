using System.Buffers;

namespace TicketTriage.ML.Similarity;

// The read side: candidate search by BM25 within a postings budget, then the cosine re-ranking. Lock-free: every
// column is read after the count that covers it (see the writer's publication order in SimilarTicketIndex.cs).
public sealed partial class SimilarTicketIndex
{
    // A query's terms (ids of terms the index knows) and the counts of those it does not, for the whole ticket and its subject.
    private sealed record QueryTerms(
        List<(int Term, int Count)> Terms, List<int> Unseen, List<(int Term, int Count)> SubjectTerms, List<int> SubjectUnseen, int Length,
        (int Bucket, byte Frequency)[] SubjectGrams);

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
            // The postings may already count tickets added after n was read (a concurrent add publishes the count
            // first): a document frequency above n would make the IDF negative, and a score that a negative weight
            // brings back to exactly 0 would list its ticket twice. Clamped, the query is judged on its snapshot.
            var df = Math.Min(n, term < postings.Capacity ? Volatile.Read(ref postings.DocumentFrequency[term]) : 0);
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

    // Cosine of term-frequency (raw, or 1 + ln tf with SublinearTf) × smoothed-IDF vectors (the query's unseen terms
    // counted in its norm), of the whole tickets and, weighted by SubjectSimilarityWeight and SubjectCharGramWeight, of
    // their subjects' words and character n-grams.
    // With Bm25Fusion the order is the reciprocal-rank fusion of that cosine's ranks and BM25's.
    private List<SimilarTicket> Rerank((int Document, float Score)[] candidates, QueryTerms q, PostingColumns postings,
        DocumentColumns documents, int n, int limit)
    {
        float Idf(int term)
        {
            var df = term < postings.Capacity ? Volatile.Read(ref postings.DocumentFrequency[term]) : 0;
            return MathF.Log((1f + n) / (1f + Math.Min(df, n))) + 1f;
        }

        var unseenIdf = MathF.Log(1f + n) + 1f;
        var sublinear = Options.SublinearTf;
        float Tf(int count) => sublinear ? 1f + MathF.Log(count) : count;

        (Dictionary<int, float> Weights, double Norm) Vector(List<(int Term, int Count)> terms, List<int> unseen)
        {
            var weights = new Dictionary<int, float>(terms.Count);
            var norm2 = 0.0;
            foreach (var (term, count) in terms)
            {
                var w = Tf(count) * Idf(term);
                weights[term] = w;
                norm2 += w * w;
            }

            foreach (var count in unseen)
            {
                norm2 += Tf(count) * unseenIdf * (double)(Tf(count) * unseenIdf);
            }

            return (weights, Math.Sqrt(norm2));
        }

        float Cosine((Dictionary<int, float> Weights, double Norm) query, (int Term, byte Frequency)[] stored)
        {
            double dot = 0, norm2 = 0;
            foreach (var (term, frequency) in stored)
            {
                var w = Tf(frequency) * Idf(term);
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
        var gramWeight = Options.SubjectCharGramWeight;
        var gramFrequency = Volatile.Read(ref _gramDocumentFrequency);
        var grams = gramWeight > 0 && gramFrequency is not null ? GramVector(q.SubjectGrams, gramFrequency, n) : default;
        var reranked = new List<(int Document, float Similarity)>(candidates.Length);
        foreach (var (document, _) in candidates)
        {
            var at = documents.Forward[document];
            var similarity = Cosine(whole, _forward.Read(at));
            var total = 1f;
            if (lambda > 0)
            {
                similarity += lambda * Cosine(subject, _forward.Read(at, subject: true));
                total += lambda;
            }

            if (gramWeight > 0)
            {
                similarity += gramWeight * (grams.Weights is null ? 0f : GramCosine(grams, _forward.Read(at, ForwardStore.List.SubjectGrams), gramFrequency!, n));
                total += gramWeight;
            }

            reranked.Add((document, similarity / total));
        }

        reranked.Sort(static (x, y) => x.Similarity != y.Similarity ? y.Similarity.CompareTo(x.Similarity) : x.Document.CompareTo(y.Document));
        if (Options.Bm25Fusion > 0f)
        {
            reranked = Fuse(reranked, candidates, Options.Bm25Fusion);
        }

        return [.. reranked.Take(limit).Select(r => new SimilarTicket(documents.Ids[r.Document], Math.Min(1f, r.Similarity)))];
    }

    // Character n-gram buckets weighted by tf × smoothed IDF over the subjects seen (a bucket no ticket has yet, as in
    // a query of new text, gets the highest IDF).
    private static float GramIdf(int[] documentFrequency, int bucket, int n) =>
        MathF.Log((1f + n) / (1f + Math.Min(n, Volatile.Read(ref documentFrequency[bucket])))) + 1f;

    private static (Dictionary<int, float>? Weights, double Norm) GramVector((int Bucket, byte Frequency)[] grams, int[] documentFrequency, int n)
    {
        if (grams.Length == 0)
        {
            return (null, 0);
        }

        var weights = new Dictionary<int, float>(grams.Length);
        var norm2 = 0.0;
        foreach (var (bucket, frequency) in grams)
        {
            var w = frequency * GramIdf(documentFrequency, bucket, n);
            weights[bucket] = w;
            norm2 += w * w;
        }

        return (weights, Math.Sqrt(norm2));
    }

    private static float GramCosine((Dictionary<int, float>? Weights, double Norm) query, (int Term, byte Frequency)[] stored, int[] documentFrequency, int n)
    {
        double dot = 0, norm2 = 0;
        foreach (var (bucket, frequency) in stored)
        {
            var w = frequency * GramIdf(documentFrequency, bucket, n);
            norm2 += w * w;
            if (query.Weights!.TryGetValue(bucket, out var qw))
            {
                dot += w * qw;
            }
        }

        return query.Norm > 0 && norm2 > 0 ? (float)(dot / (query.Norm * Math.Sqrt(norm2))) : 0f;
    }

    /// <summary>The k of reciprocal-rank fusion (Cormack et al. 2009): damps the difference between the first few ranks.</summary>
    internal const int FusionK = 60;

    // Reciprocal-rank fusion: 1 / (k + cosine rank) + weight / (k + BM25 rank), ranks from 1. Ranks, not scores, so the
    // two scales need no calibration; a candidate both rankers put high beats one that only one of them likes. The
    // similarity reported stays the cosine blend (what "how similar" means to a reader), so it need not fall
    // monotonically down the list.
    internal static List<(int Document, float Similarity)> Fuse(List<(int Document, float Similarity)> byCosine,
        (int Document, float Score)[] byBm25, float weight)
    {
        var bm25Rank = new Dictionary<int, int>(byBm25.Length);
        for (var i = 0; i < byBm25.Length; i++)
        {
            bm25Rank[byBm25[i].Document] = i + 1;
        }

        var fused = new List<(int Document, float Similarity, double Fused)>(byCosine.Count);
        for (var i = 0; i < byCosine.Count; i++)
        {
            var (document, similarity) = byCosine[i];
            var rank = bm25Rank.TryGetValue(document, out var r) ? r : byBm25.Length + 1;
            fused.Add((document, similarity, (1.0 / (FusionK + i + 1)) + (weight / (double)(FusionK + rank))));
        }

        fused.Sort(static (x, y) => x.Fused != y.Fused ? y.Fused.CompareTo(x.Fused) : x.Document.CompareTo(y.Document));
        return [.. fused.Select(f => (f.Document, f.Similarity))];
    }
}
