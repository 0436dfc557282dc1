namespace TicketTriage.Web.Domain;

/// <summary>
/// The triage engine's saved state: a provider-neutral blob in the row <see cref="EngineKey"/>, and the featurizer
/// it names in the row <see cref="FeaturizerKey"/>. <see cref="CoversTriagedThrough"/> is the
/// <c>TriagedAt</c> of the last batch the state includes; a ticket triaged later (the app stopped before the next
/// save) is fed to the restored engine again, so no ticket is counted twice or lost.
/// </summary>
public sealed class TriageState
{
    public const string EngineKey = "engine";

    /// <summary>The engine's featurizer, saved apart: it changes only at a refit (TriageEngine.SaveFeaturizer).</summary>
    public const string FeaturizerKey = "featurizer";

    public string Id { get; set; } = EngineKey;

    public byte[] Data { get; set; } = [];

    public DateTime SavedAt { get; set; }

    public DateTime? CoversTriagedThrough { get; set; }

    public long TicketsSeen { get; set; }

    /// <summary>Newest ticket time the engine has seen: "the last hour" of pattern figures is counted back from here.</summary>
    public DateTime? Clock { get; set; }
}
