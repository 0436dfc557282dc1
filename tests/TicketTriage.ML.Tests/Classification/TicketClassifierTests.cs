using TicketTriage.ML.Classification;
using TicketTriage.ML.Text;

namespace TicketTriage.ML.Tests.Classification;

public sealed class TicketClassifierTests
{
    private static readonly FeaturizerOptions Features = new() { HashBits = 16 };
    private static readonly ClassifierOptions Fast = new() { Epochs = 10, CalibrationFraction = 0f };

    // Small, separable: each category has its own vocabulary, with varied phrasing.
    private static readonly LabeledText[] Tickets = BuildTickets();

    private static LabeledText[] BuildTickets()
    {
        var templates = new Dictionary<string, string[]>
        {
            ["email"] = ["my email bounces", "cannot send mail from outlook", "mailbox full, messages rejected", "imap sync fails for my inbox", "smtp error 550 when sending", "webmail will not load my inbox"],
            ["dns"] = ["domain does not resolve", "dns records not propagating", "nameserver change not working", "a record points to old ip", "cname for www missing", "my domain shows nxdomain"],
            ["ssl"] = ["certificate expired on my site", "ssl warning in chrome", "https shows not secure", "lets encrypt renewal failed", "err_ssl_protocol_error on checkout", "certificate name mismatch"],
            ["billing"] = ["invoice charged twice", "refund for my last payment", "update my credit card", "why was my plan price raised", "cancel subscription and refund", "payment declined on renewal"],
        };
        var rows = new List<LabeledText>();
        foreach (var (label, texts) in templates)
        {
            foreach (var text in texts)
            {
                rows.Add(new LabeledText(text, label));
                rows.Add(new LabeledText("Hello, " + text + " please help", label));
            }
        }

        return [.. rows];
    }

    [Fact]
    public void Train_LearnsASmallSeparableDataset()
    {
        var classifier = TicketClassifier.Train(Tickets, Features, Fast);

        Assert.All(Tickets, t => Assert.Equal(t.Label, classifier.Predict(t.Text).Label));
        Assert.Equal("dns", classifier.Predict("the dns for my domain is not resolving").Label);
        Assert.Equal("billing", classifier.Predict("I was charged twice, please refund").Label);
    }

    [Fact]
    public void Train_WithFeatureDropoutSkipBigramsAndPriorCorrectionStillLearnsTheDataset()
    {
        var classifier = TicketClassifier.Train(
            Tickets, Features with { WordSkipWindow = 5 }, Fast with { FeatureDropout = 0.3f, PriorCorrection = 1f, Epochs = 20 });

        Assert.All(Tickets, t => Assert.Equal(t.Label, classifier.Predict(t.Text).Label));
    }

    [Fact]
    public void Train_HingeBlendStillLearnsTheDataset()
    {
        var classifier = TicketClassifier.Train(Tickets, Features, Fast with { HingeBlend = 1f });

        Assert.All(Tickets, t => Assert.Equal(t.Label, classifier.Predict(t.Text).Label));
    }

    [Fact]
    public void Predict_ReturnsCalibratedTopKThatSumsToAtMostOne()
    {
        var classifier = TicketClassifier.Train(Tickets, Features, Fast);

        var result = classifier.Predict("ssl certificate expired", top: 3);

        Assert.Equal("ssl", result.Label);
        Assert.Equal(3, result.Top.Count);
        Assert.True(result.Top[0].Probability >= result.Top[1].Probability && result.Top[1].Probability >= result.Top[2].Probability);
        Assert.Equal(1f, classifier.PredictProbabilities("ssl certificate expired").Sum(), 4);
    }

    [Fact]
    public void Predict_FlagsLowConfidenceAsNeedsReview()
    {
        var classifier = TicketClassifier.Train(Tickets, Features, Fast);
        classifier.AbstainThreshold = 0.99f;

        // Text with nothing of any class: the prediction is near uniform and falls below the threshold.
        Assert.True(classifier.Predict("zzz qqq").NeedsReview);
        classifier.AbstainThreshold = 0f;
        Assert.False(classifier.Predict("zzz qqq").NeedsReview);
    }

    [Fact]
    public void Train_SameSeedGivesIdenticalModel()
    {
        var a = TicketClassifier.Train(Tickets, Features, Fast with { CalibrationFraction = 0.25f });
        var b = TicketClassifier.Train(Tickets, Features, Fast with { CalibrationFraction = 0.25f });

        Assert.Equal(Serialize(a), Serialize(b));
    }

    [Fact]
    public void Train_DifferentSeedGivesDifferentWeights()
    {
        var a = TicketClassifier.Train(Tickets, Features, Fast);
        var b = TicketClassifier.Train(Tickets, Features, Fast with { Seed = 7 });

        Assert.NotEqual(Serialize(a), Serialize(b));
    }

    [Fact]
    public void SaveLoad_RoundTripGivesIdenticalProbabilities()
    {
        var classifier = TicketClassifier.Train(Tickets, Features, Fast with { CalibrationFraction = 0.25f });
        using var stream = new MemoryStream();
        classifier.Save(stream);
        stream.Position = 0;

        var loaded = TicketClassifier.Load(stream);

        Assert.Equal(classifier.Classes, loaded.Classes);
        Assert.Equal(classifier.Temperature, loaded.Temperature);
        Assert.Equal(classifier.AbstainThreshold, loaded.AbstainThreshold);
        foreach (var text in new[] { "smtp error 550", "domain nxdomain", "refund please", "random words here" })
        {
            Assert.Equal(classifier.PredictProbabilities(text), loaded.PredictProbabilities(text));
        }
    }

