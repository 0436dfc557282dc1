using System.Runtime.InteropServices;

namespace TicketTriage.ML.Clustering;

// The inverted index over live centroids' strongest terms, and candidate lookup through it.
public sealed partial class PatternDetector
{
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


    private readonly record struct Posting(int Pattern, float Weight);
}
