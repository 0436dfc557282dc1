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
}
