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

    [Fact]
    public void A_scan_tells_which_centroids_are_within_a_cosine_as_the_map_cosine_does_even_on_the_edge()
    {
        var random = new Random(17);
        // Young patterns of 1–6 tickets over one vocabulary: of every size against every size, so in half the pairs the
        // scanned centroid is the smaller map (the map cosine then sums in its order, the scan in the other's).
        var centroids = Enumerable.Range(0, 40)
            .Select(_ => SimilarityBaseRate.Centroid.Of(Enumerable.Range(0, 1 + random.Next(6)).Select(_ => Ticket(random, 0, 400)).ToList())!)
            .ToList();
        foreach (var mine in centroids)
        {
            using var scanner = mine.Scan();
            foreach (var other in centroids)
            {
                var cosine = SimilarityBaseRate.CentroidCosine(other, mine);
                // On the edge (the cosine itself, and one step either side of it) and at a few ordinary thresholds.
                foreach (var threshold in new[] { cosine, Math.BitDecrement(cosine), Math.BitIncrement(cosine), 0.1, 0.25, 0.5 })
                {
                    Assert.Equal(cosine >= threshold, scanner.IsWithin(other, threshold, out var scanned));
                    Assert.Equal(cosine, scanned, 1e-12); // the cosine it hands back orders neighbours as the map's would
                }
            }

            Assert.False(scanner.IsWithin(null, 0.25, out var none)); // no centroid: cosine 0, as CentroidCosine says
            Assert.Equal(0, none);
        }
    }

    [Fact]
    public void A_ring_that_wraps_many_times_counts_only_the_tickets_it_keeps()
    {
        // Postings of overwritten tickets stay behind until swept: none may count, and the sweeps must keep the live.
        var random = new Random(11);
        var ring = new SimilarityBaseRate(capacity: 1_100);
        var items = Enumerable.Range(0, 5_000).Select(i => i % 3 == 0 ? Ticket(random, 0, 400) : Ticket(random, 200, 2_000)).ToList();
        for (var i = 0; i < items.Count; i++)
        {
            ring.Add(Start.AddMinutes(i), items[i], tag: i);
        }

        var kept = items.Skip(items.Count - 1_100).ToList();
        foreach (var centroid in new[] { SimilarityBaseRate.Centroid.Of([items[^3], items[^6]])!, SimilarityBaseRate.Centroid.Of([items[^1], items[^2]])! })
        {
            var cosines = kept.Select(item => centroid.Cosine(item)).ToList();
            foreach (var threshold in cosines.Where(c => c > 0).Take(25).Append(0.1))
            {
                var (similar, total) = ring.CountSimilar(centroid, Start.AddDays(30), atLeast: threshold);

                Assert.Equal(kept.Count, total);
                Assert.Equal(cosines.Count(c => c >= threshold), similar);
            }
        }
    }

    [Fact]
    public void Postings_give_each_slot_its_current_tickets_dot_product_when_the_stamps_start_over()
    {
        // Stamps start three short of the end: the ring passes int.MaxValue and starts its stamps over mid-run.
        var random = new Random(3);
        const int slots = 40;
        var postings = new RingPostings(slots, firstStamp: int.MaxValue - 3);
        var current = new ClusterItem?[slots];
        var weights = Enumerable.Range(0, 300).Where(_ => random.Next(3) == 0).ToDictionary(i => i, _ => (float)random.NextDouble());
        for (var i = 0; i < 500; i++)
        {
            var slot = random.Next(slots); // any slot, any order: the ring's is only one of them
            var item = Ticket(random, 0, 300);
            postings.Replace(slot, current[slot]?.Indices ?? [], item.Indices, item.Values);
            current[slot] = item;

            var dots = new double[slots];
            postings.Dot(weights, dots);
            for (var s = 0; s < slots; s++)
            {
                var expected = current[s] is { } c ? c.Indices.Select((f, k) => weights.TryGetValue(f, out var w) ? (double)(w * c.Values[k]) : 0).Sum() : 0;
                Assert.Equal(expected, dots[s], 1e-9);
            }
        }
    }
}
