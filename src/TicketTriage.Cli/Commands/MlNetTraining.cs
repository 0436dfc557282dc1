using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Spectre.Console;
using TicketTriage.ML.Classification;
using TicketTriage.MlNet;

namespace TicketTriage.Cli.Commands;

/// <summary>`triage train --engine mlnet`: the model file, its abstain settings beside it, and a model card.</summary>
internal static class MlNetTraining
{
    public static int Run(IReadOnlyList<LabeledText> examples, string dataPath, string outputPath, MlNetTrainingOptions options)
    {
        var trained = MlNetTextTrainer.Train(examples, options, new Progress<string>(line => Console.Error.WriteLine("mlnet " + line)));
        MlNetTextTrainer.Save(trained.Classifier, outputPath);
        var cardPath = CardPath(outputPath);
        File.WriteAllText(cardPath, Card(trained, options, examples, dataPath, outputPath));
        var table = new Table().AddColumns("", "");
        table.AddRow("examples", examples.Count.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("classes", trained.Classifier.Classes.Count.ToString(CultureInfo.InvariantCulture));
        table.AddRow("pipeline (chosen by validation)", Markup.Escape(trained.Pipeline.Name));
        table.AddRow("abstain threshold (top probability)", trained.Classifier.AbstainThreshold.ToString("0.000", CultureInfo.InvariantCulture));
        table.AddRow("train seconds (final fit / all)", string.Create(CultureInfo.InvariantCulture, $"{trained.FinalFitSeconds:0.0} / {trained.Seconds:0.0}"));
        table.AddRow("model file", Markup.Escape(outputPath));
        table.AddRow("abstain settings", Markup.Escape(MlNetClassifier.SidecarPath(outputPath)));
        table.AddRow("model card", Markup.Escape(cardPath));
        AnsiConsole.Write(table);
        return 0;
    }

    /// <summary><c>models/x.zip</c> → <c>models/x.card.md</c>.</summary>
    public static string CardPath(string modelPath) => Path.ChangeExtension(modelPath, ".card.md");

    private static string Card(MlNetTrainingResult trained, MlNetTrainingOptions options, IReadOnlyList<LabeledText> examples, string dataPath, string outputPath)
    {
        var c = trained.Classifier;
        var card = new StringBuilder();
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(dataPath)));
        card.AppendLine(CultureInfo.InvariantCulture, $"# Model card: `{Path.GetFileName(outputPath)}` (ML.NET)");
        card.AppendLine();
        card.AppendLine(CultureInfo.InvariantCulture, $"Written by `triage train --engine mlnet` on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
        card.AppendLine();
        card.AppendLine(CultureInfo.InvariantCulture, $"- **Data**: `{dataPath}` (SHA-256 `{sha}`), {examples.Count:N0} rows, {c.Classes.Count} classes.");
        card.AppendLine(CultureInfo.InvariantCulture, $"- **Pipeline**: {trained.Pipeline.Name}: `MapValueToKey(label)`, `FeaturizeText(text)`, a maximum-entropy trainer, `MapKeyToValue(PredictedLabel)`; {trained.Features:N0} features.");
        card.AppendLine(CultureInfo.InvariantCulture, $"- **Chosen by validation** (a stratified {options.ValidationFraction:P0} split, balanced accuracy):");
        foreach (var (pipeline, score, seconds) in trained.Validation)
        {
            card.AppendLine(CultureInfo.InvariantCulture, $"  - {pipeline.Name}: {score:0.0000} ({seconds:0} s)");
        }

        card.AppendLine(CultureInfo.InvariantCulture, $"- **Abstain**: \"needs review\" when the top probability is below {c.AbstainThreshold:0.000} (chosen on the validation split: abstaining may cost at most {options.MaxAccuracyDrop:P1} accuracy there). Stored in `{Path.GetFileName(MlNetClassifier.SidecarPath(outputPath))}`.");
        card.AppendLine(CultureInfo.InvariantCulture, $"- **Training time**: {trained.FinalFitSeconds:0.0} s for the final fit on all rows, {trained.Seconds:0} s with the validation of the candidates.");
        card.AppendLine(CultureInfo.InvariantCulture, $"- **Classes**: {string.Join(", ", c.Classes.Select(x => "`" + x + "`"))}.");
        card.AppendLine();
        card.AppendLine("Schema: input `text` (String, and optionally `label`) → output `PredictedLabel` (String) and `Score` (Single vector with the class names as slot names). Load it with `Classifier:Engine=MlNet`.");
        return card.ToString();
    }
}
