using System.CommandLine;

namespace TicketTriage.Cli.Commands;

// Placeholder: replaced by the command's implementation.
internal static class BenchIngestCommand
{
    public static Command Create() => new("ingest", "Not implemented yet.");
}
