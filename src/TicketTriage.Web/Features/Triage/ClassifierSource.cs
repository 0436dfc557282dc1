using Microsoft.Extensions.Options;
using TicketTriage.ML.Classification;
using TicketTriage.MlNet;

namespace TicketTriage.Web.Features.Triage;

/// <summary>
/// The category model: with <c>Classifier:Engine=TicketTriage</c> (default) the file at <c>Triage:ModelPath</c>, with
/// <c>MlNet</c> the ML.NET model at <c>Classifier:MlNetModelPath</c>. Reloaded when the file is replaced (a new model
/// was trained): the file is watched, and a changed file is loaded after a short quiet period so a half-written file
/// is not read. A missing file, or an unreadable one on reload, leaves the previous model (or none: tickets then get
/// a pattern but no category). At start-up an ML.NET model that does not match the expected schema stops the app
/// with a message saying what was expected: a model dropped in by hand should fail loudly, not triage nothing.
/// </summary>
public sealed class ClassifierSource : IDisposable
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    private readonly TriageSignals _signals;
    private readonly ILogger<ClassifierSource> _logger;
    private readonly FileSystemWatcher? _watcher;
    private readonly Timer _debounce;
    private readonly ClassifierEngineOptions _engine;
    private ITextClassifier? _current;

    public ClassifierSource(
        IOptions<TriageOptions> options, IOptions<ClassifierEngineOptions> engine, IHostEnvironment environment, TriageSignals signals, ILogger<ClassifierSource> logger)
    {
        _signals = signals;
        _logger = logger;
        _engine = engine.Value;
        _debounce = new Timer(_ => Reload(), null, Timeout.Infinite, Timeout.Infinite);
        var configured = _engine.Engine == ClassifierEngine.MlNet ? _engine.MlNetModelPath : options.Value.ModelPath;
        Path = Resolve(configured, environment.ContentRootPath);
        Reload(notify: false, atStartup: true);
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (directory is not null && Directory.Exists(directory))
        {
            _watcher = new FileSystemWatcher(directory, System.IO.Path.GetFileName(Path))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            _watcher.Changed += (_, _) => _debounce.Change(Quiet, Timeout.InfiniteTimeSpan);
            _watcher.Created += (_, _) => _debounce.Change(Quiet, Timeout.InfiniteTimeSpan);
            _watcher.Renamed += (_, _) => _debounce.Change(Quiet, Timeout.InfiniteTimeSpan);
            _watcher.EnableRaisingEvents = true;
        }
    }

    /// <summary>The model file's full path (it may not exist).</summary>
    public string Path { get; }

    public ITextClassifier? Current => Volatile.Read(ref _current);

    public ClassifierEngine Engine => _engine.Engine;

    /// <summary>
    /// An absolute path as is; a relative one from the content root, else from the first parent folder that holds
    /// it (the content root of <c>dotnet run --project src/TicketTriage.Web</c> is the project folder, two below the
    /// repository's <c>models/</c>).
    /// </summary>
    public static string Resolve(string configured, string contentRoot)
    {
        if (System.IO.Path.IsPathRooted(configured))
        {
            return configured;
        }

        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, configured);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return System.IO.Path.GetFullPath(configured, contentRoot);
    }

    private void Reload(bool notify = true, bool atStartup = false)
    {
        if (!File.Exists(Path))
        {
            _logger.LogWarning("No category model at {Path}: tickets get a pattern and a priority, no category.", Path);
            return;
        }

        try
        {
            ITextClassifier model = _engine.Engine == ClassifierEngine.MlNet
                ? MlNetClassifier.Load(Path, _engine.MlNetAbstainThreshold)
                : TicketClassifier.Load(Path);
            Volatile.Write(ref _current, model);
            _logger.LogInformation("Category model ({Engine}) loaded from {Path} ({Classes} categories, abstain below {Threshold}).",
                _engine.Engine, Path, model.Classes.Count, model.AbstainThreshold);
            if (notify)
            {
                _signals.ModelChanged();
            }
        }
        catch (MlNetModelSchemaException e) when (atStartup)
        {
            throw new InvalidOperationException($"Classifier:Engine=MlNet cannot use its model: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or EndOfStreamException or UnauthorizedAccessException or FormatException or MlNetModelSchemaException)
        {
            _logger.LogError(e, "The category model at {Path} could not be loaded; keeping the previous one.", Path);
        }
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _debounce.Dispose();
    }
}
