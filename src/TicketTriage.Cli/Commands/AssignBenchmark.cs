namespace TicketTriage.Cli.Commands;

// Placeholder: the pattern detector's part of `triage bench ml` replaces this.
internal static class AssignBenchmark
{
    /// <summary>Online pattern assignment tickets/s with 10,000 live patterns; memory per 100,000 tickets.</summary>
    public static (double AssignPerSecond, double BytesPer100kTickets) Measure(string? banking77Dir) => (double.NaN, double.NaN);
}
