namespace TicketTriage.Cli.Corpus;

/// <summary>
/// The hand-written phrases of one ticket category, in the template language of <see cref="TemplateExpander"/>.
/// Symptoms carry the intent; details and asks add context that deliberately overlaps other categories' vocabulary
/// (a slow site mentions the database, a migration mentions DNS), as real tickets do.
/// </summary>
internal sealed record CategoryBank(
    string Id,
    string Definition,
    double Weight,
    string[] Subjects,
    string[] Symptoms,
    string[] Details,
    string[] Errors,
    string[] Asks,
    string[] PhoneNotes,
    string[] SupportReplies,
    string[] Neighbours);
