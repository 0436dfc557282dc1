using System.CommandLine;

namespace TicketTriage.Cli.Commands;

// Placeholder: replaced by the command's implementation.
internal static class ImportCommand
{
    public static Command Create() => new("import", "Not implemented yet.");
}
