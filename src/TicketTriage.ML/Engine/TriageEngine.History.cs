using System.Diagnostics;
using TicketTriage.ML.Clustering;
using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Engine;

/// <summary>A featurizer fitted on a history, ready for <see cref="TriageEngine.ApplyRefit"/>.</summary>
public sealed class FeaturizerFit
{
    internal FeaturizerFit(PatternFeaturizer featurizer, int historySize, TimeSpan elapsed)
    {
        Featurizer = featurizer;
        HistorySize = historySize;
        Elapsed = elapsed;
    }

    internal PatternFeaturizer Featurizer { get; }

    /// <summary>Texts it was fitted on.</summary>
    public int HistorySize { get; }

    /// <summary>How long the fit took.</summary>
    public TimeSpan Elapsed { get; }
}

// The featurizer's history: fitted on the tickets the app holds when the engine is created, and refitted as they
// grow. A refit re-expresses every vector the engine keeps in the new space (no texts needed), so patterns keep
// their ids and members and a ticket of an existing pattern still finds it.
public sealed partial class TriageEngine
{
    /// <summary>Texts the featurizer was last fitted on.</summary>
    public int HistorySize { get; private set; }

    private long FittedAtSeq { get; set; }

    private long FittedAtTicks { get; set; } = long.MinValue;

    /// <summary>The featurizer's latent width (0 until a history large enough for it).</summary>
    public int LatentDimensions => _featurizer.LatentDimensions;

    /// <summary>
    /// Whether the featurizer should be refitted now that the caller holds <paramref name="heldTickets"/> tickets (the
    /// app: those in its database; the replay: the history plus the tickets it has fed): at least
    /// <see cref="EngineOptions.RefitMinTickets"/> tickets seen since the last fit, and either the held tickets grown
    /// <see cref="EngineOptions.RefitGrowth"/> times past the last history, or, once
    /// <see cref="EngineOptions.RefitMaxHistory"/> are held, <see cref="EngineOptions.RefitEvery"/> of stream time
    /// since the last fit (the vocabulary drifts even when the corpus cannot grow).
    /// </summary>
    public bool RefitDue(long heldTickets)
    {
        var o = Options;
        if (!o.RefitFeaturizer || TicketsSeen - FittedAtSeq < o.RefitMinTickets || IncidentUnfolding())
        {
            return false;
        }

        // Growth by volume alone is a surge, not a new vocabulary: the store doubling within minutes (1,000 tickets/s)
        // would otherwise refit every few seconds and take the cores triage needs (measured: lag p95 2.5 s at 1,000/s).
        var oldEnough = FittedAtTicks != long.MinValue && _lastTicks - FittedAtTicks >= o.RefitMinInterval.Ticks;
        if (oldEnough && heldTickets >= o.RefitGrowth * HistorySize && Math.Min(heldTickets, o.RefitMaxHistory) > HistorySize)
        {
            return true;
        }

        return heldTickets >= o.RefitMaxHistory && FittedAtTicks != long.MinValue && _lastTicks - FittedAtTicks >= o.RefitEvery.Ticks;
    }

