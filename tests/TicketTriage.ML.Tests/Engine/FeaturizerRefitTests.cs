using TicketTriage.ML.Clustering;
using TicketTriage.ML.Engine;
using TicketTriage.ML.Scenarios;
using TicketTriage.ML.Tests.Scenarios;

namespace TicketTriage.ML.Tests.Engine;

/// <summary>
/// Refitting the featurizer (IDF, latent block) on a grown history re-expresses the engine's state in the new space:
/// vectors translate to what the new featurizer gives the same text, patterns keep their ids and flags, the state
/// round-trips, and the results stay a function of the ticket stream.
/// </summary>
public sealed class FeaturizerRefitTests
{
    private static readonly EngineOptions Options = new EngineOptions() is var o
        ? o with { Featurizer = o.Featurizer with { LatentDimensions = 64 } }
        : null!;

    private static (GeneratedScenario Scenario, List<string> History) Small()
    {
        var scenario = ScenarioJson.Parse(SmallScenario.Json);
        return (ScenarioGenerator.Generate(scenario), ScenarioReplay.History(scenario, 3).Tickets.Select(t => t.Text).ToList());
    }

    private static EngineTicket Ticket(GeneratedScenario s, int i) =>
        new(i, s.Tickets[i].Text, s.Tickets[i].Time, s.Tickets[i].Attributes);

    // The changes, then the stream until the incident is flagged and half its tickets are in: mid-incident.
    private static (int Flagged, int Next, List<int> Incident) FeedUntilHalfwayThroughTheFlaggedIncident(TriageEngine engine, GeneratedScenario scenario)
    {
        foreach (var change in scenario.Changes)
        {
            engine.AddChange(change);
        }

        var incident = Enumerable.Range(0, scenario.Tickets.Count).Where(i => scenario.Truth[i].Incident is not null).ToList();
        int? flagged = null;
        var i = 0;
        for (; i < scenario.Tickets.Count && (flagged is null || i < incident[incident.Count / 2]); i++)
        {
            var outcome = engine.Triage(Ticket(scenario, i));
            if (outcome.Events.OfType<PatternEmerging>().FirstOrDefault() is { } e && scenario.Truth[i].Incident is not null)
            {
                flagged = e.PatternId;
            }
        }

        Assert.NotNull(flagged);
        return (flagged.GetValueOrDefault(), i, incident);
    }

    [Theory]
    [InlineData(0)] // the first fit had too little history for a latent block
    [InlineData(32)]
    public void A_translated_ticket_vector_is_the_new_featurizers_vector_of_its_text(int earlierLatent)
    {
        var (scenario, history) = Small();
        var earlier = PatternFeaturizer.Fit(history.Take(150).ToList(), Options.Featurizer with { LatentDimensions = earlierLatent });
        var later = PatternFeaturizer.Fit([.. history, .. scenario.Tickets.Take(400).Select(t => t.Text)], Options.Featurizer);
        Assert.NotEqual(earlier.Text.VocabularySize, later.Text.VocabularySize); // the ids really move
        var translation = later.TranslationFrom(earlier);

        var cosines = scenario.Tickets.Skip(300).Take(200).Select(t =>
            Cosine(translation.Translate(earlier.Featurize(t.Text)), later.Featurize(t.Text))).ToList();

        Assert.True(cosines.Min() >= 0.99, $"lowest cosine {cosines.Min():0.0000}");
        // Not trivially equal: the untranslated vector reads differently in the new space.
        var raw = scenario.Tickets.Skip(300).Take(200).Select(t => Cosine(earlier.Featurize(t.Text) with { Latent = null }, later.Featurize(t.Text) with { Latent = null }));
        Assert.True(raw.Average() < 0.5, $"untranslated mean cosine {raw.Average():0.00}");
    }

