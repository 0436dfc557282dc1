using System.CommandLine;

namespace TicketTriage.Cli.Commands;

// Placeholder: replaced by the command's implementation.
internal static class GenerateCommand
{
    public static Command Create() => new("generate", "Not implemented yet.");
}
