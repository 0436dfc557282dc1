using System.CommandLine;

namespace TicketTriage.Cli.Commands;

// Placeholder: replaced by the command's implementation.
internal static class TrainCommand
{
    public static Command Create() => new("train", "Not implemented yet.");
}