    [Fact]
    public void After_a_refit_the_incidents_tickets_still_join_its_flagged_pattern()
    {
        var (scenario, history) = Small();
        var engine = TriageEngine.Create(Options, history.Take(100).ToList(), null); // too little for a latent block
        Assert.Equal(0, engine.LatentDimensions);
        var (flagged, i, incident) = FeedUntilHalfwayThroughTheFlaggedIncident(engine, scenario);
        var pattern = engine.Resolve(flagged);
        var sizeBefore = engine.Describe(pattern).Size;
        engine.Refit([.. history, .. scenario.Tickets.Take(i).Select(t => t.Text)]);
        Assert.Equal(history.Count + i, engine.HistorySize);
        Assert.Equal(64, engine.LatentDimensions);
        Assert.True(engine.Describe(pattern).Emerging);

        var joined = 0;
        var later = incident.Where(k => k >= i).ToHashSet();
        for (; i < scenario.Tickets.Count; i++)
        {
            var outcome = engine.Triage(Ticket(scenario, i));
            if (later.Contains(i) && engine.Resolve(outcome.PatternId) == engine.Resolve(pattern))
            {
                joined++;
            }
        }

        Assert.True(joined >= 0.9 * later.Count, $"{joined} of the incident's {later.Count} later tickets joined its pattern");
        Assert.True(engine.Describe(engine.Resolve(pattern)).Emerging);
        Assert.True(engine.Describe(engine.Resolve(pattern)).Size >= sizeBefore + joined);
    }

    /// <summary>
    /// A refit mid-incident moves the incident's pattern into a new feature space (measured: it split the slow burn
    /// and mixed Webmail's database failure with background), so a due refit waits until the flagged pattern has
    /// been quiet for <see cref="EngineOptions.RefitQuietFor"/>.
    /// </summary>
    [Fact]
    public void A_due_refit_waits_while_a_flagged_incident_is_still_taking_tickets()
    {
        var (scenario, history) = Small();
        var engine = TriageEngine.Create(Options with { RefitMinTickets = 1, RefitMinInterval = TimeSpan.Zero }, history.Take(100).ToList(), null);
        var (_, i, _) = FeedUntilHalfwayThroughTheFlaggedIncident(engine, scenario);
        Assert.False(engine.RefitDue(1_000_000)); // due by count and growth, but the incident is unfolding

        var quiet = scenario.Tickets[i - 1].Time + Options.RefitQuietFor + TimeSpan.FromHours(1);
        engine.Triage(new EngineTicket(1_000_000, "xyzzy plugh frobnicate quux", quiet, new Dictionary<string, string>()));
        Assert.True(engine.RefitDue(1_000_000));
    }

    // The app saves the state every half minute and the featurizer (most of its bytes) once per fit. A state saved
    // apart restores the same engine with its own featurizer, and refuses the one of another fit.
    [Fact]
    public void A_state_saved_apart_from_its_featurizer_restores_only_with_the_featurizer_of_its_fit()
    {
        var (scenario, history, original, cut) = FedHalfway();

        var (firstState, firstFeaturizer) = SaveApart(original);
        Assert.Equal(1, original.FeaturizerGeneration);
        original.Refit([.. history, .. scenario.Tickets.Take(cut).Select(t => t.Text)]);
        Assert.Equal(2, original.FeaturizerGeneration);
        var (state, featurizer) = SaveApart(original);
        Assert.True(state.Length < Whole(original).Length - (featurizer.Length / 2), "the state apart leaves the featurizer out");

        var stale = Assert.Throws<InvalidDataException>(() =>
            TriageEngine.Load(new MemoryStream(state), Options, null, new MemoryStream(firstFeaturizer)));
        Assert.Contains("generation 2", stale.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => TriageEngine.Load(new MemoryStream(firstState), Options, null));

        var restored = TriageEngine.Load(new MemoryStream(state), Options, null, new MemoryStream(featurizer));
        Assert.Equal(2, restored.FeaturizerGeneration);
        TriageTheRestAlike(original, restored, scenario, cut);

        Assert.Equal(Whole(original), Whole(restored));
    }

