using System.Text;

namespace TicketTriage.Cli.Corpus;

/// <summary>
/// Expands the phrase-bank mini-language: <c>{a|b|c}</c> picks one alternative (alternatives may nest and may be
/// empty, so <c>{|really }</c> is optional text), <c>{slot}</c> inserts a per-ticket value such as <c>{domain}</c>,
/// and <c>{{</c> / <c>}}</c> are literal braces (for pasted JSON). An unknown single-word slot throws, so a typo in
/// a bank fails the bank test instead of leaking "{domian}" into the corpus.
/// </summary>
internal static class TemplateExpander
{
    public static string Expand(string template, TicketContext context, Random rng)
    {
        var output = new StringBuilder(template.Length + 32);
        ExpandInto(template.AsSpan(), context, rng, output);
        return output.ToString();
    }

    private static void ExpandInto(ReadOnlySpan<char> template, TicketContext context, Random rng, StringBuilder output)
    {
        var i = 0;
        while (i < template.Length)
        {
            var c = template[i];
            if (c == '{' && i + 1 < template.Length && template[i + 1] == '{')
            {
                output.Append('{');
                i += 2;
                continue;
            }
            if (c == '}' && i + 1 < template.Length && template[i + 1] == '}')
            {
                output.Append('}');
                i += 2;
                continue;
            }
            if (c != '{')
            {
                output.Append(c);
                i++;
                continue;
            }

            var close = FindClose(template, i);
            var inner = template[(i + 1)..close];
            var alternatives = SplitTopLevel(inner);
            if (alternatives.Count == 1)
            {
                var name = inner.ToString();
                output.Append(context.Slot(name, rng) ?? throw new FormatException($"Unknown slot '{{{name}}}' in template: {template.ToString()}"));
            }
            else
            {
                var (start, length) = alternatives[rng.Next(alternatives.Count)];
                ExpandInto(inner.Slice(start, length), context, rng, output);
            }
            i = close + 1;
        }
    }

    private static int FindClose(ReadOnlySpan<char> template, int open)
    {
        var depth = 0;
        for (var j = open; j < template.Length; j++)
        {
            if (template[j] == '{') depth++;
            else if (template[j] == '}' && --depth == 0) return j;
        }
        throw new FormatException($"Unbalanced '{{' in template: {template.ToString()}");
    }

    private static List<(int Start, int Length)> SplitTopLevel(ReadOnlySpan<char> inner)
    {
        var parts = new List<(int, int)>();
        var depth = 0;
        var start = 0;
        for (var j = 0; j < inner.Length; j++)
        {
            switch (inner[j])
            {
                case '{': depth++; break;
                case '}': depth--; break;
                case '|' when depth == 0:
                    parts.Add((start, j - start));
                    start = j + 1;
                    break;
            }
        }
        parts.Add((start, inner.Length - start));
        return parts;
    }
}
