using TicketTriage.ML.Clustering;
using TicketTriage.ML.Evaluation;

namespace TicketTriage.ML.Tests.Clustering;

public sealed class OfflineClusteringTests
{
    // Three topics of 30 items, each item 5 of its topic's 12 features plus 2 of 40 shared noise features.
    private static (List<ClusterItem> Items, int[] Truth) Data(int seed)
    {
        var rng = new Random(seed);
        var items = new List<ClusterItem>();
        var truth = new List<int>();
        for (var i = 0; i < 90; i++)
        {
            var topic = i % 3;
            var features = Enumerable.Range(0, 12).OrderBy(_ => rng.Next()).Take(5).Select(f => 100 + (topic * 12) + f)
                .Concat(Enumerable.Range(0, 40).OrderBy(_ => rng.Next()).Take(2)).ToArray();
            items.Add(new ClusterItem(features, features.Select(f => f >= 100 ? 1f : 0.5f).ToArray()));
            truth.Add(topic);
        }
        return (items, truth.ToArray());
    }

    [Fact]
    public void Refinement_recovers_clear_topics_without_being_told_how_many()
    {
        var (items, truth) = Data(3);

        var labels = OfflineClustering.Cluster(items, new OfflineClusteringOptions
        {
            Online = new PatternDetectorOptions { JoinThreshold = 0.5f },
            MergeThreshold = 0.5f,
            MinClusterSize = 5,
        });

        var scores = ClusteringMetrics.Evaluate(truth, labels);
        Assert.Equal(3, scores.Clusters);
        Assert.Equal(1.0, scores.Ari, 6);
    }

    [Fact]
    public void Refinement_improves_on_the_online_pass_alone()
    {
        var (items, truth) = Data(4);
        var online = new PatternDetectorOptions { JoinThreshold = 0.5f };

        var onlineOnly = OfflineClustering.Cluster(items, new() { Online = online, RefineIterations = 0, MergeThreshold = 1, MinClusterSize = 1 });
        var refined = OfflineClustering.Cluster(items, new() { Online = online, MergeThreshold = 0.5f, MinClusterSize = 5, Neighbors = 5 });

        Assert.True(ClusteringMetrics.Ari(truth, refined) > ClusteringMetrics.Ari(truth, onlineOnly));
    }

    [Fact]
    public void Same_items_give_the_same_labels()
    {
        var (items, _) = Data(5);
        var options = new OfflineClusteringOptions { Neighbors = 4, MergeThreshold = 0.6f };

        Assert.Equal(OfflineClustering.Cluster(items, options), OfflineClustering.Cluster(items, options));
    }
}
