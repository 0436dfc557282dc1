using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TicketTriage.Cli.Data;
using TicketTriage.ML.Clustering;
using TicketTriage.ML.Evaluation;

namespace TicketTriage.Cli.Commands;

/// <summary>
/// <c>triage eval cluster --data CSV</c>: clusters the file's texts with the pattern detector (online pass in file
/// order, number of clusters not given, then the offline refinement passes) and scores the clusters against the
/// label column: NMI (arithmetic normalisation), ARI, ACC (Hungarian), clusters found, tickets/s.
/// The representation (IDF and the LSA block) is learned from the texts of <c>--fit</c> — labels are never read
/// there. Default: <c>train.csv</c> beside the data file when it exists, else the data file's own texts.
/// <c>--holdout N</c> evaluates N rows carved (seeded shuffle) from the data file and fits on the rest: the
/// validation split on which the defaults were chosen.
/// </summary>
internal static class EvalClusterCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Labeled CSV to cluster.", Required = true };
        var textColumn = new Option<string>("--text-column") { Description = "Text column.", DefaultValueFactory = _ => "text" };
        var labelColumn = new Option<string>("--label-column") { Description = "Label column (only for scoring).", DefaultValueFactory = _ => "category" };
        var json = new Option<bool>("--json") { Description = "Print the scores as JSON." };
        var predictions = new Option<string?>("--predictions") { Description = "Write index,truth,predicted per row." };
        var fit = new Option<string?>("--fit") { Description = "CSV whose texts (labels ignored) the representation is learned from." };
        var holdout = new Option<int>("--holdout") { Description = "Evaluate this many rows carved from --data; fit on the rest." };
        var latentDims = new Option<int>("--latent-dims") { DefaultValueFactory = _ => Defaults.LatentDimensions, Description = "LSA dimensions (0: TF-IDF only)." };
        var latentWeight = new Option<float>("--latent-weight") { DefaultValueFactory = _ => Defaults.LatentWeight, Description = "Weight of the LSA block against the TF-IDF block (1)." };
        var threshold = new Option<float>("--threshold") { DefaultValueFactory = _ => Defaults.JoinThreshold, Description = "Online join threshold." };
        var merge = new Option<float>("--merge-threshold") { DefaultValueFactory = _ => Defaults.MergeThreshold, Description = "Refinement: merge clusters with centroid cosine ≥ this (1: off)." };
        var minSize = new Option<int>("--min-size") { DefaultValueFactory = _ => Defaults.MinClusterSize, Description = "Refinement: fold clusters smaller than this." };
        var refine = new Option<int>("--refine") { DefaultValueFactory = _ => Defaults.RefineIterations, Description = "Refinement: reassignment rounds (0 with --merge-threshold 1 and --min-size 1: online pass only)." };
        var neighbors = new Option<int>("--neighbors") { DefaultValueFactory = _ => Defaults.Neighbors, Description = "Refinement: neighbours each item is smoothed with (0: off)." };
        var neighborWeight = new Option<float>("--neighbor-weight") { DefaultValueFactory = _ => Defaults.NeighborWeight, Description = "Refinement: weight of the neighbours' mean." };
        var fitOnData = new Option<bool>("--fit-on-data") { Description = "Also learn the representation from the clustered texts themselves (unlabeled)." };
        var command = new Command("cluster", "Cluster a labeled CSV without being told the number of clusters; print NMI, ARI, ACC, clusters, tickets/s.")
        {
            data, textColumn, labelColumn, json, predictions, fit, holdout, latentDims, latentWeight, threshold, merge, minSize, refine,
            neighbors, neighborWeight, fitOnData,
        };
        command.SetAction(parse =>
        {
            var settings = new ClusterSettings(
                parse.GetValue(latentDims), parse.GetValue(latentWeight), parse.GetValue(threshold),
                parse.GetValue(merge), parse.GetValue(minSize), parse.GetValue(refine),
                Neighbors: parse.GetValue(neighbors), NeighborWeight: parse.GetValue(neighborWeight), FitOnData: parse.GetValue(fitOnData));
            return Run(parse.GetValue(data)!, parse.GetValue(textColumn)!, parse.GetValue(labelColumn)!, parse.GetValue(json),
                parse.GetValue(predictions), parse.GetValue(fit), parse.GetValue(holdout), settings);
        });
        return command;
    }

    /// <summary>Settings chosen on the BANKING77 validation split (see docs/benchmarks.md, Clustering).</summary>
    internal static readonly ClusterSettings Defaults = new(
        LatentDimensions: 128, LatentWeight: 1.5f, JoinThreshold: 0.45f, MergeThreshold: 0.75f, MinClusterSize: 8, RefineIterations: 10,
        Neighbors: 10, NeighborWeight: 5f);

    internal sealed record ClusterSettings(
        int LatentDimensions, float LatentWeight, float JoinThreshold, float MergeThreshold, int MinClusterSize, int RefineIterations,
        bool CharNgrams = true, int Neighbors = 0, float NeighborWeight = 1f, bool ContextNeighbors = false,
        bool FitOnData = false);

    internal sealed record ClusterRun(ClusteringScores Scores, int[] Predicted, int[] Truth, double TicketsPerSecond, double FitSeconds);

    private static int Run(string dataPath, string textColumn, string labelColumn, bool json, string? predictionsPath,
        string? fitPath, int holdout, ClusterSettings settings)
    {
        var rows = LabeledCsv.Read(dataPath, textColumn, labelColumn);
        IReadOnlyList<string> corpus;
        IReadOnlyList<LabeledRow> evaluated;
        if (holdout > 0)
        {
            var shuffled = rows.OrderBy(_ => 0).ToArray();
            new Random(20261121).Shuffle(shuffled);
            evaluated = shuffled[^holdout..];
            corpus = shuffled[..^holdout].Select(r => r.Text).ToArray();
        }
        else
        {
            evaluated = rows;
            fitPath ??= DefaultFitPath(dataPath);
            corpus = fitPath is null ? rows.Select(r => r.Text).ToArray() : LabeledCsv.Read(fitPath, textColumn, labelColumn).Select(r => r.Text).ToArray();
        }

        if (Environment.GetEnvironmentVariable("TRIAGE_SWEEP") is not null)
        {
            Sweep(corpus, evaluated.Select(r => r.Text).ToArray(), evaluated.Select(r => r.Label).ToArray(), settings);
            return 0;
        }

        var run = Evaluate(corpus, evaluated.Select(r => r.Text).ToArray(), evaluated.Select(r => r.Label).ToArray(), settings);
        var s = run.Scores;
        if (predictionsPath is not null)
        {
            using var w = new StreamWriter(predictionsPath);
            w.WriteLine("index,truth,predicted");
            for (var i = 0; i < evaluated.Count; i++)
                w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i},{LabeledCsv.Escape(evaluated[i].Label)},{run.Predicted[i]}"));
        }

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                nmi = Math.Round(s.Nmi, 4),
                ari = Math.Round(s.Ari, 4),
                acc = Math.Round(s.Acc, 4),
                clusters = s.Clusters,
                ticketsPerSecond = Math.Round(run.TicketsPerSecond, 1),
            }));
            return 0;
        }

        var labels = evaluated.Select(r => r.Label).Distinct().Count();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{evaluated.Count} texts, {labels} labels; representation fitted on {corpus.Count} texts in {run.FitSeconds:F1} s ({settings})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"NMI {s.Nmi:F4}  ARI {s.Ari:F4}  ACC {s.Acc:F4}  clusters {s.Clusters}  tickets/s {run.TicketsPerSecond:F0}"));

        // References from the same run: the same detector on raw TF-IDF similarity, online pass only.
        var raw = Evaluate(corpus, evaluated.Select(r => r.Text).ToArray(), evaluated.Select(r => r.Label).ToArray(),
            settings with { LatentDimensions = 0, MergeThreshold = 1, MinClusterSize = 1, RefineIterations = 0, Neighbors = 0 });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"reference, raw TF-IDF similarity, online pass only: NMI {raw.Scores.Nmi:F4}  ARI {raw.Scores.Ari:F4}  ACC {raw.Scores.Acc:F4}  clusters {raw.Scores.Clusters}"));
        var online = Evaluate(corpus, evaluated.Select(r => r.Text).ToArray(), evaluated.Select(r => r.Label).ToArray(),
            settings with { MergeThreshold = 1, MinClusterSize = 1, RefineIterations = 0, Neighbors = 0 });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"reference, TF-IDF+LSA, online pass only:            NMI {online.Scores.Nmi:F4}  ARI {online.Scores.Ari:F4}  ACC {online.Scores.Acc:F4}  clusters {online.Scores.Clusters}"));
        return 0;
    }

    private static string? DefaultFitPath(string dataPath)
    {
        var train = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dataPath))!, "train.csv");
        return File.Exists(train) && Path.GetFullPath(train) != Path.GetFullPath(dataPath) ? train : null;
    }

    internal static ClusterRun Evaluate(IReadOnlyList<string> corpus, string[] texts, string[] labels, ClusterSettings settings)
    {
        var fitWatch = Stopwatch.StartNew();
        var featurizer = Fit(settings.FitOnData ? [.. corpus, .. texts] : corpus, settings);
        fitWatch.Stop();
        return Cluster(featurizer, texts, labels, settings, corpus) with { FitSeconds = fitWatch.Elapsed.TotalSeconds };
    }

    internal static PatternFeaturizer Fit(IReadOnlyList<string> corpus, ClusterSettings settings) =>
        PatternFeaturizer.Fit(corpus, new PatternFeaturizerOptions
        {
            LatentDimensions = settings.LatentDimensions,
            LatentWeight = settings.LatentWeight,
            Text = settings.CharNgrams ? new() : new() { CharNgramMin = 0, CharNgramMax = 0 },
        });

    internal static ClusterRun Cluster(PatternFeaturizer featurizer, string[] texts, string[] labels, ClusterSettings settings,
        IReadOnlyList<string>? corpus = null)
    {
        var context = settings.ContextNeighbors && corpus is not null ? corpus.Select(t => featurizer.Featurize(t)).ToArray() : null;
        // Tickets/s covers what a ticket costs end to end here: featurize, LSA, online pass and refinement.
        var watch = Stopwatch.StartNew();
        var items = texts.Select(t => featurizer.Featurize(t)).ToArray();
        var predicted = OfflineClustering.Cluster(items, new OfflineClusteringOptions
        {
            Online = new PatternDetectorOptions { JoinThreshold = settings.JoinThreshold, MergeEvery = 0 },
            RefineIterations = settings.RefineIterations,
            MergeThreshold = settings.MergeThreshold,
            MinClusterSize = settings.MinClusterSize,
            Neighbors = settings.Neighbors,
            NeighborWeight = settings.NeighborWeight,
        }, context);
        watch.Stop();
        var truth = ClusteringMetrics.Encode(labels);
        return new(ClusteringMetrics.Evaluate(truth, predicted), predicted, truth, texts.Length / watch.Elapsed.TotalSeconds, 0);
    }

    // Validation tooling: one line per setting of a grid around `settings`, reusing each fitted representation.
    private static void Sweep(IReadOnlyList<string> corpus, string[] texts, string[] labels, ClusterSettings settings)
    {
        var grid = Environment.GetEnvironmentVariable("TRIAGE_SWEEP") ?? "";
        IEnumerable<float> Values(string name, float fallback)
        {
            var part = grid.Split(';').FirstOrDefault(p => p.StartsWith(name + "=", StringComparison.Ordinal));
            return part is null ? [fallback] : part[(name.Length + 1)..].Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture));
        }
        foreach (var fitOnData in Values("fitdata", settings.FitOnData ? 1 : 0))
        foreach (var chars in Values("chars", settings.CharNgrams ? 1 : 0))
        foreach (var dims in Values("dims", settings.LatentDimensions))
            foreach (var weight in Values("weight", settings.LatentWeight))
            {
                var s0 = settings with { LatentDimensions = (int)dims, LatentWeight = weight, CharNgrams = chars > 0, FitOnData = fitOnData > 0 };
                var featurizer = Fit(s0.FitOnData ? [.. corpus, .. texts] : corpus, s0);
                foreach (var refine in Values("refine", settings.RefineIterations))
                foreach (var th in Values("threshold", settings.JoinThreshold))
                    foreach (var merge in Values("merge", settings.MergeThreshold))
                        foreach (var min in Values("min", settings.MinClusterSize))
                        foreach (var nb in Values("nb", settings.Neighbors))
                        foreach (var nbw in Values("nbw", settings.NeighborWeight))
                        foreach (var ctx in Values("ctx", settings.ContextNeighbors ? 1 : 0))
                        {
                            var s = s0 with { RefineIterations = (int)refine, JoinThreshold = th, MergeThreshold = merge, MinClusterSize = (int)min, Neighbors = (int)nb, NeighborWeight = nbw, ContextNeighbors = ctx > 0 };
                            var r = Cluster(featurizer, texts, labels, s, corpus).Scores;
                            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                                $"fitdata {fitOnData} refine {refine} chars {chars} dims {dims} weight {weight} threshold {th} merge {merge} min {min} nb {nb} nbw {nbw} ctx {ctx}: NMI {r.Nmi:F4} ARI {r.Ari:F4} ACC {r.Acc:F4} clusters {r.Clusters}"));
                        }
            }
    }
}
