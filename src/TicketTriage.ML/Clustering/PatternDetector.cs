using System.Runtime.InteropServices;

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
    // could rank merge candidates differently from the original).
    private const int FormatVersion = 2;
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
    private readonly HashSet<int> _paced = [];

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
    public int LatentDimensions { get; }

    /// <summary>Names of feature indices, used for titles; whoever featurizes records them here. Saved with the detector.</summary>
    public TermDictionary Terms { get; }

    /// <summary>Patterns ever created (ids are 0..PatternCount-1), including merged and retired ones.</summary>
    public int PatternCount => _patterns.Count;

    public int LivePatternCount { get; private set; }

    public long Assignments => _assignments;

    /// <summary>
    /// Assigns one ticket. <paramref name="indices"/> are best ascending (they are sorted otherwise); a repeated
    /// index counts once per occurrence.
    /// </summary>
    public PatternAssignment Assign(
        string ticketId,
        ReadOnlySpan<int> indices,
        ReadOnlySpan<float> values,
        DateTimeOffset at,
        IReadOnlyDictionary<string, string>? attributes = null,
        ReadOnlySpan<float> latent = default)
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
        double normSq = System.Numerics.Tensors.TensorPrimitives.Dot(values, values);
        if (LatentDimensions > 0) normSq += System.Numerics.Tensors.TensorPrimitives.Dot(latent, latent);
        var norm = Math.Sqrt(normSq);

        var best = -1;
        float bestScore = float.NegativeInfinity, bestSimilarity = 0;
        if (norm > 0)
        {
            foreach (var candidate in Options.ExhaustiveSearch ? AllLive() : Candidates(indices, values))
            {
                var p = _patterns[candidate];
                if (p.NormSquared <= 0) continue;
                var similarity = (float)(p.Dot(indices, values, latent) / (norm * p.Norm));
                var score = similarity - TimePenalty(p, ticks) - AttributePenalty(p, attributes);
                if (score > bestScore || (score == bestScore && candidate < best))
                {
                    (best, bestScore, bestSimilarity) = (candidate, score, similarity);
                }
            }
        }

        var isNew = best < 0 || bestScore < Options.JoinThreshold;
        var pattern = isNew ? Create(ticks) : _patterns[best];
        AddMember(pattern, ticketId, indices, values, latent, norm, ticks, attributes);
        CountBackground(indices, values, norm);

        _assignments++;
        if (Options.MergeEvery > 0 && _assignments % Options.MergeEvery == 0) MergeNearDuplicates(at);

        return isNew
            ? new(pattern.Id, 1f, 1f, true)
            : new(pattern.Id, bestSimilarity, bestScore, false);
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

    /// <summary>
    /// The merge pass: retires patterns silent for <see cref="PatternDetectorOptions.RetireAfter"/>, then merges each
    /// live pattern into a larger (or older, when equal) live one whose centroid cosine is at least
    /// <see cref="PatternDetectorOptions.MergeThreshold"/>, when their active periods are within the gap grace and
    /// their attributes do not contradict. Returns the merges in the order performed.
    /// </summary>
    public IReadOnlyList<PatternMerge> MergeNearDuplicates(DateTimeOffset now)
    {
        var retireBefore = now.UtcTicks - Options.RetireAfter.Ticks;
        foreach (var p in _patterns)
            if (p.IsLive && p.LastSeenTicks < retireBefore) Retire(p);

        var merges = new List<PatternMerge>();
        // Only patterns changed since the last pass are checked (against every live pattern through the index), so a
        // pass costs O(changed patterns), not O(live patterns). Smallest first, so fragments fold into the pattern
        // they split from before that one is itself considered.
        var order = _changed.Select(id => _patterns[id]).Where(p => p.IsLive)
            .OrderBy(p => p.Size).ThenByDescending(p => p.Id).Select(p => p.Id).ToArray();
        _changed.Clear();
        foreach (var id in order)
        {
            var p = _patterns[id];
            if (!p.IsLive) continue;
            var idx = p.IndexedTerms;
            var vals = new float[idx.Length];
            for (var i = 0; i < idx.Length; i++) vals[i] = p.ValueOf(idx[i]);

            PatternState? target = null;
            double targetSimilarity = 0;
            // The best few by index score: a near-duplicate shares the strongest terms.
            var candidates = Candidates(idx, vals);
            if (candidates.Count > MergeCandidates) KeepBest(candidates, MergeCandidates);
            foreach (var c in candidates.ToArray())
            {
                var q = _patterns[c];
                if (q.Id == p.Id || !q.IsLive) continue;
                var cos = p.Cosine(q);
                if (cos < Options.MergeThreshold || cos <= targetSimilarity) continue;
                if (!TimeCompatible(p, q) || !AttributesCompatible(p, q)) continue;
                (target, targetSimilarity) = (q, cos);
            }
            if (target is null) continue;
            var (into, from) = IsSmaller(target, p) ? (p, target) : (target, p);
            Absorb(into, from);
            merges.Add(new(from.Id, into.Id, (float)targetSimilarity));
        }
        return merges;
    }

    // A pattern only merges into one at least as large (older wins a tie), so ids of big patterns stay stable.
    private static bool IsSmaller(PatternState q, PatternState p) => q.Size < p.Size || (q.Size == p.Size && q.Id > p.Id);

    private bool TimeCompatible(PatternState a, PatternState b)
    {
        var gap = Math.Max(a.FirstSeenTicks, b.FirstSeenTicks) - Math.Min(a.LastSeenTicks, b.LastSeenTicks);
        return gap <= Math.Max(Grace(a), Grace(b));
    }

    private bool AttributesCompatible(PatternState a, PatternState b)
    {
        foreach (var (key, ca) in a.Attributes)
        {
            if (!b.Attributes.TryGetValue(key, out var cb)) continue;
            if (ca.Total < Options.MinAttributeSupport || cb.Total < Options.MinAttributeSupport) continue;
            // Overlap of the two value distributions; disjoint concentrated patterns (ams vs fra) stay apart.
            double overlap = 0;
            foreach (var (v, n) in ca.Values) overlap += Math.Min((double)n / ca.Total, cb.Share(v));
            if (overlap < 0.5 && Math.Max(ca.Concentration(), cb.Concentration()) > 0.5) return false;
        }
        return true;
    }

    private void Absorb(PatternState into, PatternState from)
    {
        var now = Math.Max(into.LastDecayTicks, from.LastDecayTicks);
        var halfLife = (double)Options.HalfLife.Ticks;
        into.DecayTo(now, halfLife);
        from.DecayTo(now, halfLife);
        var factor = (float)(from.Scale / into.Scale);
        into.AddVector(from.Keys, from.Values, from.Latent ?? [], factor);
        into.Weight += from.Weight * factor;
        into.Prune(Options.MaxCentroidTerms);

        into.Size += from.Size;
        into.FirstSeenTicks = Math.Min(into.FirstSeenTicks, from.FirstSeenTicks);
        into.LastSeenTicks = Math.Max(into.LastSeenTicks, from.LastSeenTicks);
        foreach (var a in from.Arrivals) into.AddArrivals(a.Minute, a.Count);
        if (into.Arrivals.Count > 0) into.TrimArrivals(into.Arrivals[^1].Minute - Options.SeriesMinutes);
        foreach (var m in from.Members) into.AddMember(m, Options.MaxMemberIds);
        foreach (var (key, counts) in from.Attributes)
        {
            var target = AttributesOf(into, key);
            foreach (var (v, n) in counts.Values) target.Add(v, n, Options.MaxAttributeValues);
            target.Total += counts.Total - counts.Values.Values.Sum();
        }

        Retire(from);
        _changed.Add(into.Id);
        from.MergedInto = into.Id;
        from.ClearTerms();
        from.Latent = null;
        from.Members.Clear();
        from.Attributes.Clear();
        from.NormSquared = 0;
        Reindex(into, force: true);
    }

    private void Retire(PatternState p)
    {
        if (!p.IsLive) return;
        SetIndexed(p, []);
        p.IsLive = false;
        LivePatternCount--;
    }

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

    /// <summary>
    /// From now on <paramref name="patternId"/>'s grace of silence follows its own pace (<see cref="PatternDetectorOptions.PaceGaps"/>):
    /// the engine asks it for a pattern it flagged, so a slow incident stays one pattern. Everyday topics are slow
    /// too, but they keep the fixed grace, which splits them where they go quiet and keeps incidents out of them.
    /// Not saved with the state: the engine asks again for its flagged patterns after a restore.
    /// </summary>
    public void FollowPace(int patternId) => _paced.Add(patternId);

    // The grace of silence a pattern gets: the fixed one, or a few of its own mean gaps once it follows its pace.
    private long Grace(PatternState p) =>
        p.Size < 3 || Options.PaceGaps <= 0 || !_paced.Contains(p.Id)
            ? Options.GapGrace.Ticks
            : Math.Max(Options.GapGrace.Ticks, (long)(Options.PaceGaps * (p.LastSeenTicks - p.FirstSeenTicks) / (p.Size - 1)));

    private float TimePenalty(PatternState p, long ticks)
    {
        var excess = ticks - p.LastSeenTicks - Grace(p);
        if (excess <= 0) return 0;
        return Options.TimeGapWeight * (float)(1 - Math.Exp(-(double)excess / Options.GapScale.Ticks));
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

    /// <summary>Candidate pattern ids: those sharing the ticket's strongest terms in the index, best partial score first.</summary>
    private List<int> Candidates(ReadOnlySpan<int> indices, ReadOnlySpan<float> values)
    {
        _touched.Clear();
        if (++_stampNow == int.MaxValue)
        {
            Array.Clear(_stamp);
            _stampNow = 1;
        }

        foreach (var i in PatternState.TopPositions(values, Options.QueryTerms))
        {
            if (!_index.TryGetValue(indices[i], out var postings)) continue;
            var v = values[i];
            foreach (var posting in CollectionsMarshal.AsSpan(postings))
            {
                var id = posting.Pattern;
                if (_stamp[id] != _stampNow)
                {
                    _stamp[id] = _stampNow;
                    _partial[id] = 0;
                    _touched.Add(id);
                }
                _partial[id] += v * posting.Weight;
            }
        }

        if (_touched.Count > Options.CandidatesScored) KeepBest(_touched, Options.CandidatesScored);
        return _touched;
    }

    // Keeps the `keep` candidates with the highest partial score (ties: lower id) in O(n·keep) without sorting all.
    private void KeepBest(List<int> ids, int keep)
    {
        Span<int> best = stackalloc int[keep];
        var count = 0;
        foreach (var id in ids)
        {
            var score = _partial[id];
            if (count == keep && !Better(id, score, best[count - 1])) continue;
            var at = count < keep ? count++ : keep - 1;
            while (at > 0 && Better(id, score, best[at - 1]))
            {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = id;
        }
        ids.Clear();
        foreach (var id in best[..count]) ids.Add(id);
    }

    private bool Better(int id, float score, int other) =>
        score > _partial[other] || (score == _partial[other] && id < other);

    private List<int> AllLive()
    {
        _touched.Clear();
        foreach (var p in _patterns) if (p.IsLive) _touched.Add(p.Id);
        return _touched;
    }

    private void Reindex(PatternState p, bool force)
    {
        if (!p.IsLive || p.NormSquared <= 0) return;
        var top = p.TopTerms(Options.IndexedTermsPerPattern);
        if (!force && top.AsSpan().SequenceEqual(p.IndexedTerms)) return;
        SetIndexed(p, top);
    }

    // Replaces a pattern's postings; posting weights are the centroid's normalized values at indexing time (only
    // used to rank candidates, which are then scored exactly).
    private void SetIndexed(PatternState p, int[] terms, float[]? weights = null)
    {
        foreach (var t in p.IndexedTerms)
        {
            if (!_index.TryGetValue(t, out var postings)) continue;
            var at = postings.FindIndex(x => x.Pattern == p.Id);
            if (at < 0) continue;
            postings[at] = postings[^1];
            postings.RemoveAt(postings.Count - 1);
            if (postings.Count == 0) _index.Remove(t);
        }
        var norm = p.Norm;
        if (weights is null)
        {
            weights = new float[terms.Length];
            for (var i = 0; i < terms.Length; i++) weights[i] = (float)(p.ValueOf(terms[i]) / norm);
        }
        for (var i = 0; i < terms.Length; i++)
        {
            if (!_index.TryGetValue(terms[i], out var postings)) _index[terms[i]] = postings = [];
            postings.Add(new(p.Id, weights[i]));
        }
        p.IndexedTerms = terms;
        p.IndexedWeights = weights;
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
            if (name is null || stored <= 0) continue;
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

    private const double MinTitleLift = 1.25;
    private const int MergeCandidates = 4;

    private readonly record struct Posting(int Pattern, float Weight);

    // ---------------------------------------------------------------------------------------------------------------
    // State: a versioned binary format. Layout: magic "TTPD", version, options, latent dimensions, term dictionary,
    // counters, background, patterns. The inverted index is rebuilt from each pattern's indexed terms on load.

    public void Save(Stream stream)
    {
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(FormatVersion);
        WriteOptions(w, Options);
        w.Write(LatentDimensions);
        Terms.Write(w);
        w.Write(_assignments);
        w.Write(_backgroundDocuments);
        w.Write(_background.Count);
        foreach (var (k, v) in _background.OrderBy(p => p.Key)) { w.Write(k); w.Write(v); }
        w.Write(_patterns.Count);
        foreach (var p in _patterns) WritePattern(w, p);
        w.Write(_changed.Count);
        foreach (var id in _changed.Order()) w.Write(id);
    }

    /// <summary>
    /// Restores a saved detector. <paramref name="adjust"/> may change options on the way in (e.g. a new join
    /// threshold, or <see cref="PatternDetectorOptions.ExhaustiveSearch"/> for a reference measurement).
    /// </summary>
    public static PatternDetector Load(Stream stream, Func<PatternDetectorOptions, PatternDetectorOptions>? adjust = null)
    {
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (!r.ReadBytes(4).AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("Not a pattern detector state (bad magic).");
        var version = r.ReadInt32();
        if (version is < 1 or > FormatVersion) throw new InvalidDataException($"Pattern detector state version {version} is not supported (expected {FormatVersion}).");
        var options = ReadOptions(r);
        if (adjust is not null) options = adjust(options);
        var latent = r.ReadInt32();
        var terms = TermDictionary.Read(r);
        var d = new PatternDetector(options, latent, terms) { _assignments = r.ReadInt64(), _backgroundDocuments = r.ReadInt64() };
        var bg = r.ReadInt32();
        for (var i = 0; i < bg; i++) d._background[r.ReadInt32()] = r.ReadDouble();
        var count = r.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var p = d.Create(0);
            ReadPattern(r, p, version);
            if (!p.IsLive) d.LivePatternCount--;
            var (indexed, weights) = (p.IndexedTerms, p.IndexedWeights);
            p.IndexedTerms = [];
            p.IndexedWeights = [];
            if (p.IsLive) d.SetIndexed(p, indexed, version >= 2 ? weights : null);
        }
        var changed = r.ReadInt32();
        for (var i = 0; i < changed; i++) d._changed.Add(r.ReadInt32());
        return d;
    }

    private static void WriteOptions(BinaryWriter w, PatternDetectorOptions o)
    {
        w.Write(o.JoinThreshold); w.Write(o.HalfLife.Ticks); w.Write(o.GapGrace.Ticks); w.Write(o.GapScale.Ticks);
        w.Write(o.TimeGapWeight); w.Write(o.AttributeWeight); w.Write(o.MinAttributeSupport); w.Write(o.MaxAttributeValues);
        w.Write(o.IndexedTermsPerPattern); w.Write(o.QueryTerms); w.Write(o.CandidatesScored); w.Write(o.MaxCentroidTerms);
        w.Write(o.MergeThreshold); w.Write(o.MergeEvery); w.Write(o.RetireAfter.Ticks); w.Write(o.SeriesMinutes);
        w.Write(o.MaxMemberIds); w.Write(o.TitleTerms); w.Write(o.ExhaustiveSearch);
    }

    private static PatternDetectorOptions ReadOptions(BinaryReader r) => new()
    {
        JoinThreshold = r.ReadSingle(), HalfLife = new(r.ReadInt64()), GapGrace = new(r.ReadInt64()), GapScale = new(r.ReadInt64()),
        TimeGapWeight = r.ReadSingle(), AttributeWeight = r.ReadSingle(), MinAttributeSupport = r.ReadInt32(), MaxAttributeValues = r.ReadInt32(),
        IndexedTermsPerPattern = r.ReadInt32(), QueryTerms = r.ReadInt32(), CandidatesScored = r.ReadInt32(), MaxCentroidTerms = r.ReadInt32(),
        MergeThreshold = r.ReadSingle(), MergeEvery = r.ReadInt32(), RetireAfter = new(r.ReadInt64()), SeriesMinutes = r.ReadInt32(),
        MaxMemberIds = r.ReadInt32(), TitleTerms = r.ReadInt32(), ExhaustiveSearch = r.ReadBoolean(),
    };

    private static void WritePattern(BinaryWriter w, PatternState p)
    {
        w.Write(p.IsLive); w.Write(p.MergedInto); w.Write(p.Size);
        w.Write(p.FirstSeenTicks); w.Write(p.LastSeenTicks); w.Write(p.LastDecayTicks);
        w.Write(p.Scale); w.Write(p.Weight);
        w.Write(p.TermCount);
        for (var i = 0; i < p.TermCount; i++) { w.Write(p.Keys[i]); w.Write(p.Values[i]); }
        w.Write(p.Latent?.Length ?? -1);
        if (p.Latent is not null) foreach (var v in p.Latent) w.Write(v);
        w.Write(p.IndexedTerms.Length);
        for (var i = 0; i < p.IndexedTerms.Length; i++) { w.Write(p.IndexedTerms[i]); w.Write(p.IndexedWeights[i]); }
        w.Write(p.Arrivals.Count);
        foreach (var a in p.Arrivals) { w.Write(a.Minute); w.Write(a.Count); }
        w.Write(p.Members.Count);
        foreach (var m in p.Members) w.Write(m);
        w.Write(p.Attributes.Count);
        foreach (var (key, counts) in p.Attributes)
        {
            w.Write(key); w.Write(counts.Total); w.Write(counts.Values.Count);
            foreach (var (v, n) in counts.Values) { w.Write(v); w.Write(n); }
        }
    }

    private static void ReadPattern(BinaryReader r, PatternState p, int version)
    {
        p.IsLive = r.ReadBoolean(); p.MergedInto = r.ReadInt32(); p.Size = r.ReadInt32();
        p.FirstSeenTicks = r.ReadInt64(); p.LastSeenTicks = r.ReadInt64(); p.LastDecayTicks = r.ReadInt64();
        p.Scale = r.ReadDouble(); p.Weight = r.ReadDouble();
        var terms = r.ReadInt32();
        var termKeys = new int[terms];
        var termValues = new float[terms];
        for (var i = 0; i < terms; i++) { termKeys[i] = r.ReadInt32(); termValues[i] = r.ReadSingle(); }
        p.SetTerms(termKeys, termValues);
        var latent = r.ReadInt32();
        p.Latent = latent < 0 ? null : new float[latent];
        for (var i = 0; i < latent; i++) p.Latent![i] = r.ReadSingle();
        var indexed = new int[r.ReadInt32()];
        var weights = new float[indexed.Length];
        for (var i = 0; i < indexed.Length; i++)
        {
            indexed[i] = r.ReadInt32();
            if (version >= 2) weights[i] = r.ReadSingle();
        }
        p.IndexedTerms = indexed;
        p.IndexedWeights = weights;
        var arrivals = r.ReadInt32();
        for (var i = 0; i < arrivals; i++) p.Arrivals.Add(new(r.ReadInt64(), r.ReadInt32()));
        var members = r.ReadInt32();
        for (var i = 0; i < members; i++) p.Members.Enqueue(r.ReadString());
        var keys = r.ReadInt32();
        for (var i = 0; i < keys; i++)
        {
            var counts = new AttributeCounts();
            p.Attributes[r.ReadString()] = counts;
            counts.Total = r.ReadInt32();
            var values = r.ReadInt32();
            for (var j = 0; j < values; j++) counts.Values[r.ReadString()] = r.ReadInt32();
        }
        p.RecomputeNorm();
    }
}
