using System.Runtime.InteropServices;
using TicketTriage.ML.Text;

namespace TicketTriage.ML.Clustering;

/// <summary>
/// Single-pass online clustering of tickets into patterns.
/// <para>
/// Each ticket looks up candidate patterns through an inverted index over the highest-weighted terms of every live
/// centroid, scores the best few exactly (text cosine minus a time-gap penalty minus an attribute penalty), and joins
/// the best one at or above <see cref="PatternDetectorOptions.JoinThreshold"/>, or starts a new pattern. Centroids
/// decay with a half-life; a periodic pass merges near-duplicate patterns and retires silent ones.
/// </para>
/// <para>
/// Vectors are sparse (indices, values), optionally with a dense latent block appended (e.g. an LSA projection); the
/// ticket's cosine is taken over the concatenation, so the caller weights the blocks by scaling them. Only the sparse
/// block is indexed. Not thread-safe: one writer (the clustering lease holder) owns a detector.
/// </para>
/// </summary>
public sealed partial class PatternDetector
{
    // Version 2 saves each indexed term's posting weight (version 1 recomputed them on load, so a restored index
    // could rank merge candidates differently from the original). Version 3 saves where in the stream each pattern was
    // last seen and when the stream began (StreamSilenceMinTickets); older states count silences by the clock until
    // their patterns next take a ticket. Version 4 saves the incident paces the engine set (SetIncidentPace): a
    // fragment's longer grace lost in a restore closed it, and a restored engine split the PHP rollout's incident
    // where the uninterrupted one did not (StreamDeterminismTests).
    private const int FormatVersion = 4;
    private static readonly byte[] Magic = "TTPD"u8.ToArray();

    private readonly List<PatternState> _patterns = [];
    private readonly Dictionary<int, List<Posting>> _index = [];
    private readonly Dictionary<int, double> _background = [];
    private long _backgroundDocuments;
    private long _assignments;

    // Scratch for candidate lookup, reused across calls: accumulated partial scores and a stamp per pattern slot.
    private float[] _partial = new float[256];
    private int[] _stamp = new int[256];
    private int _stampNow;
    private readonly List<int> _touched = [];
    private int[] _queryIndices = new int[512];
    private float[] _queryValues = new float[512];

    // Patterns whose centroid changed since the last merge pass: only they can have become near-duplicates.
    private readonly HashSet<int> _changed = [];

    public PatternDetector(PatternDetectorOptions? options = null, int latentDimensions = 0, TermDictionary? terms = null)
    {
        Options = options ?? new PatternDetectorOptions();
        Options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(latentDimensions);
        LatentDimensions = latentDimensions;
        Terms = terms ?? new TermDictionary();
    }

    public PatternDetectorOptions Options { get; }

    /// <summary>Length of the dense latent block every ticket must carry (0: none).</summary>
    public int LatentDimensions { get; private set; }

    /// <summary>Names of feature indices, used for titles; whoever featurizes records them here. Saved with the detector.</summary>
    public TermDictionary Terms { get; }

    /// <summary>Patterns ever created (ids are 0..PatternCount-1), including merged and retired ones.</summary>
    public int PatternCount => _patterns.Count;

    public int LivePatternCount { get; private set; }

    public long Assignments => _assignments;

