namespace TicketTriage.ML.Similarity;

/// <summary>
/// Each ticket's terms, its subject's terms and its subject's character n-gram buckets (three lists of sorted ids as
/// varint deltas, a frequency byte when it is not 1) in an append-only pool of 1 MB chunks, so that
/// <see cref="SimilarTicketIndex.MostSimilar"/> can query with a stored ticket without its text.
/// Chunks never move; the chunk list is republished when it grows. One writer, lock-free readers.
/// </summary>
internal sealed class ForwardStore
{
    private const int ChunkBits = 20;
    private const int ChunkSize = 1 << ChunkBits;

    private byte[][] _chunks = [new byte[ChunkSize]];
    private int _chunk;
    private int _position;

    public long ApproximateBytes => (long)(_chunk + 1) * ChunkSize;

    /// <summary>Which of a ticket's lists to read.</summary>
    public enum List
    {
        Terms = 0,
        SubjectTerms = 1,
        SubjectGrams = 2,
    }

    /// <summary>
    /// Writer only: stores a ticket's (term, frequency) pairs, its subject's, and its subject's n-gram buckets, each
    /// sorted by id; returns where they start.
    /// </summary>
    public long Append(ReadOnlySpan<(int Term, byte Frequency)> terms, ReadOnlySpan<(int Term, byte Frequency)> subject,
        ReadOnlySpan<(int Term, byte Frequency)> subjectGrams = default)
    {
        var need = 15 + ((terms.Length + subject.Length + subjectGrams.Length) * 6);
        if (need > ChunkSize)
        {
            throw new ArgumentException("Too many terms for one record.", nameof(terms));
        }

        if (ChunkSize - _position < need)
        {
            _chunk++;
            _position = 0;
            if (_chunk == _chunks.Length)
            {
                var grown = new byte[_chunks.Length * 2][];
                _chunks.CopyTo(grown, 0);
                Volatile.Write(ref _chunks, grown);
            }

            _chunks[_chunk] = new byte[ChunkSize];
        }

        var chunk = _chunks[_chunk];
        var start = ((long)_chunk << ChunkBits) | (uint)_position;
        _position = Write(chunk, Write(chunk, Write(chunk, _position, terms), subject), subjectGrams);
        return start;
    }

    private static int Write(byte[] chunk, int at, ReadOnlySpan<(int Term, byte Frequency)> terms)
    {
        at = Varint.Write(chunk, at, (uint)terms.Length);
        var previous = 0;
        foreach (var (term, frequency) in terms)
        {
            at = Varint.WriteWithFrequency(chunk, at, (uint)(term - previous), frequency);
            previous = term;
        }

        return at;
    }

    /// <summary>The ticket's terms stored at <paramref name="start"/>, which the caller saw published.</summary>
    public (int Term, byte Frequency)[] Read(long start) => Read(start, List.Terms);

    /// <summary>The terms, or (<paramref name="subject"/>) the subject's terms, stored at <paramref name="start"/>.</summary>
    public (int Term, byte Frequency)[] Read(long start, bool subject) => Read(start, subject ? List.SubjectTerms : List.Terms);

    /// <summary>One of the lists stored at <paramref name="start"/>.</summary>
    public (int Term, byte Frequency)[] Read(long start, List list)
    {
        var chunk = Volatile.Read(ref _chunks)[start >> ChunkBits];
        var at = (int)(start & (ChunkSize - 1));
        for (var skipped = 0; skipped < (int)list; skipped++)
        {
            var skip = (int)Varint.Read(chunk, ref at);
            for (var i = 0; i < skip; i++)
            {
                Varint.ReadWithFrequency(chunk, ref at, out _);
            }
        }

        return Decode(chunk, at);
    }

    private static (int Term, byte Frequency)[] Decode(byte[] chunk, int at)
    {
        var count = (int)Varint.Read(chunk, ref at);
        var terms = new (int, byte)[count];
        var term = 0;
        for (var i = 0; i < count; i++)
        {
            term += (int)Varint.ReadWithFrequency(chunk, ref at, out var frequency);
            terms[i] = (term, frequency);
        }

        return terms;
    }
}
