using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace TicketTriage.ML.Text;

// Hashing n-grams into buckets and buckets into dense vocabulary ids.
public sealed partial class TextFeaturizer
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int TableSlot(int bucket) => (int)(((uint)bucket * 0x9E3779B1u) >> 7) & _idTableMask;

    /// <summary>The vocabulary id of a bucket, or −1 when it was not seen at fit time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int IdOfBucket(int bucket)
    {
        var table = _idTable;
        var slot = TableSlot(bucket);
        while (true)
        {
            var entry = table[slot];
            if (entry == -1L)
            {
                return -1;
            }

            if ((int)entry == bucket)
            {
                return (int)(entry >> 32);
            }

            slot = (slot + 1) & _idTableMask;
        }
    }

    // The hash a word contributes to word n-grams: of its stem when StemWords is set.
    private uint HashWord(ReadOnlySpan<char> token)
    {
        if (!Options.StemWords || token.Length > PorterStemmer.MaxLength)
        {
            return HashToken(token);
        }

        Span<char> stem = stackalloc char[PorterStemmer.MaxLength];
        token.CopyTo(stem);
        var length = PorterStemmer.Stem(stem[..token.Length]);
        return HashToken(stem[..length]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint HashToken(ReadOnlySpan<char> token)
    {
        var h = 0x811C9DC5u;
        foreach (var c in token)
        {
            h = (h ^ c) * FnvPrime;
        }

        return Fmix(h);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint CombineToken(uint h, uint token, int position) => Mix(h, token + (uint)position);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Bucket(uint h, uint seed, int n) => (int)(Fmix(h ^ seed ^ ((uint)n * 0x27D4EB2Fu)) & (uint)_mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Mix(uint h, uint v) => (System.Numerics.BitOperations.RotateLeft(h, 5) ^ v) * 0x9E3779B1u;

    // MurmurHash3's 32-bit finalizer: spreads FNV's weak low bits before masking.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Fmix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85EBCA6B;
        h ^= h >> 13;
        h *= 0xC2B2AE35;
        h ^= h >> 16;
        return h;
    }
}
