namespace TicketTriage.ML.Text;

/// <summary>
/// Reusable scratch space for <see cref="TextFeaturizer.Transform(ReadOnlySpan{char}, FeatureBuffer)"/>: once grown to
/// the longest text seen, featurizing allocates nothing. Not thread-safe: one buffer per thread.
/// After a transform, <see cref="Indices"/>/<see cref="Values"/> hold the features, unsorted; an index can appear
/// once per block (word, char), so sums over them are exact but they are not a canonical sparse vector.
/// </summary>
public sealed class FeatureBuffer
{
    internal char[] Chars = new char[256];
    internal TokenSpan[] Tokens = new TokenSpan[128];
    internal uint[] TokenHashes = new uint[128];

    // Open-addressing table bucket -> term count for the block being built.
    internal int[] Keys = [];
    internal float[] Counts = [];
    internal int[] Occupied = [];
    internal int OccupiedCount;
    internal int Mask;

    internal int[] IndexBuffer = new int[512];
    internal float[] ValueBuffer = new float[512];

    public int Count { get; internal set; }

    /// <summary>The first WordFeatureCount features come from the word block, the rest from the char block.</summary>
    public int WordFeatureCount { get; internal set; }

    public ReadOnlySpan<int> Indices => IndexBuffer.AsSpan(0, Count);

    public ReadOnlySpan<float> Values => ValueBuffer.AsSpan(0, Count);

    internal FeatureBuffer() => ResizeTable(1024);

    internal void EnsureText(int length)
    {
        var need = TextNormalizer.MaxOutputLength(length);
        if (Chars.Length < need)
        {
            Chars = new char[Math.Max(need, Chars.Length * 2)];
        }

        var tokens = (need / 2) + 2;
        if (Tokens.Length < tokens)
        {
            Tokens = new TokenSpan[tokens];
            TokenHashes = new uint[tokens];
        }
    }

    // Sized so the table stays at most half full for `terms` distinct entries.
    internal void EnsureTable(int terms)
    {
        var need = 16;
        while (need < terms * 2)
        {
            need <<= 1;
        }

        if (Keys.Length < need)
        {
            ResizeTable(need);
        }
    }

    internal void EnsureOutput(int extra)
    {
        var need = Count + extra;
        if (IndexBuffer.Length < need)
        {
            var size = Math.Max(need, IndexBuffer.Length * 2);
            Array.Resize(ref IndexBuffer, size);
            Array.Resize(ref ValueBuffer, size);
        }
    }

    internal void Add(int bucket)
    {
        var slot = (int)(((uint)bucket * 0x9E3779B1u) >> 8) & Mask;
        while (true)
        {
            var key = Keys[slot];
            if (key == bucket)
            {
                Counts[slot] += 1f;
                return;
            }

            if (key < 0)
            {
                Keys[slot] = bucket;
                Counts[slot] = 1f;
                Occupied[OccupiedCount++] = slot;
                return;
            }

            slot = (slot + 1) & Mask;
        }
    }

    internal void ClearTable()
    {
        for (var i = 0; i < OccupiedCount; i++)
        {
            Keys[Occupied[i]] = -1;
        }

        OccupiedCount = 0;
    }

    private void ResizeTable(int size)
    {
        Keys = new int[size];
        Array.Fill(Keys, -1);
        Counts = new float[size];
        Occupied = new int[size];
        OccupiedCount = 0;
        Mask = size - 1;
    }
}
