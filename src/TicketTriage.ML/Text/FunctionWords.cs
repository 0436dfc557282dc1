namespace TicketTriage.ML.Text;

/// <summary>
/// English function words: pronouns, articles, auxiliaries, conjunctions, prepositions. A closed class — the list is
/// complete by nature, not tuned to any data. Features keep them (they carry phrasing); titles shown to people do not
/// start or end with one ("although my", "fails i" say nothing about a pattern).
/// </summary>
public static class FunctionWords
{
    private static readonly HashSet<string> Words = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "this", "that", "these", "those", "some", "any", "each", "every", "no", "not",
        "i", "me", "my", "mine", "we", "us", "our", "ours", "you", "your", "yours", "he", "him", "his", "she", "her",
        "hers", "it", "its", "they", "them", "their", "theirs", "who", "whom", "whose", "which", "what",
        "am", "is", "are", "was", "were", "be", "been", "being", "do", "does", "did", "done", "have", "has", "had",
        "will", "would", "shall", "should", "can", "could", "may", "might", "must",
        "and", "or", "but", "nor", "so", "yet", "if", "then", "than", "because", "although", "though", "while",
        "when", "where", "whether", "as", "since", "until", "unless",
        "of", "to", "in", "on", "at", "by", "for", "with", "from", "into", "onto", "about", "over", "under", "after",
        "before", "between", "through", "during", "without", "within", "up", "down", "out", "off",
        "there", "here", "also", "just", "very", "too", "again", "still", "even", "please", "hi", "hello", "thanks",
    };

    public static bool Contains(string word) => Words.Contains(word);
}
