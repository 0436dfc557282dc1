namespace TicketTriage.Cli.Corpus;

/// <summary>
/// One synthetic ticket. <see cref="Text"/> is what is written to the corpus (subject, blank line, body); the other
/// fields record how it was composed so tests can check the generator's rates without parsing the text back.
/// </summary>
internal sealed record GeneratedTicket(
    int Id,
    string Subject,
    string Body,
    string Category,
    string Channel,
    string Tone,
    string? SecondaryCategory,
    bool IsVague,
    bool HasQuotedThread,
    bool HasSignature,
    bool HasErrorBlock,
    int TypoCount)
{
    public string Text => TicketTriage.ML.Engine.TriageText.Compose(Subject, Body);
}