    /// <summary>
    /// Assigns one ticket. <paramref name="indices"/> are best ascending (they are sorted otherwise); a repeated
    /// index counts once per occurrence. <paramref name="admits"/>, when given, is asked of each candidate pattern:
    /// one it refuses is passed over (the caller gates membership, e.g. an incident's pattern on its concentration).
    /// <paramref name="place"/>, when given, is a live pattern the caller has placed the ticket in on evidence the
    /// text score does not see (a customer of an incident's group, worded like it): the ticket joins it, whatever its
    /// score; the assignment reports that score.
    /// </summary>
    public PatternAssignment Assign(
        string ticketId,
        ReadOnlySpan<int> indices,
        ReadOnlySpan<float> values,
        DateTimeOffset at,
        IReadOnlyDictionary<string, string>? attributes = null,
        ReadOnlySpan<float> latent = default,
        Func<int, bool>? admits = null,
        int? place = null)
    {
        ArgumentNullException.ThrowIfNull(ticketId);
        if (indices.Length != values.Length) throw new ArgumentException("indices and values differ in length.", nameof(values));
        if (latent.Length != LatentDimensions)
            throw new ArgumentException($"latent must have {LatentDimensions} values, got {latent.Length}.", nameof(latent));

        // Candidates are scored by merge-join against sorted centroid snapshots, so the ticket's indices must be
        // ascending: featurizers that emit canonical vectors (PatternFeaturizer, SparseVector) pay nothing here.
        if (!IsAscending(indices))
        {
            if (_queryIndices.Length < indices.Length)
            {
                _queryIndices = new int[indices.Length * 2];
                _queryValues = new float[indices.Length * 2];
            }
            var qi = _queryIndices.AsSpan(0, indices.Length);
            var qv = _queryValues.AsSpan(0, indices.Length);
            indices.CopyTo(qi);
            values.CopyTo(qv);
            qi.Sort(qv);
            indices = qi;
            values = qv;
        }

        var ticks = at.UtcTicks;
        _streamStartTicks = Math.Min(_streamStartTicks, ticks);
        double normSq = System.Numerics.Tensors.TensorPrimitives.Dot(values, values);
        if (LatentDimensions > 0) normSq += System.Numerics.Tensors.TensorPrimitives.Dot(latent, latent);
        var norm = Math.Sqrt(normSq);

        var best = -1;
        float bestScore = float.NegativeInfinity, bestSimilarity = 0;
        var placed = false;
        if (place is { } q && _patterns[q].IsLive && _patterns[q].NormSquared > 0)
        {
            var (similarity, score) = Match(_patterns[q], indices, values, latent, norm, ticks, attributes);
            (best, bestScore, bestSimilarity, placed) = (q, score, similarity, true);
        }
        else if (norm > 0)
        {
            foreach (var candidate in Options.ExhaustiveSearch ? AllLive() : Candidates(indices, values))
            {
                var p = _patterns[candidate];
                if (p.NormSquared <= 0 || (admits is not null && !admits(candidate))) continue;
                var (similarity, score) = Match(p, indices, values, latent, norm, ticks, attributes);
                if (score > bestScore || (score == bestScore && candidate < best))
                {
                    (best, bestScore, bestSimilarity) = (candidate, score, similarity);
                }
            }
        }

        var isNew = best < 0 || (!placed && bestScore < Options.JoinThreshold);
        var pattern = isNew ? Create(ticks) : _patterns[best];
        AddMember(pattern, ticketId, indices, values, latent, norm, ticks, attributes);
        CountBackground(indices, values, norm);

        _assignments++;
        if (Options.MergeEvery > 0 && _assignments % Options.MergeEvery == 0) MergeNearDuplicates(at);

        return isNew
            ? new(pattern.Id, 1f, 1f, true)
            : new(pattern.Id, bestSimilarity, bestScore, false);
    }

    // A ticket's text cosine with a pattern, and its join score: the cosine less the time and attribute penalties.
    private (float Similarity, float Score) Match(PatternState p, ReadOnlySpan<int> indices, ReadOnlySpan<float> values,
        ReadOnlySpan<float> latent, double norm, long ticks, IReadOnlyDictionary<string, string>? attributes)
    {
        var similarity = norm > 0 ? (float)(p.Dot(indices, values, latent) / (norm * p.Norm)) : 0f;
        return (similarity, similarity - TimePenalty(p, ticks) - AttributePenalty(p, attributes));
    }

    private static bool IsAscending(ReadOnlySpan<int> indices)
    {
        for (var i = 1; i < indices.Length; i++)
            if (indices[i] < indices[i - 1]) return false;
        return true;
    }

    /// <summary>The surviving pattern id for <paramref name="patternId"/> (itself unless it was merged away).</summary>
    public int Resolve(int patternId)
    {
        var id = patternId;
        while (_patterns[id].MergedInto >= 0) id = _patterns[id].MergedInto;
        return id;
    }

