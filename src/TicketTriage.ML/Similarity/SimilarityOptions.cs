namespace TicketTriage.ML.Similarity;

/// <summary>
/// Settings of <see cref="SimilarTicketIndex"/>. The defaults were chosen on real bug reports with known duplicates
/// (docs/benchmarks.md, "Similar tickets") as a few principled choices, not a tuned grid: standard BM25 constants
/// for finding candidates, the subject counted as a few body mentions (BM25F-style), stems and the parts of joined
/// tokens, and a cosine re-ranking that compares two reports as wholes and by their subjects.
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
    /// In the re-ranking, the weight of the subjects' own cosine beside the whole tickets' (0: whole tickets only):
    /// two reports with the same summary are likely one problem however differently their bodies ramble, as
    /// duplicate-report retrieval scores fields separately. 0.5: the subject decides a third of the similarity.
    /// </summary>
    public float SubjectSimilarityWeight { get; init; } = 0.5f;

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
    }
}