    [Fact]
    public void Load_RejectsAnUnknownVersion()
    {
        var classifier = TicketClassifier.Train(Tickets, Features, Fast);
        using var stream = new MemoryStream();
        classifier.Save(stream);
        var bytes = stream.ToArray();
        bytes[4] = 99; // the version follows the 4-byte magic

        var error = Assert.Throws<InvalidDataException>(() => TicketClassifier.Load(new MemoryStream(bytes)));
        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Calibration_FitsATemperatureAndAThresholdOnHeldOutData()
    {
        var classifier = TicketClassifier.Train(Tickets, Features, Fast with { CalibrationFraction = 0.25f });

        Assert.True(classifier.Temperature is > 0.02f and < 50f);
        Assert.InRange(classifier.AbstainThreshold, 0f, 1f);
        Assert.NotEqual(1f, classifier.Temperature);
    }

    [Fact]
    public void Update_FixesACorrectedExample()
    {
        var classifier = TicketClassifier.Train(Tickets, Features, Fast);
        const string text = "cannot send mail, invoice attached bounced";
        var before = classifier.Predict(text).Label;
        var corrected = before == "billing" ? "email" : "billing";

        classifier.Update([new LabeledText(text, corrected)]);

        Assert.Equal(corrected, classifier.Predict(text).Label);
        // The rest of what it knew survives one correction.
        Assert.Equal("dns", classifier.Predict("dns records not propagating").Label);
    }

    [Fact]
    public void Copy_UpdatedOnTheSideLeavesTheOriginalUntouched()
    {
        var classifier = TicketClassifier.Train(Tickets, Features, Fast);
        const string text = "cannot send mail, invoice attached bounced";
        var before = classifier.PredictProbabilities(text);

        var copy = classifier.Copy();
        copy.Update([new LabeledText(text, classifier.Predict(text).Label == "billing" ? "email" : "billing")]);

        Assert.Equal(before, classifier.PredictProbabilities(text));
        Assert.NotEqual(before, copy.PredictProbabilities(text));
    }

    [Fact]
    public void Update_WithANewLabelAddsAClass()
    {
        var classifier = TicketClassifier.Train(Tickets, Features, Fast);

        classifier.Update([new LabeledText("please migrate my site from another host", "migration")]);

        Assert.Contains("migration", classifier.Classes);
        Assert.Equal("migration", classifier.Predict("please migrate my site from another host").Label);
        Assert.Equal(5, classifier.PredictProbabilities("anything").Length);
    }

    [Fact]
    public void Classify_ScratchOverloadMatchesPredict()
    {
        var classifier = TicketClassifier.Train(Tickets, Features, Fast);
        var scratch = classifier.CreateScratch();

        var best = classifier.Classify("lets encrypt renewal failed", scratch);

        Assert.Equal(classifier.Predict("lets encrypt renewal failed").Label, classifier.Classes[best]);
        Assert.Equal(classifier.PredictProbabilities("lets encrypt renewal failed"), scratch.Probabilities.ToArray());
    }

    [Fact]
    public void Classify_AllocatesNothingOnceTheScratchHasGrown()
    {
        // The BANKING77 shape: skip-bigrams over Porter stems, a word/char view pair averaged into one table.
        var classifier = TicketClassifier.Train(Tickets, Features with { WordSkipWindow = 4, StemWords = true }, Fast with { EnsembleSize = 0, ViewPairs = 1 });
        var scratch = classifier.CreateScratch();
        const string text = "Hello,\nmy SSL certificate expired on shop.example.com (ERR_CERT_DATE_INVALID)\n\nKind regards,\nAnn";
        for (var i = 0; i < 500; i++)
        {
            classifier.Classify(text, scratch);
        }

        // The runtime can allocate once on this thread (tiered JIT installing optimized code), so take the best of
        // three windows: a per-call allocation would show in every one of them.
        var fewest = long.MaxValue;
        for (var window = 0; window < 3; window++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 100; i++)
            {
                classifier.Classify(text, scratch);
            }

            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, fewest);
    }

    [Fact]
    public void TopIndices_ReturnsLargestFirstWithLowerIndexWinningTies()
    {
        Assert.Equal([3, 0, 1], TicketClassifier.TopIndices([0.3f, 0.2f, 0.2f, 0.5f], 3));
        Assert.Equal([1], TicketClassifier.TopIndices([0.1f, 0.9f], 1));
    }

    [Fact]
    public void StratifiedSplit_HoldsOutTheShareOfEveryClass()
    {
        int[] labels = [.. Enumerable.Repeat(0, 20), .. Enumerable.Repeat(1, 10), 2];

        var (fit, held) = TicketClassifier.StratifiedSplit(labels, 3, 0.2f, seed: 1);

        Assert.Equal(4, held.Count(i => labels[i] == 0));
        Assert.Equal(2, held.Count(i => labels[i] == 1));
        Assert.DoesNotContain(held, i => labels[i] == 2);
        Assert.Equal(labels.Length, fit.Length + held.Length);
        Assert.Empty(fit.Intersect(held));
    }

    private static byte[] Serialize(TicketClassifier classifier)
    {
        using var stream = new MemoryStream();
        classifier.Save(stream);
        return stream.ToArray();
    }
}
