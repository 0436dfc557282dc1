using System.CommandLine;
using TicketTriage.Cli.Corpus;

namespace TicketTriage.Cli.Commands;

// `triage generate` is a plain parent: each generator (corpus, scenario, …) adds its own subcommand here.
internal static class GenerateCommand
{
    public static Command Create()
    {
        var generate = new Command("generate", "Generate synthetic data: the labeled training corpus.");
        generate.Subcommands.Add(GenerateCorpusCommand.Create());
        return generate;
    }
}
