using System.CommandLine;
using System.Globalization;
using TicketTriage.ML.Classification;
using TicketTriage.ML.Text;

namespace TicketTriage.Cli.Commands;

/// <summary>
/// The featurizer and trainer settings `triage train` and `triage eval classify` share. By default they are chosen by
/// cross-validation on the training data (<see cref="SettingsSearch"/>, budgeted; `--fast` skips it); a flag given
/// on the command line fixes its setting and the search leaves it alone.
/// </summary>
internal sealed class ClassifierSettings
{
    private readonly Option<string> _textColumn = new("--text-column") { Description = "Column holding the text.", DefaultValueFactory = _ => "text" };
    private readonly Option<string> _labelColumn = new("--label-column") { Description = "Column holding the label.", DefaultValueFactory = _ => "category" };
    private readonly Option<string?> _wordNgrams = new("--word-ngrams") { Description = "Word n-gram range, e.g. 1-2 (0 disables)." };
    private readonly Option<string?> _charNgrams = new("--char-ngrams") { Description = "Char n-gram range, e.g. 3-5 (0 disables)." };
    private readonly Option<CharNgramScope?> _charScope = new("--char-scope") { Description = "Char n-grams WithinWords, AcrossWords or Both." };
    private readonly Option<float?> _charWeight = new("--char-weight") { Description = "Weight of the char block (the word block has 1)." };
    private readonly Option<int?> _hashBits = new("--hash-bits") { Description = "log2 of the hash space." };
    private readonly Option<int?> _minDf = new("--min-df") { Description = "Minimum document frequency of a feature." };
    private readonly Option<int?> _epochs = new("--epochs") { Description = "SGD epochs." };
    private readonly Option<float?> _learningRate = new("--lr") { Description = "Initial SGD step." };
    private readonly Option<float?> _decay = new("--lr-decay") { Description = "Step decay per epoch." };
    private readonly Option<float?> _l2 = new("--l2") { Description = "L2 penalty." };
    private readonly Option<float?> _hingeBlend = new("--hinge-blend") { Description = "Weight of a squared-hinge model blended in (0 = logistic only)." };
    private readonly Option<float?> _hingeLearningRate = new("--hinge-lr") { Description = "Initial SGD step of the squared-hinge model." };
    private readonly Option<bool?> _keepUnseen = new("--keep-unseen") { Description = "Let n-grams unseen in training count in the norms." };
    private readonly Option<float?> _priorCorrection = new("--prior-correction") { Description = "Logit adjustment towards uniform class priors (0..1)." };
    private readonly Option<bool?> _refit = new("--refit") { Description = "Retrain on all data after calibrating on a held-out share." };
    private readonly Option<int?> _skipWindow = new("--skip-window") { Description = "Word skip-bigrams up to this many positions apart (0 disables)." };
    private readonly Option<float?> _dropout = new("--dropout") { Description = "Feature dropout probability during training." };
    private readonly Option<bool?> _balance = new("--balance") { Description = "Class-balanced example weights." };
    private readonly Option<bool?> _averaged = new("--averaged") { Description = "Average the weights at the end of epochs 2..n (on by default)." };
    private readonly Option<float?> _target = new("--target-accuracy") { Description = "Abstain rule: the held-out accuracy of the answers given (instead of --max-accuracy-drop)." };
    private readonly Option<float?> _calibration = new("--calibration-fraction") { Description = "Share of the training rows held out to fit the temperature and the abstain threshold (default 0.2)." };
    private readonly Option<float?> _maxDrop = new("--max-accuracy-drop") { Description = "Abstain rule (default 0.015): held-out accuracy the abstention may cost on known topics." };
    private readonly Option<OpenSetScore?> _abstainScore = new("--abstain-score") { Description = "What the abstain threshold compares: MaxProbability, Margin, MaxLogit or Energy." };
    private readonly Option<int?> _ensemble = new("--ensemble") { Description = "Models with different seeds averaged into one weight table." };
    private readonly Option<int?> _views = new("--views") { Description = "Pairs of words-only and chars-only members added to the average." };
    private readonly Option<float?> _smoothing = new("--label-smoothing") { Description = "Label smoothing for the logistic loss." };
    private readonly Option<bool?> _cosine = new("--cosine") { Description = "Cosine-decayed SGD step." };
    private readonly Option<bool?> _stem = new("--stem") { Description = "Word n-grams over Porter stems." };
    private readonly Option<float?> _nb = new("--nb-blend") { Description = "Weight of naive Bayes log-likelihoods folded into the weights." };
    private readonly Option<float?> _nbAlpha = new("--nb-alpha") { Description = "Naive Bayes additive smoothing." };
    private readonly Option<float?> _wordView = new("--word-view-weight") { Description = "Weight of the words-only members in the average (others 1)." };
    private readonly Option<int?> _seed = new("--seed") { Description = "Training seed (shuffles, dropout masks, calibration split)." };
    private readonly Option<bool> _baseline = new("--baseline") { Description = "Reference model: word unigrams only, TF-IDF, plain logistic regression." };
    private readonly Option<bool?> _sublinear = new("--sublinear-tf") { Description = "TF as 1 + ln(count) (on by default)." };
    private readonly Option<bool> _fast = new("--fast") { Description = "Skip the settings search: library defaults and the given flags." };
    private readonly Option<int> _searchTrials = new("--search-trials") { Description = "Settings search: candidates scored at most.", DefaultValueFactory = _ => SearchBudget.Default.MaxTrials };
    private readonly Option<double> _searchMinutes = new("--search-minutes") { Description = "Settings search: no new candidate after this many minutes of wall time (a backstop).", DefaultValueFactory = _ => SearchBudget.Default.TimeLimit!.Value.TotalMinutes };
    private readonly Option<double> _searchCpuMinutes = new("--search-cpu-minutes") { Description = "Settings search: no new candidate after this many minutes of process CPU time (the work budget, independent of machine load).", DefaultValueFactory = _ => SearchBudget.Default.CpuTimeLimit!.Value.TotalMinutes };
    private readonly Option<int> _searchFolds = new("--search-folds") { Description = "Settings search: cross-validation folds per candidate.", DefaultValueFactory = _ => SearchBudget.Default.Folds };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _textColumn, _labelColumn, _wordNgrams, _charNgrams, _charScope, _charWeight, _hashBits, _minDf, _epochs, _learningRate, _decay, _l2, _hingeBlend, _hingeLearningRate, _keepUnseen, _skipWindow, _dropout, _priorCorrection, _refit, _balance, _averaged, _target, _calibration, _maxDrop, _abstainScore, _baseline, _ensemble, _views, _smoothing, _cosine, _stem, _nb, _nbAlpha, _wordView, _seed, _sublinear, _fast, _searchTrials, _searchMinutes, _searchCpuMinutes, _searchFolds })
        {
            command.Options.Add(option);
        }
    }

    public string TextColumn(ParseResult result) => result.GetValue(_textColumn) ?? "text";

    public string LabelColumn(ParseResult result) => result.GetValue(_labelColumn) ?? "category";

    public bool IsBaseline(ParseResult result) => result.GetValue(_baseline);

    /// <summary>Whether settings are searched: not with --fast, and not for the fixed --baseline reference.</summary>
    public bool Searches(ParseResult result) => !result.GetValue(_fast) && !result.GetValue(_baseline);

    public SearchBudget Budget(ParseResult result) => new(
        Folds: result.GetValue(_searchFolds),
        MaxTrials: result.GetValue(_searchTrials),
        TimeLimit: TimeSpan.FromMinutes(result.GetValue(_searchMinutes)),
        CpuTimeLimit: TimeSpan.FromMinutes(result.GetValue(_searchCpuMinutes)));

    /// <summary>The search dimensions a flag on the command line fixes: the search leaves those as given.</summary>
    public IReadOnlySet<string> Pinned(ParseResult result)
    {
        var pinned = new HashSet<string>(StringComparer.Ordinal);
        void Pin(Option option, string dimension)
        {
            if (result.GetResult(option) is { Implicit: false })
            {
                pinned.Add(dimension);
            }
        }

        Pin(_ensemble, "members");
        Pin(_views, "members");
        Pin(_priorCorrection, "prior-correction");
        Pin(_dropout, "dropout");
        Pin(_charNgrams, "char-ngrams");
        Pin(_skipWindow, "skip-window");
        Pin(_stem, "stem");
        Pin(_wordNgrams, "word-ngrams");
        Pin(_charScope, "char-scope");
        Pin(_sublinear, "sublinear-tf");
        Pin(_charWeight, "char-weight");
        Pin(_minDf, "min-df");
        Pin(_epochs, "epochs");
        Pin(_learningRate, "lr");
        Pin(_l2, "l2");
        Pin(_smoothing, "label-smoothing");
        return pinned;
    }

    /// <summary>
    /// The settings to train with: the flags over the library defaults, then (unless --fast or --baseline) the
    /// settings search by cross-validation on <paramref name="examples"/> over every dimension no flag fixed.
    /// </summary>
    public (FeaturizerOptions Featurizer, ClassifierOptions Classifier, SearchResult? Search) Choose(ParseResult result, IReadOnlyList<LabeledText> examples, IProgress<string>? progress = null)
    {
        var (f, c) = Resolve(result);
        if (!Searches(result))
        {
            return (f, c, null);
        }

        var search = SettingsSearch.Run(examples, f, c, Budget(result), Pinned(result), progress);
        return (search.Featurizer, search.Classifier, search);
    }

    public (FeaturizerOptions Featurizer, ClassifierOptions Classifier) Resolve(ParseResult result, FeaturizerOptions? featurizerDefaults = null, ClassifierOptions? classifierDefaults = null)
    {
        var f = featurizerDefaults ?? new FeaturizerOptions();
        var c = classifierDefaults ?? new ClassifierOptions();
        if (result.GetValue(_baseline))
        {
            f = new FeaturizerOptions { WordNgramMin = 1, WordNgramMax = 1, CharNgramMin = 0, CharNgramMax = 0, SublinearTf = false };
            c = new ClassifierOptions { HingeBlend = 0f, Averaged = false, BalanceClasses = false };
        }

        if (result.GetValue(_wordNgrams) is { } words)
        {
            var (min, max) = ParseRange(words);
            f = f with { WordNgramMin = min, WordNgramMax = max };
        }

        if (result.GetValue(_charNgrams) is { } chars)
        {
            var (min, max) = ParseRange(chars);
            f = f with { CharNgramMin = min, CharNgramMax = max };
        }

        f = f with
        {
            CharScope = result.GetValue(_charScope) ?? f.CharScope,
            CharWeight = result.GetValue(_charWeight) ?? f.CharWeight,
            HashBits = result.GetValue(_hashBits) ?? f.HashBits,
            MinDocumentFrequency = result.GetValue(_minDf) ?? f.MinDocumentFrequency,
            KeepUnseen = result.GetValue(_keepUnseen) ?? f.KeepUnseen,
            WordSkipWindow = result.GetValue(_skipWindow) ?? f.WordSkipWindow,
            StemWords = result.GetValue(_stem) ?? f.StemWords,
            SublinearTf = result.GetValue(_sublinear) ?? f.SublinearTf,
        };
        c = c with
        {
            Epochs = result.GetValue(_epochs) ?? c.Epochs,
            LearningRate = result.GetValue(_learningRate) ?? c.LearningRate,
            LearningRateDecay = result.GetValue(_decay) ?? c.LearningRateDecay,
            L2 = result.GetValue(_l2) ?? c.L2,
            HingeBlend = result.GetValue(_hingeBlend) ?? c.HingeBlend,
            PriorCorrection = result.GetValue(_priorCorrection) ?? c.PriorCorrection,
            FeatureDropout = result.GetValue(_dropout) ?? c.FeatureDropout,
            RefitOnAllData = result.GetValue(_refit) ?? c.RefitOnAllData,
            HingeLearningRate = result.GetValue(_hingeLearningRate) ?? c.HingeLearningRate,
            BalanceClasses = result.GetValue(_balance) ?? c.BalanceClasses,
            Averaged = result.GetValue(_averaged) ?? c.Averaged,
            TargetAccuracy = result.GetValue(_target) ?? c.TargetAccuracy,
            CalibrationFraction = result.GetValue(_calibration) ?? c.CalibrationFraction,
            // An accuracy target given alone switches the rule to it.
            MaxAccuracyDrop = result.GetValue(_maxDrop) ?? (result.GetValue(_target) is null ? c.MaxAccuracyDrop : null),
            AbstainScore = result.GetValue(_abstainScore) ?? c.AbstainScore,
            EnsembleSize = result.GetValue(_ensemble) ?? c.EnsembleSize,
            ViewPairs = result.GetValue(_views) ?? c.ViewPairs,
            WordViewWeight = result.GetValue(_wordView) ?? c.WordViewWeight,
            Seed = result.GetValue(_seed) ?? c.Seed,
            LabelSmoothing = result.GetValue(_smoothing) ?? c.LabelSmoothing,
            CosineSchedule = result.GetValue(_cosine) ?? c.CosineSchedule,
            NaiveBayesBlend = result.GetValue(_nb) ?? c.NaiveBayesBlend,
            NaiveBayesAlpha = result.GetValue(_nbAlpha) ?? c.NaiveBayesAlpha,
        };
        return (f, c);
    }

    public static string Describe(FeaturizerOptions f, ClassifierOptions c) => string.Create(CultureInfo.InvariantCulture,
        $"words {f.WordNgramMin}-{f.WordNgramMax} skip {f.WordSkipWindow} stem {f.StemWords}, chars {f.CharNgramMin}-{f.CharNgramMax} {f.CharScope} ×{f.CharWeight}, 2^{f.HashBits} buckets, min-df {f.MinDocumentFrequency}, unseen {f.KeepUnseen}, " +
        $"epochs {c.Epochs}, lr {c.LearningRate} decay {c.LearningRateDecay}, l2 {c.L2}, hinge {c.HingeBlend} (lr {c.HingeLearningRate}), balance {c.BalanceClasses}, prior-correction {c.PriorCorrection}, refit {c.RefitOnAllData}, dropout {c.FeatureDropout}, averaged {c.Averaged}, " +
        $"ensemble {c.EnsembleSize} view pairs {c.ViewPairs} (words ×{c.WordViewWeight}), smoothing {c.LabelSmoothing}, cosine {c.CosineSchedule}, nb {c.NaiveBayesBlend} (alpha {c.NaiveBayesAlpha}), seed {c.Seed}");

    private static (int Min, int Max) ParseRange(string text)
    {
        var parts = text.Split('-', 2);
        var min = int.Parse(parts[0], CultureInfo.InvariantCulture);
        var max = parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : min;
        return (min, max);
    }
}