    public PatternSummary Describe(int patternId)
    {
        var p = _patterns[patternId];
        var top = TitleTerms(p);
        return new(
            p.Id,
            top.Count > 0 ? string.Join(" · ", top) : $"pattern #{p.Id}",
            top,
            p.Size,
            new DateTimeOffset(p.FirstSeenTicks, TimeSpan.Zero),
            new DateTimeOffset(p.LastSeenTicks, TimeSpan.Zero),
            p.Arrivals.ToArray(),
            p.Members.ToArray(),
            p.IsLive);
    }

    public bool IsLive(int patternId) => _patterns[patternId].IsLive;

    /// <summary>
    /// Shrinks a retired or merged-away pattern to its summary: its member ids (up to
    /// <see cref="PatternDetectorOptions.MaxMemberIds"/> strings, most of a pattern's memory) go; its centroid, title,
    /// size and arrival series stay. A caller that keeps every pattern ever created (the triage engine) calls it so
    /// that old patterns cost a few kilobytes each, not a pattern's worth of ticket ids. Live patterns are left alone.
    /// </summary>
    public void Compact(int patternId)
    {
        var p = _patterns[patternId];
        if (p.IsLive || p.Members.Count == 0) return;
        p.Members.Clear();
        p.Members.TrimExcess();
    }

    public DateTimeOffset LastSeen(int patternId) => new(_patterns[patternId].LastSeenTicks, TimeSpan.Zero);

    /// <summary>
    /// Merges <paramref name="from"/> into <paramref name="into"/> whatever their sizes or similarity (a person said
    /// they are one problem). Both must be surviving ids (see <see cref="Resolve"/>).
    /// </summary>
    public PatternMerge Merge(int from, int into)
    {
        if (from == into) throw new ArgumentException("A pattern cannot be merged into itself.", nameof(into));
        if (_patterns[from].MergedInto >= 0 || _patterns[into].MergedInto >= 0)
            throw new InvalidOperationException("Merge surviving patterns only (Resolve the ids first).");
        var cosine = (float)_patterns[from].Cosine(_patterns[into]);
        Absorb(_patterns[into], _patterns[from]);
        return new(from, into, cosine);
    }

    /// <summary>Live patterns, largest first.</summary>
    public IReadOnlyList<PatternSummary> LivePatterns() =>
        _patterns.Where(p => p.IsLive).OrderByDescending(p => p.Size).ThenBy(p => p.Id).Select(p => Describe(p.Id)).ToArray();

    private PatternState Create(long ticks)
    {
        var p = new PatternState(_patterns.Count, LatentDimensions)
        {
            FirstSeenTicks = ticks,
            LastSeenTicks = ticks,
            LastDecayTicks = ticks,
        };
        _patterns.Add(p);
        LivePatternCount++;
        if (_partial.Length < _patterns.Count)
        {
            Array.Resize(ref _partial, _partial.Length * 2);
            Array.Resize(ref _stamp, _stamp.Length * 2);
        }
        return p;
    }

    private void AddMember(
        PatternState p, string ticketId, ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<float> latent,
        double norm, long ticks, IReadOnlyDictionary<string, string>? attributes)
    {
        p.DecayTo(ticks, Options.HalfLife.Ticks);
        if (norm > 0)
        {
            // Each ticket adds its unit vector with weight 1 "now"; in stored units that is 1/scale.
            p.AddVector(indices, values, latent, (float)(1 / (norm * p.Scale)));
            p.Weight += 1 / p.Scale;
            p.Prune(Options.MaxCentroidTerms);
        }
        p.Size++;
        p.FirstSeenTicks = Math.Min(p.FirstSeenTicks, ticks);
        p.LastSeenTicks = Math.Max(p.LastSeenTicks, ticks);
        if (!_paced.Contains(p.Id)) _everyday++;
        p.LastSeenEveryday = _everyday;
        p.CountArrival(ticks, Options.SeriesMinutes);
        p.AddMember(ticketId, Options.MaxMemberIds);
        if (attributes is not null)
            foreach (var (key, value) in attributes) AttributesOf(p, key).Add(value, 1, Options.MaxAttributeValues);

        // Refreshing the index entries is the costly part of an update. Early tickets reshape a centroid most, later
        // its top terms are stable: refresh at sizes 1, 2, 4, 8, 16, 32, then every 32nd ticket.
        if ((p.Size & (p.Size - 1)) == 0 || p.Size % 32 == 0) Reindex(p, force: false);
        _changed.Add(p.Id);
    }

