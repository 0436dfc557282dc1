namespace TicketTriage.ML.Text;

/// <summary>Which character sequences char n-grams are taken from.</summary>
public enum CharNgramScope
{
    /// <summary>Each token padded with a space on both sides (" word "), as fastText and char_wb do.</summary>
    WithinWords = 0,

    /// <summary>The whole normalized text, so n-grams also span word boundaries.</summary>
    AcrossWords = 1,

    /// <summary>Both of the above, hashed apart.</summary>
    Both = 2,
}

/// <summary>Settings of <see cref="TextFeaturizer"/>. Saved with it, so a loaded featurizer behaves identically.</summary>
public sealed record FeaturizerOptions
{
    /// <summary>Hash space is 2^HashBits buckets (16–24).</summary>
    public int HashBits { get; init; } = 20;

    public int WordNgramMin { get; init; } = 1;

    public int WordNgramMax { get; init; } = 2;

    /// <summary>
    /// Skip-bigrams: ordered word pairs up to this many positions apart that are not adjacent (0 disables), in the
    /// word block. They let a linear model see "card … arrive" whatever stands between.
    /// </summary>
    public int WordSkipWindow { get; init; }

    /// <summary>
    /// Word n-grams and skip-bigrams are built from Porter stems ("arrived", "arriving" → "arriv"), so inflections
    /// share weights. Char n-grams still see the words as written.
    /// </summary>
    public bool StemWords { get; init; }

    /// <summary>0 disables the char block.</summary>
    public int CharNgramMin { get; init; } = 3;

    public int CharNgramMax { get; init; } = 5;

    public CharNgramScope CharScope { get; init; } = CharNgramScope.WithinWords;

    /// <summary>TF becomes 1 + ln(count).</summary>
    public bool SublinearTf { get; init; } = true;

    public bool UseIdf { get; init; } = true;

    /// <summary>Each block is L2-normalized, then scaled by its weight.</summary>
    public float WordWeight { get; init; } = 1f;

    public float CharWeight { get; init; } = 1f;

    /// <summary>Buckets seen in fewer fitted documents are treated as unseen.</summary>
    public int MinDocumentFrequency { get; init; } = 1;

    /// <summary>
    /// Keep n-grams not seen at fit time (indices at or above <see cref="TextFeaturizer.VocabularySize"/>, with the
    /// highest IDF). Clustering wants them (a new error code is news); a classifier has no weights for them.
    /// </summary>
    public bool KeepUnseen { get; init; } = true;

    public uint Seed { get; init; } = 0x5EED_7A11;

    internal void Validate()
    {
        if (HashBits is < 10 or > 26)
        {
            throw new ArgumentOutOfRangeException(nameof(HashBits), HashBits, "HashBits must be within 10..26.");
        }

        if (WordNgramMin < 0 || WordNgramMax < WordNgramMin || WordNgramMax > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(WordNgramMax), "Word n-grams must satisfy 0 <= min <= max <= 4.");
        }

        if (WordSkipWindow is < 0 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(WordSkipWindow), "WordSkipWindow must be within 0..64.");
        }

        if (CharNgramMin < 0 || CharNgramMax < CharNgramMin || CharNgramMax > 8 || CharNgramMin == 0 != (CharNgramMax == 0))
        {
            throw new ArgumentOutOfRangeException(nameof(CharNgramMax), "Char n-grams must satisfy 0 < min <= max <= 8, or both 0.");
        }

        if (WordNgramMax == 0 && CharNgramMax == 0)
        {
            throw new ArgumentException("At least one of the word and char blocks must be enabled.");
        }
    }
}
