namespace TicketTriage.ML.Text;

/// <summary>A token as a slice of the normalized text.</summary>
public readonly record struct TokenSpan(int Start, int Length);

/// <summary>
/// Splits normalized text into tokens: runs of letters, digits and '_' , joined across '.', '-', '\'', '@', ':' and
/// '/' when a letter or digit follows — so <c>mail.example.com</c>, <c>2.4.1</c>, <c>0x80004005</c>,
/// <c>err_ssl_protocol_error</c>, <c>can't</c> and <c>10:30</c> are single tokens, while a sentence's final
/// period is not part of its last word.
/// </summary>
public static class Tokenizer
{
    public static IReadOnlyList<string> Tokenize(string normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        var spans = new TokenSpan[normalized.Length / 2 + 1];
        var n = Tokenize(normalized, spans);
        var result = new string[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = normalized.Substring(spans[i].Start, spans[i].Length);
        }

        return result;
    }

    /// <summary>
    /// Writes token spans into <paramref name="tokens"/> (at most <c>text.Length / 2 + 1</c> are ever produced) and
    /// returns how many were written.
    /// </summary>
    public static int Tokenize(ReadOnlySpan<char> text, Span<TokenSpan> tokens)
    {
        var count = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (!IsWordChar(text[i]))
            {
                i++;
                continue;
            }

            var start = i++;
            while (i < text.Length)
            {
                if (IsWordChar(text[i]))
                {
                    i++;
                }
                else if (IsJoiner(text[i]) && i + 1 < text.Length && IsWordChar(text[i + 1]) && text[i + 1] != '_')
                {
                    i += 2;
                }
                else
                {
                    break;
                }
            }

            tokens[count++] = new TokenSpan(start, i - start);
        }

        return count;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || (c > 0x7F && char.IsLetterOrDigit(c));

    private static bool IsJoiner(char c) => c is '.' or '-' or '\'' or '@' or ':' or '/';
}
