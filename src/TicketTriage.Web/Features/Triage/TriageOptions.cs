using TicketTriage.ML.Engine;

namespace TicketTriage.Web.Features.Triage;

/// <summary>The <c>Triage</c> configuration section.</summary>
public sealed class TriageOptions
{
    /// <summary>The category model; relative paths are looked up from the content root and its parent folders, so
    /// the repository's <c>models/</c> is found by <c>dotnet run --project src/TicketTriage.Web</c>.</summary>
    public string ModelPath { get; set; } = "models/triage-classifier.bin";

    /// <summary>Tickets triaged and written per transaction, at most.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>How often the engine's state is saved (also on shutdown).</summary>
    public TimeSpan SaveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the worker looks for untriaged tickets when nothing told it about any.</summary>
    public TimeSpan CatchUpInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most recent stored tickets the featurizer is fitted on when there is no saved state.</summary>
    public int HistoryTickets { get; set; } = 20_000;

    /// <summary>
    /// Ordinary support tickets (a CSV with a <c>text</c> column; looked up like <see cref="ModelPath"/>) that top up
    /// the featurizer's history when the app holds fewer than <see cref="HistoryMinTickets"/> tickets. Empty: none.
    /// </summary>
    public string HistoryCorpusPath { get; set; } = "data/training/tickets.csv";

    /// <summary>
    /// Below this many stored tickets the history is topped up from <see cref="HistoryCorpusPath"/>: IDF and the latent
    /// block fitted on a handful of tickets (or none, on a new install) make every word rare and every surge its own
    /// vocabulary, and then which tickets happened to be stored at the first start decides how tickets cluster.
    /// </summary>
    public int HistoryMinTickets { get; set; } = 4_000;

    /// <summary>Committed ticket ids waiting for the worker, at most; beyond it ids are dropped and the catch-up scan
    /// finds those tickets.</summary>
    public int QueueCapacity { get; set; } = TriageSignals.DefaultCapacity;

    /// <summary>Off: the worker does not run (tickets stay untriaged). For tests of other areas.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Refit the featurizer (IDF, latent block) on the most recent stored tickets as they grow; the engine decides
    /// when (<c>TriageEngine.RefitDue</c>) from the four settings below. Off: the first fit stays.
    /// </summary>
    public bool RefitFeaturizer { get; set; } = true;

    /// <summary>Tickets triaged since the last fit before a refit can be due.</summary>
    public int RefitMinTickets { get; set; } = new EngineOptions().RefitMinTickets;

    /// <summary>A refit is due when the stored tickets reach this factor times the last fit's history …</summary>
    public double RefitGrowth { get; set; } = new EngineOptions().RefitGrowth;

    /// <summary>… or, once <see cref="RefitMaxHistory"/> are stored, when this much ticket time has passed since the last fit.</summary>
    public TimeSpan RefitEvery { get; set; } = new EngineOptions().RefitEvery;

    /// <summary>Most recent stored tickets a refit is fitted on.</summary>
    public int RefitMaxHistory { get; set; } = new EngineOptions().RefitMaxHistory;

    /// <summary>A due refit waits while a pattern flagged in the last week has taken a ticket within this long.</summary>
    public TimeSpan RefitQuietFor { get; set; } = new EngineOptions().RefitQuietFor;

    /// <summary>Least ticket time between two fits for a refit by growth (a surge's volume is not a new vocabulary).</summary>
    public TimeSpan RefitMinInterval { get; set; } = new EngineOptions().RefitMinInterval;
}
