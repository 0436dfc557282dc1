using TicketTriage.ML.Clustering;

namespace TicketTriage.ML.Engine;

// The featurizer's history: fitted on the tickets the app holds when the engine is created.
public sealed partial class TriageEngine
{
    /// <summary>Texts the featurizer was last fitted on.</summary>
    public int HistorySize { get; private set; }

    private long FittedAtSeq { get; set; }

    private long FittedAtTicks { get; set; } = long.MinValue;

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
}
