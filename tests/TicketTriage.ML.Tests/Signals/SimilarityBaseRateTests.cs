using TicketTriage.ML.Clustering;
using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Tests.Signals;

/// <summary>
/// The base-rate ring counts past tickets against a centroid many times a second; it reads the centroid through a
/// dense scan array for speed. Its counts must be those of <see cref="SimilarityBaseRate.Centroid.Cosine(ClusterItem)"/>
/// to the bit: a ticket exactly at the threshold is in or out the same way, or every replay figure would drift.
/// </summary>
public sealed class SimilarityBaseRateTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    // Sparse tickets over [from, from + span) with a small latent block, as the featurizer makes them.
    private static ClusterItem Ticket(Random random, int from, int span)
    {
        var indices = Enumerable.Range(0, 30).Select(_ => from + random.Next(span)).Distinct().Order().ToArray();
        var values = indices.Select(_ => (float)random.NextDouble()).ToArray();
        var latent = Enumerable.Range(0, 8).Select(_ => (float)((random.NextDouble() * 2) - 1) * 0.1f).ToArray();
        return new ClusterItem(indices, values, latent);
    }

    [Fact]
    public void Ring_counts_are_the_centroid_cosines_to_the_bit_scan_after_scan()
    {
        var random = new Random(5);
        var ring = new SimilarityBaseRate(capacity: 1_500); // over a thousand kept: the count is split over the cores
        // Two vocabularies that share no feature (of about the same width, so their scans may take the same array): a
        // scan that kept the last centroid's weights would count the first kind of ticket as like the second.
        var items = Enumerable.Range(0, 1_200).Select(i => i % 2 == 0 ? Ticket(random, 0, 3_000) : Ticket(random, 3_000, 1_000)).ToList();
        for (var i = 0; i < items.Count; i++)
        {
            ring.Add(Start.AddMinutes(i), items[i], tag: i);
        }

        var first = SimilarityBaseRate.Centroid.Of([items[0], items[2], items[4]])!;
        var second = SimilarityBaseRate.Centroid.Of([items[1], items[3]])!;
        foreach (var centroid in new[] { first, second, first })
        {
            var cosines = items.Select(item => centroid.Cosine(item)).ToList();
            // Thresholds at the cosines themselves: the tickets on the edge must fall the same side.
            foreach (var threshold in cosines.Where(c => c > 0).Take(25).Append(0.05))
            {
                var expected = cosines.Count(c => c >= threshold);
                var (similar, total) = ring.CountSimilar(centroid, Start.AddDays(1), atLeast: threshold);
                var since = ring.SimilarSinceTagged(centroid, Start, atLeast: threshold);

                Assert.Equal(items.Count, total);
                Assert.Equal(expected, similar);
                Assert.Equal(Enumerable.Range(0, items.Count).Where(i => cosines[i] >= threshold).Select(i => (long)i), since.Select(s => s.Tag));
            }
        }
    }
}
