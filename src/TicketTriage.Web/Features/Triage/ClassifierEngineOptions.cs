namespace TicketTriage.Web.Features.Triage;

/// <summary>Which engine classifies tickets: this project's (<c>TicketTriage</c>) or an ML.NET model (<c>MlNet</c>).</summary>
public enum ClassifierEngine
{
    TicketTriage = 0,
    MlNet = 1,
}

/// <summary>The <c>Classifier</c> configuration section.</summary>
public sealed class ClassifierEngineOptions
{
    /// <summary>The own engine reads <c>Triage:ModelPath</c>; ML.NET reads <see cref="MlNetModelPath"/>.</summary>
    public ClassifierEngine Engine { get; set; } = ClassifierEngine.TicketTriage;

    /// <summary>An ML.NET model (.zip, input <c>text</c> → <c>PredictedLabel</c> + <c>Score</c>); looked up as <c>Triage:ModelPath</c> is.</summary>
    public string MlNetModelPath { get; set; } = "models/triage-classifier.mlnet.zip";

    /// <summary>
    /// The abstain threshold (on the top probability) for an ML.NET model that has no <c>.abstain.json</c> beside it,
    /// i.e. one trained elsewhere; <c>triage train --engine mlnet</c> writes that file with the calibrated threshold.
    /// </summary>
    public float MlNetAbstainThreshold { get; set; } = 0.5f;
}
