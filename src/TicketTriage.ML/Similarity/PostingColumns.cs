namespace TicketTriage.ML.Similarity;

/// <summary>
/// Per-term postings as columns indexed by term id, replaced whole when they grow so that a reader always holds a
/// consistent set. A term's first posting lives inline (most terms are seen once), the rest as varint doc-index
/// deltas whose low bit says whether a frequency byte follows (most frequencies are 1). Readers read <see cref="DocumentFrequency"/> first: the writer
/// publishes it last, after the bytes it counts.
/// </summary>
internal sealed class PostingColumns
{
    public PostingColumns(int capacity)
    {
        DocumentFrequency = new int[capacity];
        FirstDocument = new int[capacity];
        FirstFrequency = new byte[capacity];
        LastDocument = new int[capacity];
        Rest = new byte[]?[capacity];
        RestLength = new int[capacity];
    }

    public readonly int[] DocumentFrequency;
    public readonly int[] FirstDocument;
    public readonly byte[] FirstFrequency;
    public readonly int[] LastDocument; // writer only
    public readonly byte[]?[] Rest;
    public readonly int[] RestLength; // writer only

    public int Capacity => DocumentFrequency.Length;

    public PostingColumns Grow(int count)
    {
        var grown = new PostingColumns(Math.Max(1024, Capacity * 2));
        Array.Copy(DocumentFrequency, grown.DocumentFrequency, count);
        Array.Copy(FirstDocument, grown.FirstDocument, count);
        Array.Copy(FirstFrequency, grown.FirstFrequency, count);
        Array.Copy(LastDocument, grown.LastDocument, count);
        Array.Copy(Rest, grown.Rest, count);
        Array.Copy(RestLength, grown.RestLength, count);
        return grown;
    }

    /// <summary>Writer only: appends (document, frequency); documents arrive in increasing order.</summary>
    public void Append(int term, int document, byte frequency)
    {
        var df = DocumentFrequency[term];
        if (df == 0)
        {
            FirstDocument[term] = document;
            FirstFrequency[term] = frequency;
        }
        else
        {
            var rest = Rest[term];
            var length = RestLength[term];
            if (rest is null || rest.Length - length < 6)
            {
                var grown = new byte[rest is null ? 8 : rest.Length * 2];
                rest?.AsSpan(0, length).CopyTo(grown);
                rest = grown;
                Volatile.Write(ref Rest[term], grown);
            }

            length = Varint.WriteWithFrequency(rest, length, (uint)(document - LastDocument[term]), frequency);
            RestLength[term] = length;
        }

        LastDocument[term] = document;
        Volatile.Write(ref DocumentFrequency[term], df + 1);
    }

    public long ApproximateBytes(int count)
    {
        long bytes = Capacity * 29L;
        for (var t = 0; t < count; t++)
        {
            if (Rest[t] is { } rest)
            {
                bytes += 24 + rest.Length;
            }
        }

        return bytes;
    }
}

/// <summary>LEB128 unsigned varints, and (value, frequency) pairs that spend a byte on the frequency only when it is not 1.</summary>
internal static class Varint
{
    public static int WriteWithFrequency(byte[] buffer, int at, uint value, byte frequency)
    {
        at = Write(buffer, at, (value << 1) | (frequency == 1 ? 0u : 1u));
        if (frequency != 1)
        {
            buffer[at++] = frequency;
        }

        return at;
    }

    public static uint ReadWithFrequency(ReadOnlySpan<byte> buffer, ref int at, out byte frequency)
    {
        var raw = Read(buffer, ref at);
        frequency = (raw & 1) == 0 ? (byte)1 : buffer[at++];
        return raw >> 1;
    }

    public static int Write(byte[] buffer, int at, uint value)
    {
        while (value >= 0x80)
        {
            buffer[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[at++] = (byte)value;
        return at;
    }

    public static uint Read(ReadOnlySpan<byte> buffer, ref int at)
    {
        uint value = 0;
        var shift = 0;
        byte b;
        do
        {
            b = buffer[at++];
            value |= (uint)(b & 0x7F) << shift;
            shift += 7;
        }
        while (b >= 0x80);
        return value;
    }
}
