namespace TicketTriage.Web.Domain;

/// <summary>
/// A ticket text with the category a person gave it (an agent recategorized the ticket): training data for the next
/// model. The text is copied, so the example stays what was labeled even if the ticket is later edited.
/// </summary>
public sealed class LabeledExample
{
    public long Id { get; set; }

    public long TicketId { get; set; }

    public string Text { get; set; } = "";

    public string Label { get; set; } = "";

    /// <summary>The model's category before the correction, if any.</summary>
    public string? PreviousLabel { get; set; }

    /// <summary>Who labeled it (the user's email).</summary>
    public string LabeledBy { get; set; } = "";

    public DateTime LabeledAt { get; set; }
}
