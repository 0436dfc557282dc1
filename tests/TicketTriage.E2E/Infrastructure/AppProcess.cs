using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace TicketTriage.E2E.Infrastructure;

/// <summary>
/// The real app as its own process: <c>dotnet TicketTriage.Web.dll --urls http://127.0.0.1:0 --environment …
/// --contentRoot src/TicketTriage.Web</c>, settings passed as environment variables, the port read from
/// "Now listening on:", stdout and stderr copied to <c>artifacts/e2e/&lt;name&gt;-*.log</c>. Dispose kills the whole
/// process tree. <see cref="Kill"/> is SIGKILL on Linux: nothing in the app gets to run, as in a real crash.
/// </summary>
public sealed partial class AppProcess : IAsyncDisposable
{
    /// <summary>The key <see cref="DefaultSettings"/> bootstraps, scopes ingest + read.</summary>
    public const string ApiKey = "tt_e2ekey0001_0123456789abcdefghijklmnopqrstuv";
    public const string AdminEmail = "admin@example.com";
    public const string AdminPassword = "admin-e2e-password-1";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StreamWriter _log;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AppProcess(Process process, StreamWriter log, string logPath)
    {
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    public Uri BaseAddress { get; private set; } = null!;
    public string LogPath { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>Everything the app wrote so far (stdout and stderr, interleaved by line).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Settings every start gets unless overridden: a SQLite file under <paramref name="dataDirectory"/>, demo data
    /// off, a known admin and API key, Data Protection keys beside the database.
    /// </summary>
    public static Dictionary<string, string?> DefaultSettings(string dataDirectory) => new()
    {
        ["Database:Provider"] = "Sqlite",
        ["ConnectionStrings:Triage"] = $"Data Source={Path.Combine(dataDirectory, "triage.db")}",
        ["Demo:Seed"] = "false",
        ["Bootstrap:AdminEmail"] = AdminEmail,
        ["Bootstrap:AdminPassword"] = AdminPassword,
        ["Bootstrap:ApiKey"] = ApiKey,
        ["DataProtection:KeysPath"] = Path.Combine(dataDirectory, "keys"),
    };

    /// <summary>Starts the app and waits until it listens (or fails with its output).</summary>
    /// <param name="name">Names the log file in artifacts/e2e.</param>
    /// <param name="settings">Configuration keys (<c>Section:Key</c>) → values; see <see cref="DefaultSettings"/>.</param>
    /// <param name="environment">ASP.NET Core environment; Development serves static web assets from the project.</param>
    /// <param name="publishedDirectory">Run the <c>dotnet publish</c> output in this folder instead of the build output.</param>
    public static async Task<AppProcess> StartAsync(
        string name,
        IReadOnlyDictionary<string, string?> settings,
        string environment = "Development",
        TimeSpan? startTimeout = null,
        CancellationToken cancellationToken = default,
        string? publishedDirectory = null)
    {
        var repo = RepositoryRoot();
        // Published output: the app's own folder is its content root, as in a real deployment.
        var webDll = publishedDirectory is null ? WebAssemblyPath(repo) : Path.Combine(publishedDirectory, "TicketTriage.Web.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = publishedDirectory ?? Path.Combine(repo, "src", "TicketTriage.Web"),
        };
        foreach (var arg in new[] { webDll, "--urls", "http://127.0.0.1:0", "--environment", environment, "--contentRoot", start.WorkingDirectory })
        {
            start.ArgumentList.Add(arg);
        }

        // The test runner's own environment must not leak in (e.g. a Development launch profile or a stray setting).
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? "";
        }

        var artifacts = Path.Combine(repo, "artifacts", "e2e");
        Directory.CreateDirectory(artifacts);
        var logPath = Path.Combine(artifacts, $"{name}-{DateTime.UtcNow:HHmmss-fff}.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var app = new AppProcess(process, log, logPath);
        process.OutputDataReceived += (_, e) => app.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => app.OnLine(e.Data);
        process.Exited += (_, _) => Task.Run(() =>
        {
            // WaitForExit() also waits for the last redirected lines, so the exception carries all of the output.
            process.WaitForExit();
            app._listening.TrySetException(new AppExitedException(SafeExitCode(process), app.Output));
        });
        if (!process.Start())
        {
            throw new InvalidOperationException("dotnet did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            app.BaseAddress = await app._listening.Task.WaitAsync(startTimeout ?? TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    /// <summary>A client for the app; with <paramref name="apiKey"/> it sends <c>X-Api-Key</c>.</summary>
    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = 256 })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    /// <summary>What the app logs once its engine is fitted and triaging (tests that time triage start after it).</summary>
    public const string TriageReady = "Triage ready";

    /// <summary>How long the engine's start may take: its featurizer fit is 16–19 s alone, minutes beside the other E2E apps.</summary>
    public static readonly TimeSpan StartUp = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Waits until the app has written <paramref name="text"/> (a log line such as <see cref="TriageReady"/>); throws
    /// with its output when it exits or the timeout passes first.
    /// </summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The app did not write \"{text}\" within {timeout.TotalSeconds:0} s (exited: {HasExited}). Output:\n{Output}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>SIGKILL to the app and its children, then waits for the exit: no shutdown code runs.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _process.Dispose();
        lock (_output)
        {
            _log.Dispose();
        }
    }

    /// <summary>The repository root: the nearest parent folder of the test binaries holding TicketTriage.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TicketTriage.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("TicketTriage.sln not found above " + AppContext.BaseDirectory);
    }

    private static string WebAssemblyPath(string repo)
    {
        // Same configuration as the tests themselves (bin/<Configuration>/net10.0/): the project reference built it.
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent?.Name ?? "Debug";
        var dll = Path.Combine(repo, "src", "TicketTriage.Web", "bin", configuration, "net10.0", "TicketTriage.Web.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the web project ({configuration}) first.", dll);
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // A last line after dispose.
            }
        }

        if (ListeningOn().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    private static int? SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningOn();
}

/// <summary>The app process ended before it listened: its exit code and everything it wrote.</summary>
public sealed class AppExitedException(int? exitCode, string output)
    : InvalidOperationException($"The app exited (code {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}) before listening. Output:\n{output}")
{
    public int? ExitCode => exitCode;
    public string Output => output;
}
