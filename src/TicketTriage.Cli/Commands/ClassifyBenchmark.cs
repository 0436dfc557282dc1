namespace TicketTriage.Cli.Commands;

// Placeholder: the classifier's part of `triage bench ml` replaces this.
internal static class ClassifyBenchmark
{
    /// <summary>Featurize+classify texts per second on one core: BANKING77-length texts and 1 KB bodies.</summary>
    public static (double ClassifyPerSecond, double ClassifyLongPerSecond) Measure(string? banking77Dir) => (double.NaN, double.NaN);
}
