namespace TicketTriage.ML.Text;

/// <summary>
/// Turns a ticket body into the text the featurizer sees: quoted replies ("&gt;" lines, "On … wrote:" and
/// "Original Message" blocks) and signatures ("-- ", "Regards,", "Sent from my …") removed, lower case, accents
/// folded, whitespace collapsed. Punctuation is kept so that error codes, hostnames and versions
/// (<c>0x80004005</c>, <c>mail.example.com</c>, <c>2.4.1</c>) survive to the tokenizer intact.
/// </summary>
public static class TextNormalizer
{
    // Whole-line closings after which the rest is a signature. Only honoured once some content has been kept,
    // so a message that opens with "Thanks," is not erased.
    private static readonly string[] Closings =
    [
        "regards", "best regards", "kind regards", "warm regards", "many thanks", "thanks", "thank you",
        "thanks in advance", "thanks and regards", "thank you very much", "thx", "cheers", "best", "best wishes",
        "all the best", "with thanks", "sincerely", "yours sincerely", "br",
    ];

    /// <summary>The destination length that is always enough for <paramref name="sourceLength"/> characters.</summary>
    public static int MaxOutputLength(int sourceLength) => (2 * sourceLength) + 1;

    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var buffer = new char[MaxOutputLength(text.Length)];
        var n = Normalize(text, buffer);
        return new string(buffer, 0, n);
    }

    /// <summary>Normalizes into <paramref name="destination"/> without allocating; returns the characters written.</summary>
    public static int Normalize(ReadOnlySpan<char> source, Span<char> destination)
    {
        if (destination.Length < MaxOutputLength(source.Length))
        {
            throw new ArgumentException("Destination is shorter than MaxOutputLength(source.Length).", nameof(destination));
        }

        var written = 0;
        var pendingSpace = false;
        var rest = source;
        while (!rest.IsEmpty)
        {
            var nl = rest.IndexOfAny('\n', '\r');
            var line = nl < 0 ? rest : rest[..nl];
            var skip = nl >= 0 && rest[nl] == '\r' && nl + 1 < rest.Length && rest[nl + 1] == '\n' ? 2 : 1;
            var next = nl < 0 ? ReadOnlySpan<char>.Empty : rest[(nl + skip)..];
            var trimmed = line.Trim();

            if (IsThreadStart(trimmed, next) || (written > 0 && IsSignatureStart(line, trimmed)))
            {
                break;
            }

            if (!trimmed.IsEmpty && trimmed[0] != '>')
            {
                foreach (var c in line)
                {
                    if (char.IsWhiteSpace(c) || char.IsControl(c))
                    {
                        pendingSpace = written > 0;
                        continue;
                    }

                    if (pendingSpace)
                    {
                        destination[written++] = ' ';
                        pendingSpace = false;
                    }

                    written += Fold(c, destination[written..]);
                }

                pendingSpace = written > 0;
            }

            rest = next;
        }

        return written;
    }

    // "On Tue, 3 Mar 2026 at 10:02, Ann <ann@x.com> wrote:" — Gmail and Outlook sometimes wrap it over two lines.
    private static bool IsThreadStart(ReadOnlySpan<char> trimmed, ReadOnlySpan<char> next)
    {
        if (trimmed.StartsWith("-----original message", StringComparison.OrdinalIgnoreCase) ||
            trimmed.StartsWith("----- original message", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!trimmed.StartsWith("on ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (trimmed.EndsWith("wrote:", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var nl = next.IndexOfAny('\n', '\r');
        var nextLine = (nl < 0 ? next : next[..nl]).Trim();
        return nextLine.EndsWith("wrote:", StringComparison.OrdinalIgnoreCase) && trimmed.Length + nextLine.Length < 200;
    }

    private static bool IsSignatureStart(ReadOnlySpan<char> line, ReadOnlySpan<char> trimmed)
    {
        // RFC 3676 delimiter is exactly "-- "; many clients trim the space.
        if (line.TrimEnd('\r') is "-- " || trimmed is "--")
        {
            return true;
        }

        if (trimmed.StartsWith("sent from my ", StringComparison.OrdinalIgnoreCase) ||
            trimmed.StartsWith("get outlook for ", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var bare = trimmed.TrimEnd(",.!");
        if (bare.Length == 0 || bare.Length > 20)
        {
            return false;
        }

        foreach (var closing in Closings)
        {
            if (bare.Equals(closing, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    // Lower-cases and strips diacritics from Latin letters; writes one or two characters.
    private static int Fold(char c, Span<char> dst)
    {
        if (c < 0x80)
        {
            dst[0] = c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c;
            return 1;
        }

        switch (c)
        {
            case 'ß': dst[0] = 's'; dst[1] = 's'; return 2;
            case 'æ' or 'Æ': dst[0] = 'a'; dst[1] = 'e'; return 2;
            case 'œ' or 'Œ': dst[0] = 'o'; dst[1] = 'e'; return 2;
            case 'ø' or 'Ø': dst[0] = 'o'; return 1;
            case 'đ' or 'Đ' or 'ð' or 'Ð': dst[0] = 'd'; return 1;
            case 'ł' or 'Ł': dst[0] = 'l'; return 1;
            case 'þ' or 'Þ': dst[0] = 't'; dst[1] = 'h'; return 2;
            case '\u2018' or '\u2019' or '\u02BC': dst[0] = '\''; return 1;
            case '\u201C' or '\u201D': dst[0] = '"'; return 1;
            case '\u2013' or '\u2014': dst[0] = '-'; return 1;
            case '\u00A0': dst[0] = ' '; return 1;
        }

        var lower = char.ToLowerInvariant(c);
        dst[0] = lower is >= '\u00C0' and <= '\u017F' ? FoldLatin(lower) : lower;
        return 1;
    }

    // Lower-case Latin-1 Supplement and Latin Extended-A letters to their base letter.
    private static char FoldLatin(char c) => c switch
    {
        >= 'à' and <= 'å' => 'a',
        'ç' => 'c',
        >= 'è' and <= 'ë' => 'e',
        >= 'ì' and <= 'ï' => 'i',
        'ñ' => 'n',
        >= 'ò' and <= 'ö' => 'o',
        >= 'ù' and <= 'ü' => 'u',
        'ý' or 'ÿ' => 'y',
        >= '\u0100' and <= '\u0105' => 'a',
        >= '\u0106' and <= '\u010D' => 'c',
        >= '\u010E' and <= '\u0111' => 'd',
        >= '\u0112' and <= '\u011B' => 'e',
        >= '\u011C' and <= '\u0123' => 'g',
        >= '\u0124' and <= '\u0127' => 'h',
        >= '\u0128' and <= '\u0131' => 'i',
        >= '\u0134' and <= '\u0135' => 'j',
        >= '\u0136' and <= '\u0138' => 'k',
        >= '\u0139' and <= '\u0142' => 'l',
        >= '\u0143' and <= '\u014B' => 'n',
        >= '\u014C' and <= '\u0151' => 'o',
        >= '\u0154' and <= '\u0159' => 'r',
        >= '\u015A' and <= '\u0161' => 's',
        >= '\u0162' and <= '\u0167' => 't',
        >= '\u0168' and <= '\u0173' => 'u',
        >= '\u0174' and <= '\u0175' => 'w',
        >= '\u0176' and <= '\u0178' => 'y',
        >= '\u0179' and <= '\u017E' => 'z',
        _ => c,
    };
}
