using TicketTriage.ML.Classification;
using TicketTriage.ML.Text;

namespace TicketTriage.ML.Tests.Classification;

public sealed class SettingsSearchTests
{
    private static readonly LabeledText[] Tickets = BuildTickets();

    // Four categories, each with its own words; a share of shared filler so the folds are not trivially perfect.
    private static LabeledText[] BuildTickets()
    {
        var words = new Dictionary<string, string[]>
        {
            ["email"] = ["mail", "inbox", "smtp", "imap", "outlook", "bounce"],
            ["dns"] = ["domain", "nameserver", "record", "propagation", "cname", "resolve"],
            ["ssl"] = ["certificate", "https", "expired", "renewal", "secure", "tls"],
            ["billing"] = ["invoice", "refund", "payment", "card", "charged", "plan"],
        };
        string[] filler = ["hello", "please", "help", "since", "today", "my", "site", "account"];
        var random = new Random(5);
        var rows = new List<LabeledText>();
        foreach (var (label, own) in words)
        {
            for (var i = 0; i < 30; i++)
            {
                var text = string.Join(' ', Enumerable.Range(0, 6).Select(k => k % 3 == 0 ? filler[random.Next(filler.Length)] : own[random.Next(own.Length)]));
                rows.Add(new LabeledText(text, label));
            }
        }

        return [.. rows];
    }

    private static readonly FeaturizerOptions Small = new() { HashBits = 14 };
    private static readonly ClassifierOptions Fast = new() { Epochs = 4 };

    [Fact]
    public void Run_ScoresNoMoreCandidatesThanTheBudget()
    {
        var result = SettingsSearch.Run(Tickets, Small, Fast, new SearchBudget(Folds: 2, MaxTrials: 5));

        Assert.Equal(5, result.Trials.Count);
        Assert.True(result.StoppedByBudget);
        Assert.Equal("start", result.Trials[0].Dimension);
        Assert.InRange(result.BalancedAccuracy, 0.9, 1.0);
        // The chosen settings are the best scored, and never worse than the start.
        Assert.True(result.BalancedAccuracy >= result.Trials[0].BalancedAccuracy);
    }

    [Fact]
    public void Run_LeavesPinnedDimensionsAsGiven()
    {
        var start = Fast with { FeatureDropout = 0.2f, EnsembleSize = 1, ViewPairs = 0 };
        var result = SettingsSearch.Run(Tickets, Small, start, new SearchBudget(Folds: 2, MaxTrials: 12), new HashSet<string> { "dropout", "members" });

        Assert.DoesNotContain(result.Trials, t => t.Dimension is "dropout" or "members" or "portfolio");
        Assert.Equal(0.2f, result.Classifier.FeatureDropout);
        Assert.Equal((1, 0), (result.Classifier.EnsembleSize, result.Classifier.ViewPairs));
    }

    [Fact]
    public void Run_IsDeterministicForABudgetOfTrials()
    {
        var budget = new SearchBudget(Folds: 2, MaxTrials: 6);
        var a = SettingsSearch.Run(Tickets, Small, Fast, budget);
        var b = SettingsSearch.Run(Tickets, Small, Fast, budget);

        Assert.Equal(a.Trials.Select(t => (t.Dimension, t.Value, t.BalancedAccuracy)), b.Trials.Select(t => (t.Dimension, t.Value, t.BalancedAccuracy)));
        Assert.Equal((a.Featurizer, a.Classifier), (b.Featurizer, b.Classifier));
    }

    [Fact]
    public void Run_StopsAtItsCpuBudgetWhateverTheWallClock()
    {
        // A zero CPU budget is spent by the starting settings alone: no candidate after them, wall limit or not.
        var result = SettingsSearch.Run(Tickets, Small, Fast, new SearchBudget(Folds: 2, MaxTrials: 40, TimeLimit: TimeSpan.FromHours(1), CpuTimeLimit: TimeSpan.Zero));

        Assert.Single(result.Trials);
        Assert.True(result.StoppedByBudget);
        Assert.True(result.Trials[0].CpuSeconds > 0);
    }

    [Fact]
    public void PairedStandardError_CountsOnlyTheRowsTheTwoDisagreeOn()
    {
        // Two classes of 2 rows: weight 1 / (2 × 2) = 0.25 per row.
        int[] labels = [0, 0, 1, 1];
        int[] a = [0, 0, 1, 0];
        int[] b = [0, 1, 1, 1];

        Assert.Equal(0.0, SettingsSearch.PairedStandardError(labels, 2, a, a));
        // Rows 1 (a right, b wrong) and 3 (a wrong, b right) disagree: sqrt(2 × 0.25²).
        Assert.Equal(Math.Sqrt(2 * 0.0625), SettingsSearch.PairedStandardError(labels, 2, a, b), 12);
        // Swapping which side is right does not change it (it is a spread, not a direction).
        Assert.Equal(SettingsSearch.PairedStandardError(labels, 2, a, b), SettingsSearch.PairedStandardError(labels, 2, b, a), 12);
    }

    [Fact]
    public void Run_KeepsOnlyChangesAboveOneStandardErrorOfTheirPairedDifference()
    {
        var result = SettingsSearch.Run(Tickets, Small, Fast, new SearchBudget(Folds: 2, MaxTrials: 12));

        var previous = result.Trials[0].BalancedAccuracy;
        foreach (var kept in result.Trials.Skip(1).Where(t => t.Kept))
        {
            Assert.True(kept.BalancedAccuracy - previous > Math.Max(SettingsSearch.MinGain, SettingsSearch.MinStandardErrors * kept.StandardError),
                $"{kept.Dimension} {kept.Value} kept at {kept.BalancedAccuracy} over {previous} ± {kept.StandardError}");
            previous = kept.BalancedAccuracy;
        }

        Assert.All(result.Trials.Skip(1), t => Assert.True(t.StandardError >= 0));
        Assert.Equal(previous, result.BalancedAccuracy);
    }
}
