namespace TicketTriage.ML.Similarity;

/// <summary>
/// Settings of <see cref="SimilarTicketIndex"/>. The defaults were chosen on real bug reports with known duplicates
/// (docs/benchmarks.md, "Similar tickets") as a few principled choices, not a tuned grid: standard BM25 constants
/// for finding candidates, the subject counted as a few body mentions (BM25F-style), stems and the parts of joined
/// tokens, and a cosine re-ranking that compares two reports as wholes and by their subjects' character n-grams.
/// </summary>
public sealed record SimilarityOptions
{
    /// <summary>BM25 term-frequency saturation.</summary>
    public float K1 { get; init; } = 1.2f;

    /// <summary>BM25 length normalisation (0: none, 1: full).</summary>
    public float B { get; init; } = 0.75f;

    /// <summary>How many body occurrences one subject occurrence counts as (the subject is the report's summary).</summary>
    public int SubjectWeight { get; init; } = 3;

    /// <summary>
    /// Also index adjacent stem pairs. Off: on the duplicate benchmark they did not help once the subject was weighted
    /// and the results re-ranked, and they more than double the terms stored per ticket.
    /// </summary>
    public bool WordPairs { get; init; }

    /// <summary>Also index the parts of joined tokens (<c>about:config</c> → <c>about</c>, <c>config</c>).</summary>
    public bool SplitJoinedTokens { get; init; } = true;

    /// <summary>
    /// The query keeps only its most distinctive terms (query weight × IDF), as "more like this" searches do: a long
    /// report's rare words decide, and a query over a million tickets reads a bounded number of postings.
    /// </summary>
    public int MaxQueryTerms { get; init; } = 32;

    /// <summary>
    /// Candidate search reads at most about this many postings: after the most distinctive term, a term whose
    /// postings would pass the budget is left to the re-ranking (where it still counts). Bounds query time as the
    /// index grows; the terms skipped are the least distinctive (a term in 20% of a million tickets).
    /// </summary>
    public int MaxPostingsPerQuery { get; init; } = 200_000;

    /// <summary>
    /// The best this many by BM25 are re-ranked by the cosine of their TF-IDF vectors (0: BM25 order). BM25 finds
    /// candidates from a query's distinctive terms; the cosine, normalised on both sides, compares two reports as wholes.
    /// </summary>
    public int RerankCandidates { get; init; } = 200;

    /// <summary>
    /// In the re-ranking, the weight of the cosine of the subjects' words beside the whole tickets' (0: none). Off by
    /// default: the subjects are compared by their character n-grams instead (<see cref="SubjectCharGramWeight"/>),
    /// which match every word these would and also its misspellings and variants.
    /// </summary>
    public float SubjectSimilarityWeight { get; init; }

    /// <summary>
    /// In the re-ranking cosine, weigh a term by 1 + ln(tf) instead of tf: the twentieth mention of a word in a pasted
    /// log or stack trace says little more than the second, the same saturation BM25's k1 applies when finding the
    /// candidates (sublinear tf scaling, Manning, Raghavan &amp; Schütze, Introduction to IR, 6.4.1).
    /// </summary>
    public bool SublinearTf { get; init; }

    /// <summary>
    /// Weight of the BM25 ranking fused with the cosine ranking by reciprocal rank (0: cosine order alone): the two
    /// measure different things (BM25 the query's rare terms found, the cosine the two reports' overall likeness),
    /// and a report both place high is the safer answer.
    /// </summary>
    public float Bm25Fusion { get; init; }

    /// <summary>
    /// In the re-ranking, the weight of the TF-IDF cosine of the subjects' character 3–5-grams beside the whole tickets'
    /// (0: none): two reports with the same summary are likely one problem however differently their bodies ramble,
    /// as duplicate-report retrieval scores fields separately; 0.5: the subject decides a third of the similarity.
    /// Character n-grams rather than words because a summary is short and written in haste: a misspelling, another
    /// inflection or a different split of an identifier ("addon" / "add-on", "crashs") misses as a word and still
    /// shares most of its n-grams. Costs a few hundred bytes per ticket (the subject's n-gram buckets).
    /// </summary>
    public float SubjectCharGramWeight { get; init; } = 0.5f;

    /// <summary>Distinct terms kept per ticket (the most frequent); bounds memory for very long reports.</summary>
    public int MaxTermsPerTicket { get; init; } = 512;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(K1);
        ArgumentOutOfRangeException.ThrowIfNegative(B);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(B, 1f);
        ArgumentOutOfRangeException.ThrowIfNegative(SubjectWeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxQueryTerms);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxPostingsPerQuery);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxTermsPerTicket);
        ArgumentOutOfRangeException.ThrowIfNegative(RerankCandidates);
        ArgumentOutOfRangeException.ThrowIfNegative(SubjectSimilarityWeight);
        ArgumentOutOfRangeException.ThrowIfNegative(Bm25Fusion);
        ArgumentOutOfRangeException.ThrowIfNegative(SubjectCharGramWeight);
    }
}
