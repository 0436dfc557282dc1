using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using TicketTriage.E2E.Infrastructure;

namespace TicketTriage.E2E.Browser;

/// <summary>
/// The real app as a process plus Debian's Chromium driven by Playwright. Browser console messages, page errors
/// and dialogs go to <c>artifacts/e2e/&lt;name&gt;-browser.log</c> beside the server's own log, and screenshots
/// are written there too: when a browser test fails on CI, these files say why.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    private readonly DirectoryInfo dataDirectory;
    private readonly StreamWriter browserLog;
    private readonly List<string> dialogs = [];
    private readonly List<string> pageErrors = [];

    private BrowserSession(DirectoryInfo dataDirectory, AppProcess app, IPlaywright playwright, IBrowser browser, IBrowserContext context, IPage page, StreamWriter browserLog, string artifacts)
    {
        this.dataDirectory = dataDirectory;
        this.browserLog = browserLog;
        App = app;
        Playwright = playwright;
        Browser = browser;
        Context = context;
        Page = page;
        Artifacts = artifacts;
    }

    public AppProcess App { get; }
    public IPlaywright Playwright { get; }
    public IBrowser Browser { get; }
    public IBrowserContext Context { get; }
    public IPage Page { get; }
    public string Artifacts { get; }

    /// <summary>Alerts, confirms and prompts the page tried to open (hostile text must open none).</summary>
    public IReadOnlyList<string> Dialogs { get { lock (dialogs) { return [.. dialogs]; } } }

    /// <summary>Uncaught script errors in the page.</summary>
    public IReadOnlyList<string> PageErrors { get { lock (pageErrors) { return [.. pageErrors]; } } }

    public static async Task<BrowserSession> StartAsync(string name, CancellationToken cancellationToken)
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install -y chromium (test.sh does).");
        }

        var data = Directory.CreateTempSubdirectory("tt-e2e-");
        var app = await AppProcess.StartAsync(name, AppProcess.DefaultSettings(data.FullName), cancellationToken: cancellationToken);
        var artifacts = Path.Combine(AppProcess.RepositoryRoot(), "artifacts", "e2e");
        Directory.CreateDirectory(artifacts);
        var log = new StreamWriter(Path.Combine(artifacts, $"{name}-browser.log")) { AutoFlush = true };

        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1360, Height = 860 },
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var session = new BrowserSession(data, app, playwright, browser, context, page, log, artifacts);
        page.Console += (_, message) => session.Log($"console.{message.Type}: {message.Text}");
        page.PageError += (_, error) =>
        {
            lock (session.pageErrors)
            {
                session.pageErrors.Add(error);
            }

            session.Log($"pageerror: {error}");
        };
        page.Dialog += async (_, dialog) =>
        {
            lock (session.dialogs)
            {
                session.dialogs.Add($"{dialog.Type}: {dialog.Message}");
            }

            session.Log($"DIALOG {dialog.Type}: {dialog.Message}");
            await dialog.DismissAsync();
        };
        page.RequestFailed += (_, request) => session.Log($"requestfailed: {request.Method} {request.Url} {request.Failure}");
        return session;
    }

    public void Log(string line)
    {
        lock (browserLog)
        {
            browserLog.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
        }
    }

    public async Task SignInAsync(string email, string password)
    {
        await Page.GotoAsync("/queue");
        await Page.WaitForURLAsync("**/signin?**");
        await Page.FillAsync("input[name='Input.Email']", email);
        await Page.FillAsync("input[name='Input.Password']", password);
        await Page.ClickAsync("button[type=submit]");
        await Page.WaitForURLAsync("**/queue");
    }

    /// <summary>POSTs one ticket through the ingest API, as an integration would; returns its id.</summary>
    public async Task<long> PostTicketAsync(string subject, string body, CancellationToken cancellationToken, DateTimeOffset? createdAt = null)
    {
        using var client = App.CreateClient(AppProcess.ApiKey);
        using var response = await client.PostAsJsonAsync("/api/tickets", new
        {
            source = "e2e",
            externalId = Guid.NewGuid().ToString("N"),
            channel = "email",
            subject,
            body,
            createdAt,
            customer = new { email = "mallory@example.com", name = "Mallory", plan = "pro", server = "node-209", datacenter = "ams1" },
        }, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Log($"POST /api/tickets -> {(int)response.StatusCode} {text}");
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt64();
    }

    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await App.DisposeAsync();
        lock (browserLog)
        {
            browserLog.Dispose();
        }

        try
        {
            dataDirectory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // SQLite's files may linger a moment after the kill.
        }
    }
}
