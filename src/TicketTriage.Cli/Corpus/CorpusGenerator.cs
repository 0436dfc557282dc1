namespace TicketTriage.Cli.Corpus;

/// <summary>
/// Generates the labeled ticket corpus. Deterministic: each ticket draws from its own <see cref="Random"/> seeded by
/// (seed, id, attempt), so the same options give byte-identical output, and a smaller count gives a prefix of a larger one.
/// </summary>
internal sealed class CorpusGenerator(CorpusOptions options)
{
    private readonly CorpusTicketWriter _composer = new(options);
    private readonly double[] _cumulativeWeights = Cumulative(CategoryBanks.All.Select(b => b.Weight));
    private static readonly double[] ChannelWeights = Cumulative([0.45, 0.25, 0.18, 0.12]);

    public IReadOnlyList<GeneratedTicket> Generate()
    {
        var tickets = new List<GeneratedTicket>(options.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var id = 1; id <= options.Count; id++)
        {
            // A duplicate (two terse one-liners can coincide) is redrawn with the next attempt's seed.
            for (var attempt = 0; ; attempt++)
            {
                var ticket = GenerateOne(id, attempt);
                if (seen.Add(ticket.Text))
                {
                    tickets.Add(ticket);
                    break;
                }
            }
        }
        return tickets;
    }

    private GeneratedTicket GenerateOne(int id, int attempt)
    {
        var rng = new Random(HashCode32(options.Seed, id, attempt));
        var primary = CategoryBanks.All[Sample(_cumulativeWeights, rng)];
        CategoryBank? secondary = null;
        if (rng.NextDouble() < options.MixedRate)
        {
            secondary = CategoryBanks.ById(primary.Neighbours[rng.Next(primary.Neighbours.Length)]);
        }
        var channel = CorpusTicketWriter.Channels[Sample(ChannelWeights, rng)];
        return _composer.Compose(id, primary, secondary, channel, rng);
    }

    private static int Sample(double[] cumulative, Random rng)
    {
        var r = rng.NextDouble() * cumulative[^1];
        var i = Array.BinarySearch(cumulative, r);
        return i >= 0 ? Math.Min(i + 1, cumulative.Length - 1) : ~i;
    }

    private static double[] Cumulative(IEnumerable<double> weights)
    {
        var sum = 0.0;
        return weights.Select(w => sum += w).ToArray();
    }

    // A fixed mix (not HashCode.Combine, which is randomized per process) so seeds are stable across runs.
    private static int HashCode32(int seed, int id, int attempt)
    {
        unchecked
        {
            var h = (uint)seed * 2654435761u;
            h ^= (uint)id * 2246822519u;
            h = (h << 13) | (h >> 19);
            h ^= (uint)attempt * 3266489917u;
            h ^= h >> 15;
            h *= 668265263u;
            h ^= h >> 13;
            return (int)(h & 0x7fffffff);
        }
    }
}
