using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using TicketTriage.Cli.Data;
using TicketTriage.Cli.Http;
using TicketTriage.ML.Classification;

namespace TicketTriage.Cli.Commands;

/// <summary>
/// `triage train --data CSV --out FILE [--labeled-from URL --api-key KEY]`: fit the featurizer and classifier and save
/// the model file. With <c>--labeled-from</c>, the tickets agents recategorized in a running app
/// (<c>GET /api/labeled-examples</c>) are added to the training data. The file is written beside the target and renamed
/// over it, so an app watching the path never reads half a model.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Labeled CSV to train on.", Required = true };
        var labeledFrom = new Option<string?>("--labeled-from") { Description = "A running app's URL: add the tickets its agents recategorized (needs --api-key with scope read)." };
        var apiKey = new Option<string?>("--api-key") { Description = "API key for --labeled-from." };
        var output = new Option<string>("--out") { Description = "Model file to write (.bin for ticket-triage, .zip for mlnet).", Required = true };
        var engine = new Option<string>("--engine") { Description = "ticket-triage (this project's engine) or mlnet (an ML.NET pipeline, .zip plus abstain settings and a model card).", DefaultValueFactory = _ => EvalClassifyCommand.TicketTriageEngine };
        var mlnetMinutes = new Option<double>("--mlnet-minutes") { Description = "ML.NET: no new candidate pipeline is validated after this many minutes.", DefaultValueFactory = _ => 15 };
        var settings = new ClassifierSettings();
        var command = new Command("train", "Train the ticket classifier on a labeled CSV and save it.");
        command.Options.Add(data);
        command.Options.Add(output);
        command.Options.Add(labeledFrom);
        command.Options.Add(apiKey);
        command.Options.Add(engine);
        command.Options.Add(mlnetMinutes);
        settings.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var rows = LabeledCsv.Read(result.GetRequiredValue(data), settings.TextColumn(result), settings.LabelColumn(result));
            var examples = rows.Select(r => new LabeledText(r.Text, r.Label)).ToList();
            var fromApp = 0;
            if (result.GetValue(labeledFrom) is { } url)
            {
                using var client = CliOptions.Client(url, result.GetValue(apiKey) ?? "", 2);
                var agents = await LabeledExamples.ReadAsync(client, cancellationToken);
                examples.AddRange(agents);
                fromApp = agents.Count;
            }

            switch (result.GetValue(engine))
            {
                case EvalClassifyCommand.MlNetEngine:
                    return MlNetTraining.Run(examples, result.GetRequiredValue(data), result.GetRequiredValue(output), MlNetEvaluation.Options(settings.Searches(result), result.GetValue(mlnetMinutes)));
                case EvalClassifyCommand.TicketTriageEngine or null:
                    break;
                case var other:
                    throw new ArgumentException($"Unknown --engine '{other}' (ticket-triage or mlnet).");
            }

            var (featurizerOptions, classifierOptions, search) = settings.Choose(result, examples, new Progress<string>(line => Console.Error.WriteLine("search " + line)));
            var clock = Stopwatch.StartNew();
            TicketClassifier? classifier = null;
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask("train", maxValue: 1.0);
                    classifier = TicketClassifier.Train(examples, featurizerOptions, classifierOptions, new SynchronousProgress(task));
                    task.Value = 1.0;
                });

            var seconds = clock.Elapsed.TotalSeconds;
            var path = result.GetRequiredValue(output);
            var temporary = path + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            classifier!.Save(temporary);
            File.Move(temporary, path, overwrite: true);
            var size = new FileInfo(path).Length;
            var table = new Table().AddColumns("", "");
            table.AddRow("examples", examples.Count.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("of them recategorized by agents", fromApp.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("classes", classifier.Classes.Count.ToString(CultureInfo.InvariantCulture));
            table.AddRow("features (vocabulary)", classifier.Featurizer.VocabularySize.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("temperature", classifier.Temperature.ToString("0.000", CultureInfo.InvariantCulture));
            var rule = classifierOptions.MaxAccuracyDrop is { } drop ? $"held-out accuracy drop ≤ {drop:0.000}" : $"held-out accuracy ≥ {classifierOptions.TargetAccuracy:0.00}";
            table.AddRow($"abstain threshold on {classifier.AbstainScore} ({rule})", classifier.AbstainThreshold.ToString("0.000", CultureInfo.InvariantCulture));
            if (search is not null)
            {
                table.AddRow("settings search", string.Create(CultureInfo.InvariantCulture,
                    $"{search.Trials.Count} candidates, {search.Seconds:0} s, CV balanced accuracy {search.BalancedAccuracy:0.0000}{(search.StoppedByBudget ? " (stopped by the budget)" : "")}"));
            }

            table.AddRow("train seconds", seconds.ToString("0.00", CultureInfo.InvariantCulture));
            table.AddRow("model file", $"{Markup.Escape(path)} ({size / 1024.0 / 1024.0:0.00} MB)");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(ClassifierSettings.Describe(featurizerOptions, classifierOptions))}[/]");
            return 0;
        });
        return command;
    }

    // Progress<T> posts to the thread pool; training runs on this thread, so report inline instead.
    private sealed class SynchronousProgress(ProgressTask task) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            task.Description = Markup.Escape(value.Stage);
            task.Value = value.Fraction;
        }
    }
}
