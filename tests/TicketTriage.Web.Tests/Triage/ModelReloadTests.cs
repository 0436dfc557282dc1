using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TicketTriage.ML.Classification;
using TicketTriage.ML.Text;
using TicketTriage.Web.Features.Triage;

namespace TicketTriage.Web.Tests.Triage;

/// <summary>A newly trained model written to the watched path is loaded without a restart, and the worker is told.</summary>
public sealed class ModelReloadTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tt-models-" + Guid.NewGuid().ToString("N"));

    public ModelReloadTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static TicketClassifier Train(params (string Label, string[] Texts)[] categories)
    {
        var rows = categories.SelectMany(c => c.Texts.SelectMany(t => new[] { new LabeledText(t, c.Label), new LabeledText("Hello, " + t + " please help", c.Label) })).ToList();
        return TicketClassifier.Train(rows, new FeaturizerOptions { HashBits = 14 }, new ClassifierOptions { Epochs = 5, CalibrationFraction = 0f });
    }

    [Fact]
    public async Task A_model_trained_into_the_watched_path_replaces_the_running_one()
    {
        var path = Path.Combine(_directory, "triage-classifier.bin");
        Train(("email", ["my email bounces", "smtp error 550"]), ("dns", ["domain does not resolve", "nameserver not working"])).Save(path);
        var signals = new TriageSignals(100);
        using var source = new ClassifierSource(Options.Create(new TriageOptions { ModelPath = path }), Options.Create(new ClassifierEngineOptions()),
            new HostingEnvironment { ContentRootPath = _directory }, signals, NullLogger<ClassifierSource>.Instance);
        var first = source.Current;
        Assert.Equal(["dns", "email"], first!.Classes.Order());
        Assert.False(signals.TakeModelChanged());

        // As `triage train` writes it: a temporary file renamed over the old one, so no reader sees half a model.
        var temporary = path + ".new";
        Train(("ssl", ["certificate expired", "https not secure"]), ("billing", ["invoice charged twice", "refund my payment"]),
            ("dns", ["domain does not resolve", "nameserver not working"])).Save(temporary);
        File.Move(temporary, path, overwrite: true);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (ReferenceEquals(source.Current, first) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Equal(["billing", "dns", "ssl"], source.Current!.Classes.Order());
        Assert.True(signals.TakeModelChanged());
        Assert.Equal("ssl", source.Current.Predict("my certificate expired yesterday", 1).Label);
    }

    [Fact]
    public async Task A_broken_model_file_keeps_the_previous_model()
    {
        var path = Path.Combine(_directory, "triage-classifier.bin");
        Train(("email", ["my email bounces", "smtp error 550"]), ("dns", ["domain does not resolve", "nameserver not working"])).Save(path);
        using var source = new ClassifierSource(Options.Create(new TriageOptions { ModelPath = path }), Options.Create(new ClassifierEngineOptions()),
            new HostingEnvironment { ContentRootPath = _directory }, new TriageSignals(100), NullLogger<ClassifierSource>.Instance);
        var first = source.Current;

        await File.WriteAllTextAsync(path, "not a model", TestContext.Current.CancellationToken);
        await Task.Delay(2000, TestContext.Current.CancellationToken);

        Assert.Same(first, source.Current);
    }
}
