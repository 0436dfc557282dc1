using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TicketTriage.Cli.Data;

namespace TicketTriage.ML.Tests.Classification;

/// <summary>
/// <c>triage eval classify</c> on test rows whose labels training never saw, run as a user runs it (the built
/// <c>triage.dll</c> in a process of its own) on the project's own generated corpus: the JSON reports
/// <c>unknownRecall</c> and <c>inScopeAccuracy</c>, and <c>--predictions</c> writes an empty <c>predicted</c> for
/// every row the model abstains on. Integrations read these names, so the figures are recomputed here from the rows.
/// </summary>
public sealed class EvalClassifyUnknownLabelsTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("tt-eval-classify-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Held_out_intents_are_scored_as_unknown_topics_and_an_abstained_row_has_no_prediction()
    {
        var (train, test) = Corpus();

        var json = Json(Triage("eval", "classify", "--train", train, "--test", test, "--holdout-intents", "2", "--fast", "--json", "--predictions", "predictions.csv"));

        var held = json.GetProperty("heldOutLabels").EnumerateArray().Select(l => l.GetString()!).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(2, held.Count);
        AssertOpenSetFigures(json, held);
    }

    [Fact]
    public void A_test_file_with_labels_unseen_in_training_is_scored_without_being_told_which()
    {
        var (train, test) = Corpus();
        var rows = LabeledCsv.Read(Path.Combine(_dir.FullName, train));
        var unseen = rows.Select(r => r.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(2).ToHashSet(StringComparer.Ordinal);
        var kept = new StringBuilder("text,category\n");
        foreach (var row in rows.Where(r => !unseen.Contains(r.Label)))
        {
            kept.Append(LabeledCsv.Escape(row.Text)).Append(',').Append(LabeledCsv.Escape(row.Label)).Append('\n');
        }

        File.WriteAllText(Path.Combine(_dir.FullName, "kept.csv"), kept.ToString());

        var json = Json(Triage("eval", "classify", "--train", "kept.csv", "--test", test, "--fast", "--json", "--predictions", "predictions.csv"));

        Assert.Empty(json.GetProperty("heldOutLabels").EnumerateArray());
        AssertOpenSetFigures(json, unseen);
    }

    // The JSON's open-set figures are what the predictions file says, row by row.
    private void AssertOpenSetFigures(JsonElement json, IReadOnlySet<string> unknownLabels)
    {
        var predictions = LabeledCsv.Read(Path.Combine(_dir.FullName, "predictions.csv"), textColumn: "best", labelColumn: "truth");
        var unknown = predictions.Where(p => unknownLabels.Contains(p.Label)).ToList();
        var inScope = predictions.Where(p => !unknownLabels.Contains(p.Label)).ToList();
        Assert.NotEmpty(unknown);
        Assert.NotEmpty(inScope);
        Assert.Equal(unknown.Count, json.GetProperty("unknownRows").GetInt32());
        Assert.Equal(inScope.Count, json.GetProperty("inScopeRows").GetInt32());

        // A label never trained on is never the answer: an unknown row is right only by abstaining.
        Assert.DoesNotContain(predictions, p => unknownLabels.Contains(p.Text));
        var abstainedUnknown = unknown.Count(p => p.Columns["predicted"].Length == 0);
        Assert.True(abstainedUnknown > 0, "no unknown row was answered \"needs review\"");
        Assert.Equal(Math.Round(abstainedUnknown / (double)unknown.Count, 4), json.GetProperty("unknownRecall").GetDouble(), 4);
        var rightInScope = inScope.Count(p => p.Columns["predicted"] == p.Label);
        Assert.Equal(Math.Round(rightInScope / (double)inScope.Count, 4), json.GetProperty("inScopeAccuracy").GetDouble(), 4);

        // Abstaining is the threshold on the top probability: below it, no prediction; at or above it, the best label.
        var threshold = json.GetProperty("abstainThreshold").GetDouble();
        Assert.Equal("MaxProbability", json.GetProperty("abstainScore").GetString());
        Assert.All(predictions, p =>
        {
            var confidence = double.Parse(p.Columns["confidence"], CultureInfo.InvariantCulture);
            var predicted = p.Columns["predicted"];
            if (predicted.Length == 0)
            {
                Assert.True(confidence <= threshold + 1e-4, $"abstained at {confidence} over the threshold {threshold}");
            }
            else
            {
                Assert.Equal(p.Text, predicted);
                Assert.True(confidence >= threshold - 1e-4, $"answered at {confidence} under the threshold {threshold}");
            }
        });
    }

    // Two draws of the project's own corpus generator: 1,200 rows to train on, 400 to test.
    private (string Train, string Test) Corpus()
    {
        Triage("generate", "corpus", "--out", "train.csv", "--count", "1200", "--seed", "11");
        Triage("generate", "corpus", "--out", "test.csv", "--count", "400", "--seed", "12");
        return ("train.csv", "test.csv");
    }

    private static JsonElement Json(string output) => JsonDocument.Parse(output).RootElement.Clone();

    // Runs the built CLI in the temporary folder; its standard output.
    private string Triage(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir.FullName, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "triage.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"triage {string.Join(' ', args)} exited {process.ExitCode}: {error.Result}");
        return output;
    }
}
