using System.CommandLine;

namespace TicketTriage.Cli.Commands;

// Placeholder: replaced by the command's implementation.
internal static class EvalScenarioCommand
{
    public static Command Create() => new("scenario", "Not implemented yet.");
}
