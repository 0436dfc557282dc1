using System.Text;

namespace TicketTriage.Cli.Corpus;

/// <summary>
/// Human noise on prose: keyboard typos, dropped articles, shouting and lower-casing. Tokens that look like
/// identifiers (domains, addresses, paths, versions, codes) are never altered: people paste those, they don't type them.
/// </summary>
internal static class TextNoise
{
    // A QWERTY neighbour for each letter, for the "hit the key next to it" typo.
    private static readonly Dictionary<char, string> Neighbours = new()
    {
        ['a'] = "sqz", ['b'] = "vn", ['c'] = "xv", ['d'] = "sf", ['e'] = "wr", ['f'] = "dg", ['g'] = "fh", ['h'] = "gj",
        ['i'] = "uo", ['j'] = "hk", ['k'] = "jl", ['l'] = "k", ['m'] = "n", ['n'] = "bm", ['o'] = "ip", ['p'] = "o",
        ['q'] = "w", ['r'] = "et", ['s'] = "ad", ['t'] = "ry", ['u'] = "yi", ['v'] = "cb", ['w'] = "qe", ['x'] = "zc",
        ['y'] = "tu", ['z'] = "x",
    };

    /// <summary>Injects typos at <paramref name="ratePerWord"/>; returns the text and how many words were changed.</summary>
    public static (string Text, int Typos) Typos(string text, double ratePerWord, Random rng)
    {
        if (ratePerWord <= 0) return (text, 0);
        var words = text.Split(' ');
        var count = 0;
        for (var i = 0; i < words.Length; i++)
        {
            if (!IsPlainWord(words[i]) || rng.NextDouble() >= ratePerWord) continue;
            words[i] = Mangle(words[i], rng);
            count++;
        }
        return (string.Join(' ', words), count);
    }

    private static bool IsPlainWord(string word)
    {
        var core = word.TrimEnd('.', ',', '!', '?', ';', ':', ')').TrimStart('(', '\'', '"');
        if (core.Length < 4) return false;
        foreach (var c in core)
        {
            if (!char.IsLetter(c) && c != '\'') return false;
        }
        return true;
    }

    private static string Mangle(string word, Random rng)
    {
        // Operate on the letters only; keep leading/trailing punctuation where it was.
        var start = 0;
        while (start < word.Length && !char.IsLetter(word[start])) start++;
        var end = word.Length;
        while (end > start && !char.IsLetter(word[end - 1])) end--;
        var core = new StringBuilder(word[start..end]);
        var at = 1 + rng.Next(core.Length - 1); // keep the first letter: people rarely get that wrong
        switch (rng.Next(4))
        {
            case 0 when at < core.Length - 1:
                (core[at], core[at + 1]) = (core[at + 1], core[at]);
                break;
            case 1:
                core.Remove(at, 1);
                break;
            case 2:
                core.Insert(at, core[at]);
                break;
            default:
                var lower = char.ToLowerInvariant(core[at]);
                if (Neighbours.TryGetValue(lower, out var keys)) core[at] = keys[rng.Next(keys.Length)];
                else core.Remove(at, 1);
                break;
        }
        return word[..start] + core + word[end..];
    }

    /// <summary>Drops "the"/"a"/"an" at the given rate, as some non-native writers do.</summary>
    public static string DropArticles(string text, double rate, Random rng)
    {
        var words = text.Split(' ');
        var kept = new List<string>(words.Length);
        foreach (var w in words)
        {
            if (w is "the" or "a" or "an" && rng.NextDouble() < rate) continue;
            kept.Add(w);
        }
        return string.Join(' ', kept);
    }

    /// <summary>Lower-cases prose and writes the pronoun as "i", as in hurried chat messages.</summary>
    public static string Lower(string text) => text.ToLowerInvariant();

    public static string Shout(string text) => text.ToUpperInvariant();

    /// <summary>Turns full stops into exclamation marks (angry writers).</summary>
    public static string Exclaim(string text, Random rng) =>
        text.EndsWith('.') ? text[..^1] + (rng.Next(3) == 0 ? "!!!" : "!") : text;

    /// <summary>Drops the final full stop (terse writers and chat).</summary>
    public static string Unpunctuate(string text) => text.EndsWith('.') ? text[..^1] : text;
}