    [Fact]
    public void A_refit_engine_saves_and_restores_and_both_triage_the_rest_alike()
    {
        var (scenario, history, original, cut) = FedHalfway();

        original.Refit([.. history, .. scenario.Tickets.Take(cut).Select(t => t.Text)]);
        using var saved = new MemoryStream();
        original.Save(saved);
        saved.Position = 0;
        var restored = TriageEngine.Load(saved, Options, null);
        Assert.Equal(original.HistorySize, restored.HistorySize);

        TriageTheRestAlike(original, restored, scenario, cut);

        Assert.Equal(Whole(original), Whole(restored));
    }

    [Fact]
    public void A_refit_is_due_after_enough_tickets_and_growth_or_once_the_history_is_full_after_a_week()
    {
        var (scenario, history) = Small();
        var options = Options with { RefitMinTickets = 10, RefitGrowth = 2, RefitMaxHistory = 300, RefitEvery = TimeSpan.FromHours(6), RefitMinInterval = TimeSpan.Zero };
        var engine = TriageEngine.Create(options, history.Take(100).ToList(), null);
        for (var i = 0; i < 9; i++)
        {
            engine.Triage(Ticket(scenario, i));
        }

        Assert.False(engine.RefitDue(1_000)); // 9 tickets since the fit
        engine.Triage(Ticket(scenario, 9));
        Assert.True(engine.RefitDue(200));
        Assert.False(engine.RefitDue(199)); // not yet twice the history

        engine.Refit(history.Take(200).ToList());
        Assert.False(engine.RefitDue(400)); // no ticket since
        var next = 10;
        for (; next < 20; next++)
        {
            engine.Triage(Ticket(scenario, next));
        }

        Assert.True(engine.RefitDue(400));
        Assert.False(engine.RefitDue(399));

        // At the most history a refit takes, growth no longer helps: the vocabulary is refreshed every RefitEvery.
        engine.Refit(history.Take(300).ToList());
        var fittedAt = scenario.Tickets[next - 1].Time;
        for (; scenario.Tickets[next].Time - fittedAt < options.RefitEvery; next++)
        {
            engine.Triage(Ticket(scenario, next));
            Assert.False(engine.RefitDue(100_000));
        }

        engine.Triage(Ticket(scenario, next));
        Assert.True(engine.RefitDue(100_000));
        Assert.False(engine.RefitDue(299));

        // Volume alone within RefitMinInterval of ticket time is a surge, not a new vocabulary.
        var soon = TriageEngine.Create(options with { RefitMinInterval = TimeSpan.FromDays(365) }, history.Take(100).ToList(), null);
        for (var i = 0; i < 20; i++)
        {
            soon.Triage(Ticket(scenario, i));
        }

        Assert.False(soon.RefitDue(200));

        var off = TriageEngine.Create(options with { RefitFeaturizer = false }, history.Take(100).ToList(), null);
        for (var i = 0; i < 20; i++)
        {
            off.Triage(Ticket(scenario, i));
        }

        Assert.False(off.RefitDue(100_000));
    }

