using System.CommandLine;

namespace TicketTriage.Cli.Commands;

// Placeholder: replaced by the command's implementation.
internal static class BenchMlCommand
{
    public static Command Create() => new("ml", "Not implemented yet.");
}
