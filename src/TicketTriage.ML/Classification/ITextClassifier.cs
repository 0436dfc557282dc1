namespace TicketTriage.ML.Classification;

/// <summary>
/// What the triage engine and the app need of a category model, whichever engine trained it (this library's
/// <see cref="TicketClassifier"/>, or an ML.NET model behind an adapter). Implementations are thread-safe.
/// </summary>
public interface ITextClassifier
{
    /// <summary>The labels the model can answer, in its own order.</summary>
    IReadOnlyList<string> Classes { get; }

    /// <summary>Below this calibrated confidence a prediction is flagged <see cref="ClassificationResult.NeedsReview"/>.</summary>
    float AbstainThreshold { get; }

    /// <summary>The most probable label with its confidence, whether to abstain, and the <paramref name="top"/> labels.</summary>
    ClassificationResult Predict(string text, int top = 3);
}
