extern alias cli;

using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.ML;
using TicketTriage.E2E.Infrastructure;
using TicketTriage.ML.Classification;
using TicketTriage.ML.Engine;
using TicketTriage.ML.Scenarios;
using TicketTriage.MlNet;
using LabeledCsv = cli::TicketTriage.Cli.Data.LabeledCsv;
using ScenarioReplayer = cli::TicketTriage.Cli.Http.ScenarioReplayer;

namespace TicketTriage.E2E.Triage;

/// <summary>
/// <c>Classifier:Engine=MlNet</c> end to end: an ML.NET model trained here from a small sample of the repository's
/// training tickets, the app started as its own process on it, the start of a shipped scenario replayed through the
/// API. Every ticket must be triaged with exactly the category, confidence and "needs review" the same model gives
/// in the test. And a model of another schema must stop the app at start-up with a message that says why.
/// </summary>
public sealed class MlNetEngineTests
{
    private const string ScenarioFile = "smilingpeanut-os-upgrade.json";
    private const int ReplayedTickets = 150;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_app_with_the_MlNet_engine_triages_a_replayed_scenario_with_the_models_answers()
    {
        var data = Directory.CreateTempSubdirectory("tt-mlnet-");
        try
        {
            var modelPath = Path.Combine(data.FullName, "tickets.mlnet.zip");
            var model = TrainSmallModel(modelPath);
            var settings = AppProcess.DefaultSettings(data.FullName);
            settings["Classifier:Engine"] = "MlNet";
            settings["Classifier:MlNetModelPath"] = modelPath;

            var path = Path.Combine(AppProcess.RepositoryRoot(), "data", "scenarios", ScenarioFile);
            var feed = ScenarioReplayer.Feed(path);
            var lastTicket = feed.Select((item, i) => (item, i)).Where(p => p.item is FeedTicket).Skip(ReplayedTickets - 1).First().i;
            var replay = feed.Take(lastTicket + 1).ToList();

            await using var app = await AppProcess.StartAsync("mlnet-engine", settings, cancellationToken: Ct);
            Assert.Contains("Category model (MlNet) loaded", app.Output, StringComparison.Ordinal);
            using var api = app.CreateClient(AppProcess.ApiKey);
            var result = await new ScenarioReplayer(api).RunAsync(replay, null, null, Ct);
            Assert.Equal(ReplayedTickets, result.Created + result.Duplicates);

            await app.WaitForOutputAsync(AppProcess.TriageReady, AppProcess.StartUp, Ct);
            var tickets = await WaitAllTriagedAsync(api, ReplayedTickets);
            var reviews = 0;
            foreach (var summary in tickets)
            {
                var ticket = await api.GetFromJsonAsync<JsonElement>($"/api/tickets/{summary.GetProperty("id").GetInt64()}", Ct);
                var expected = model.Predict(TriageText.Compose(ticket.GetProperty("subject").GetString()!, ticket.GetProperty("body").GetString()!));
                var id = ticket.GetProperty("externalId").GetString();
                Assert.True(expected.Label == ticket.GetProperty("category").GetString(), $"{id}: app said {ticket.GetProperty("category")}, the model says {expected.Label}");
                Assert.Equal(expected.Confidence, ticket.GetProperty("categoryConfidence").GetDouble(), 4);
                Assert.Equal(expected.NeedsReview, ticket.GetProperty("needsReview").GetBoolean());
                reviews += expected.NeedsReview ? 1 : 0;
            }

            // The scenario's tickets are of the training categories: most are answered, not all sent to review.
            Assert.InRange(reviews, 0, ReplayedTickets / 2);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task An_MlNet_model_of_another_schema_stops_the_start_with_the_expected_schema()
    {
        var data = Directory.CreateTempSubdirectory("tt-mlnet-bad-");
        try
        {
            // A real ML.NET text classifier, but over a column 'Body': as if trained elsewhere on another CSV.
            var modelPath = Path.Combine(data.FullName, "other.zip");
            var context = new MLContext(seed: 1);
            var rows = SmallSample().Select(r => new OtherSchemaRow { Body = r.Text, Label = r.Label }).ToList();
            var view = context.Data.LoadFromEnumerable(rows);
            var pipeline = context.Transforms.Conversion.MapValueToKey("Label")
                .Append(context.Transforms.Text.FeaturizeText("Features", "Body"))
                .Append(context.MulticlassClassification.Trainers.SdcaMaximumEntropy())
                .Append(context.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
            context.Model.Save(pipeline.Fit(view), view.Schema, modelPath);

            var settings = AppProcess.DefaultSettings(data.FullName);
            settings["Classifier:Engine"] = "MlNet";
            settings["Classifier:MlNetModelPath"] = modelPath;
            var error = await Assert.ThrowsAsync<AppExitedException>(() => AppProcess.StartAsync("mlnet-bad-schema", settings, cancellationToken: Ct));
            Assert.Contains("The app exited", error.Message, StringComparison.Ordinal);
            Assert.Contains("Classifier:Engine=MlNet cannot use its model", error.Message, StringComparison.Ordinal);
            Assert.Contains("no input column 'text'", error.Message, StringComparison.Ordinal);
            Assert.Contains("Body: String", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private sealed class OtherSchemaRow
    {
        public string Body { get; set; } = "";
        public string Label { get; set; } = "";
    }

    /// <summary>25 tickets per category from the repository's training file: seconds to train, enough to be right often.</summary>
    private static List<LabeledText> SmallSample() =>
        [.. LabeledCsv.Read(Path.Combine(AppProcess.RepositoryRoot(), "data", "training", "tickets.csv"))
            .GroupBy(r => r.Label, StringComparer.Ordinal)
            .SelectMany(g => g.Take(25))
            .Select(r => new LabeledText(r.Text, r.Label))];

    private static MlNetClassifier TrainSmallModel(string path)
    {
        var trained = MlNetTextTrainer.Train(SmallSample(), new MlNetTrainingOptions([MlNetPipeline.Candidates[0]], ValidationFraction: 0.2f));
        MlNetTextTrainer.Save(trained.Classifier, path);
        // The file as the app will read it (with its abstain settings), not the in-memory model.
        return MlNetClassifier.Load(path);
    }

    private static async Task<List<JsonElement>> WaitAllTriagedAsync(HttpClient api, int expected)
    {
        for (var attempt = 0; ; attempt++)
        {
            var page = await api.GetFromJsonAsync<JsonElement>($"/api/tickets?source={ScenarioReplayer.DefaultSource}&limit=1000", Ct);
            var items = page.GetProperty("items").EnumerateArray().ToList();
            if ((items.Count == expected && items.All(t => t.GetProperty("triagedAt").ValueKind != JsonValueKind.Null)) || attempt >= 300)
            {
                Assert.Equal(expected, items.Count);
                Assert.All(items, t => Assert.NotEqual(JsonValueKind.Null, t.GetProperty("triagedAt").ValueKind));
                return items;
            }

            await Task.Delay(200, Ct);
        }
    }
}