    // A refit re-expresses every pattern in a new feature space, which is close but not exact; an incident still
    // unfolding must keep its pattern as it is. Measured (docs/benchmarks.md, "Featurizer refresh"): a refit in the
    // middle of the slow burn split it and lost its change; one during Webmail's database failure mixed it with
    // background (purity 0.50). So a due refit waits while a pattern flagged within the signals horizon (a week) has
    // taken a ticket in the last RefitQuietFor; a false alarm on an everyday topic holds it back a week at most.
    private bool IncidentUnfolding()
    {
        var recent = _lastTicks - Options.RefitQuietFor.Ticks;
        var horizon = _lastTicks - Options.SignalsHorizon.Ticks;
        foreach (var id in _flagged)
        {
            if (_tracks.TryGetValue(id, out var t) && !t.Dismissed && t.FlagSeq is not null && t.FlagTicks >= horizon &&
                t.Recent.Any(m => m.Ticks >= recent))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Fits a featurizer for an engine with <paramref name="options"/> on <paramref name="historyTexts"/> (the most
    /// recent <see cref="EngineOptions.RefitMaxHistory"/> are used). Reads no engine state: run it on another
    /// thread while the engine keeps triaging, then <see cref="ApplyRefit"/> on the engine's.
    /// </summary>
    public static FeaturizerFit FitHistory(EngineOptions options, IReadOnlyList<string> historyTexts)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(historyTexts);
        var texts = historyTexts.Count > options.RefitMaxHistory
            ? historyTexts.Skip(historyTexts.Count - options.RefitMaxHistory).ToList()
            : historyTexts;
        var started = Stopwatch.GetTimestamp();
        var featurizer = FitFeaturizer(options, texts);
        return new FeaturizerFit(featurizer, texts.Count, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Switches to a featurizer from <see cref="FitHistory"/>: the patterns' centroids, the inverted index, term
    /// names, member vectors and the base-rate ring are re-expressed in its space. Tickets triaged between the fit and
    /// this call are carried over like the rest. Returns how long the re-expression took.
    /// </summary>
    public TimeSpan ApplyRefit(FeaturizerFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        var started = Stopwatch.GetTimestamp();
        var translation = fit.Featurizer.TranslationFrom(_featurizer);
        _detector.Reexpress(translation);
        foreach (var (id, track) in _tracks.OrderBy(t => t.Key))
        {
            track.Reexpress(translation.Translate);
            // A pattern whose every member vector is kept gets its centroid rebuilt from them, exactly.
            if (track.Count == track.Recent.Count && track.Count > 0)
            {
                _detector.RebuildCentroid(id, [.. track.Recent.Select(m => (m.Item, m.Ticks))]);
            }
        }

        var ring = new SimilarityBaseRate(Options.BaseRateTickets, Options.BaseRateSimilarity);
        foreach (var (ticks, item, tag) in _history.Entries())
        {
            ring.Add(new DateTimeOffset(ticks, TimeSpan.Zero), translation.Translate(item), tag);
        }

        _history = ring;
        _featurizer = fit.Featurizer;
        FeaturizerGeneration++;
        HistorySize = fit.HistorySize;
        FittedAtSeq = TicketsSeen;
        FittedAtTicks = _lastTicks;
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary><see cref="FitHistory"/> and <see cref="ApplyRefit"/> in one call (the offline replay's way).</summary>
    public void Refit(IReadOnlyList<string> historyTexts) => ApplyRefit(FitHistory(Options, historyTexts));

    // An LSA block needs a corpus several times its width; below that (a new install, a handful of tickets) the
    // pattern vectors are TF-IDF alone until a refit on a larger history.
    private static PatternFeaturizer FitFeaturizer(EngineOptions options, IReadOnlyList<string> history)
    {
        var recipe = options.Featurizer;
        if (history.Count < 2 * recipe.LatentDimensions)
        {
            recipe = recipe with { LatentDimensions = 0 };
        }

        return PatternFeaturizer.Fit(history, recipe);
    }

    /// <summary>Base-rate ring, for tests: (similar, total) kept tickets before <paramref name="before"/> like <paramref name="text"/>.</summary>
    internal (int Similar, int Total) CountSimilarBefore(string text, DateTimeOffset before) =>
        _history.CountSimilar([_featurizer.Featurize(text)], before);

    /// <summary>Base-rate ring, for tests: kept tickets from <paramref name="from"/> on like <paramref name="text"/> (a burst's count).</summary>
    internal int CountSimilarSince(string text, DateTimeOffset from) =>
        _history.SimilarSince([_featurizer.Featurize(text)], from).Count;

    // The history the featurizer is fitted on is also what "how common was this kind of ticket before" is measured
    // against until the stream has filled the ring: without it, an everyday topic whose tickets started with the
    // stream has no past at all, and ten routine "can't import my SQL file" tickets over a day and a half look like a
    // new topic at the new-pattern prior. Seeded tickets come before every ticket of the stream (no time, no pattern).
    private void SeedBaseRate(IReadOnlyList<string> historyTexts)
    {
        if (!Options.SeedBaseRateFromHistory || historyTexts.Count == 0)
        {
            return;
        }

        var texts = historyTexts.Skip(Math.Max(0, historyTexts.Count - Options.BaseRateTickets)).ToList();
        var items = texts.AsParallel().AsOrdered().Select(_featurizer.Featurize).ToList();
        for (var i = 0; i < items.Count; i++)
        {
            _history.Add(DateTimeOffset.MinValue, items[i], -1 - i); // negative tags: never a ticket of the stream
        }
    }
}