    [Fact]
    public void A_stream_with_refits_saved_and_restored_mid_way_ends_as_one_uninterrupted_run()
    {
        var path = Path.Combine(ScenarioFilesTests.ScenarioDirectory(), "smilingpeanut-os-upgrade.json");
        var file = ScenarioJson.Parse(File.ReadAllText(path));
        var scenario = ScenarioGenerator.Generate(file);
        var history = ScenarioReplay.History(file, 1).Tickets.Select(t => t.Text).ToList();
        var options = Options with { RefitMinTickets = 150, RefitGrowth = 1.3 };

        var (expected, expectedRefits) = Run(restartEvery: null);
        Assert.True(expectedRefits >= 2, $"{expectedRefits} refits");
        var (restarted, refits) = Run(restartEvery: 113);
        Assert.Equal(expectedRefits, refits);
        Assert.Equal(expected, restarted);

        // Every `restartEvery` tickets the state is saved and a new engine loaded from it (the app's restart).
        (List<string> Outcome, int Refits) Run(int? restartEvery)
        {
            var engine = TriageEngine.Create(options, history, null);
            foreach (var change in scenario.Changes)
            {
                engine.AddChange(change);
            }

            var assigned = new List<string>();
            var refitAt = new HashSet<int>();
            for (var i = 0; i < scenario.Tickets.Count; i++)
            {
                var outcome = engine.Triage(Ticket(scenario, i));
                assigned.Add($"{i}:{outcome.PatternId}:{outcome.Similarity}:{string.Join(",", outcome.Events)}");
                if (engine.RefitDue(history.Count + i + 1))
                {
                    engine.Refit([.. history, .. scenario.Tickets.Take(i + 1).Select(t => t.Text)]);
                    refitAt.Add(i);
                }

                if (restartEvery is { } every && (i + 1) % every == 0)
                {
                    using var saved = new MemoryStream();
                    engine.Save(saved);
                    saved.Position = 0;
                    engine = TriageEngine.Load(saved, options, null);
                }
            }

            assigned.AddRange(engine.Patterns(liveOnly: false).Select(p => $"{p.Id} {p.Title} {p.Size} {p.Emerging} {p.LikelyChange?.Change.Id}"));
            return (assigned, refitAt.Count);
        }
    }

    // An engine fit on the small scenario's history that has triaged the first half of its tickets.
    private static (GeneratedScenario Scenario, List<string> History, TriageEngine Engine, int Cut) FedHalfway()
    {
        var (scenario, history) = Small();
        var engine = TriageEngine.Create(Options, history, null);
        var cut = scenario.Tickets.Count / 2;
        for (var i = 0; i < cut; i++)
        {
            engine.Triage(Ticket(scenario, i));
        }

        return (scenario, history, engine, cut);
    }

    // Both engines take the rest of the stream: every ticket to the same pattern, with the same events.
    private static void TriageTheRestAlike(TriageEngine original, TriageEngine restored, GeneratedScenario scenario, int from)
    {
        for (var i = from; i < scenario.Tickets.Count; i++)
        {
            var a = original.Triage(Ticket(scenario, i));
            var b = restored.Triage(Ticket(scenario, i));
            Assert.Equal((a.PatternId, a.Similarity, a.StartedPattern), (b.PatternId, b.Similarity, b.StartedPattern));
            Assert.Equal(a.Events, b.Events);
        }
    }

    private static (byte[] State, byte[] Featurizer) SaveApart(TriageEngine engine)
    {
        using var state = new MemoryStream();
        using var featurizer = new MemoryStream();
        engine.Save(state, featurizerApart: true);
        engine.SaveFeaturizer(featurizer);
        return (state.ToArray(), featurizer.ToArray());
    }

    private static byte[] Whole(TriageEngine engine)
    {
        using var stream = new MemoryStream();
        engine.Save(stream);
        return stream.ToArray();
    }

    // Cosine over the whole vector (sparse block and latent block).
    private static double Cosine(ClusterItem a, ClusterItem b)
    {
        static Dictionary<int, double> Terms(ClusterItem x)
        {
            var d = new Dictionary<int, double>();
            for (var i = 0; i < x.Indices.Length; i++) d[x.Indices[i]] = d.GetValueOrDefault(x.Indices[i]) + x.Values[i];
            return d;
        }

        var (ta, tb) = (Terms(a), Terms(b));
        var dot = ta.Sum(kv => kv.Value * tb.GetValueOrDefault(kv.Key));
        var (na, nb) = (ta.Values.Sum(v => v * v), tb.Values.Sum(v => v * v));
        if (a.Latent is { } la && b.Latent is { } lb)
        {
            dot += la.Zip(lb, (x, y) => (double)x * y).Sum();
            na += la.Sum(v => (double)v * v);
            nb += lb.Sum(v => (double)v * v);
        }

        return dot / Math.Sqrt(na * nb);
    }
}
