using System.CommandLine;

namespace TicketTriage.Cli.Commands;

// Placeholder: replaced by the command's implementation.
internal static class EvalClassifyCommand
{
    public static Command Create() => new("classify", "Not implemented yet.");
}
