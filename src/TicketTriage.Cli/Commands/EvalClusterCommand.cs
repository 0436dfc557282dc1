using System.CommandLine;

namespace TicketTriage.Cli.Commands;

// Placeholder: replaced by the command's implementation.
internal static class EvalClusterCommand
{
    public static Command Create() => new("cluster", "Not implemented yet.");
}
