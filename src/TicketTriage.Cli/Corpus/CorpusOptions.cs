namespace TicketTriage.Cli.Corpus;

/// <summary>Knobs of the synthetic ticket corpus. Rates are probabilities per ticket unless named per word.</summary>
internal sealed record CorpusOptions
{
    public const int DefaultSeed = 20261121;
    public const int DefaultCount = 4000;

    public int Count { get; init; } = DefaultCount;
    public int Seed { get; init; } = DefaultSeed;

    /// <summary>Share of e-mail tickets that carry a quoted earlier message ("On …, … wrote:" and "&gt;" lines).</summary>
    public double QuotedThreadRate { get; init; } = 0.30;

    /// <summary>Share of e-mail tickets that end with a signature block.</summary>
    public double SignatureRate { get; init; } = 0.70;

    /// <summary>Probability that a prose word gets a typo (swap, drop, double, neighbour key), before the tone's multiplier.</summary>
    public double TypoRatePerWord { get; init; } = 0.012;

    /// <summary>Share of tickets that mix a second category's content in; they are labeled by their primary intent.</summary>
    public double MixedRate { get; init; } = 0.18;

    /// <summary>Share of tickets whose symptom is a vague one shared with related categories (the label is what was found).</summary>
    public double VagueRate { get; init; } = 0.10;

    /// <summary>Share of tickets with a pasted error message or log excerpt (when the category has any).</summary>
    public double ErrorBlockRate { get; init; } = 0.32;
}