    private AttributeCounts AttributesOf(PatternState p, string key)
    {
        if (!p.Attributes.TryGetValue(key, out var counts))
        {
            counts = new AttributeCounts();
            if (p.Attributes.Count < Options.MaxAttributeValues) p.Attributes[key] = counts;
        }
        return counts;
    }

    private float AttributePenalty(PatternState p, IReadOnlyDictionary<string, string>? attributes)
    {
        if (attributes is null || attributes.Count == 0 || Options.AttributeWeight == 0) return 0;
        double sum = 0;
        var keys = 0;
        foreach (var (key, value) in attributes)
        {
            if (!p.Attributes.TryGetValue(key, out var counts) || counts.Total < Options.MinAttributeSupport) continue;
            sum += Math.Max(0, counts.Concentration() - counts.Share(value));
            keys++;
        }
        return keys == 0 ? 0 : Options.AttributeWeight * (float)(sum / keys);
    }

    private void CountBackground(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, double norm)
    {
        _backgroundDocuments++;
        if (norm <= 0 || Terms.Count == 0) return;
        for (var i = 0; i < indices.Length; i++)
            if (Terms.Contains(indices[i]))
                CollectionsMarshal.GetValueRefOrAddDefault(_background, indices[i], out _) += values[i] / norm;
    }

    // Distinctive terms: the pattern's mean weight p and the background mean weight b of each named term, ranked by
    // p·ln(p/b) (its contribution to the KL divergence of pattern from background). A unigram already covered by a
    // chosen bigram is skipped.
    private List<string> TitleTerms(PatternState p)
    {
        var chosen = new List<string>();
        if (p.Weight <= 0 || _backgroundDocuments == 0) return chosen;
        var ranked = new List<(string Term, double Score)>();
        for (var t = 0; t < p.TermCount; t++)
        {
            var (k, stored) = (p.Keys[t], p.Values[t]);
            var name = Terms.NameOf(k);
            if (name is null || stored <= 0 || !Presentable(name)) continue;
            var inPattern = stored / p.Weight;
            var inBackground = (_background.GetValueOrDefault(k) + 1e-3) / (_backgroundDocuments + 1);
            var lift = inPattern / inBackground;
            // Terms barely above their background weight are noise ("please", "help") unless nothing else is left,
            // as for a pattern that is most of the traffic.
            ranked.Add((name, lift >= MinTitleLift ? inPattern * Math.Log(lift) : inPattern * 1e-6));
        }
        foreach (var (term, score) in ranked.OrderByDescending(r => r.Score).ThenBy(r => r.Term, StringComparer.Ordinal))
        {
            if (chosen.Count == Options.TitleTerms || (chosen.Count > 0 && score < 1e-5)) break;
            var words = term.Split(' ');
            if (chosen.Any(c => c.Split(' ').Intersect(words).Count() == words.Length)) continue;
            chosen.RemoveAll(c => c.Split(' ').All(words.Contains));
            chosen.Add(term);
        }
        return chosen;
    }

    // A title term neither starts nor ends with a function word: "cannot log" and "login fails" name a problem,
    // "although my" does not (rare in the background, so it would rank high on lift alone). Nor is it an e-mail
    // address: unique to one customer, it tops a small pattern's lift and names a person, not a problem.
    private static bool Presentable(string term)
    {
        if (term.Contains('@', StringComparison.Ordinal)) return false;
        var space = term.IndexOf(' ');
        var first = space < 0 ? term : term[..space];
        var last = space < 0 ? term : term[(term.LastIndexOf(' ') + 1)..];
        return !FunctionWords.Contains(first) && !FunctionWords.Contains(last);
    }

    private const double MinTitleLift = 1.25;
    private const int MergeCandidates = 4;

}
