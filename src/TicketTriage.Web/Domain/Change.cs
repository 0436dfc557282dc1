namespace TicketTriage.Web.Domain;

/// <summary>
/// A deploy, upgrade, config push or maintenance, as data: change correlation links a pattern to the change whose
/// targets its tickets concentrate on. (Source, ExternalId) is unique: <c>POST /api/changes</c> is idempotent on it.
/// </summary>
public sealed class Change
{
    public long Id { get; set; }

    public string Source { get; set; } = "";

    public string ExternalId { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>deploy, upgrade, config, maintenance, …</summary>
    public string Kind { get; set; } = "";

    public DateTime StartAt { get; set; }

    public DateTime? EndAt { get; set; }

    /// <summary>What it touched: JSON object attribute → array of values, e.g. {"server": ["web-05", "web-06"]}.</summary>
    public string TargetsJson { get; set; } = "{}";

    /// <summary>
    /// The rollout this change is one batch of (null: a change of its own). A bug in the upgrade procedure follows it
    /// from batch to batch, so correlation also tests the union of a series' batches.
    /// </summary>
    public string? Series { get; set; }

    public DateTime CreatedAt { get; set; }
}
