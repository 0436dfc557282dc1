using System.CommandLine;
using TicketTriage.Cli.Commands;

// The `triage` command: each subcommand lives in its own file under Commands/.
var root = new RootCommand("TicketTriage: train, evaluate and benchmark the triage engine; import into and load-test a running app.");
root.Subcommands.Add(TrainCommand.Create());

var eval = new Command("eval", "Measure the engine against labeled data.");
eval.Subcommands.Add(EvalClassifyCommand.Create());
eval.Subcommands.Add(EvalClusterCommand.Create());
eval.Subcommands.Add(EvalScenarioCommand.Create());
eval.Subcommands.Add(EvalSimilarCommand.Create());
root.Subcommands.Add(eval);

root.Subcommands.Add(GenerateCommand.Create());
root.Subcommands.Add(ImportCommand.Create());
root.Subcommands.Add(ReplayCommand.Create());

var bench = new Command("bench", "Measure throughput and latency.");
bench.Subcommands.Add(BenchIngestCommand.Create());
bench.Subcommands.Add(BenchMlCommand.Create());
bench.Subcommands.Add(BenchOverloadCommand.Create());
bench.Subcommands.Add(BenchTriageCommand.Create());
bench.Subcommands.Add(BenchSimilarCommand.Create());
bench.Subcommands.Add(BenchRepliesCommand.Create());
bench.Subcommands.Add(BenchUiCommand.Create());
bench.Subcommands.Add(BenchRefitCommand.Create());
root.Subcommands.Add(bench);

return await root.Parse(args).InvokeAsync();
