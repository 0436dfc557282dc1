using System.Runtime.CompilerServices;

// The corpus tests exercise the generator's internals (banks, expander, composer) directly.
[assembly: InternalsVisibleTo("TicketTriage.ML.Tests")]
