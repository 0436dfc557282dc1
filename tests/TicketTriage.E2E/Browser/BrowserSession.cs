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
    private readonly List<string> consoleErrors = [];

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

    /// <summary>console.error lines (a Content-Security-Policy refusal shows up here).</summary>
    public IReadOnlyList<string> ConsoleErrors { get { lock (consoleErrors) { return [.. consoleErrors]; } } }

    /// <summary>Uncaught script errors in the page.</summary>
    public IReadOnlyList<string> PageErrors { get { lock (pageErrors) { return [.. pageErrors]; } } }

    public static async Task<BrowserSession> StartAsync(string name, CancellationToken cancellationToken, bool demoData = false)
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install -y chromium (test.sh does).");
        }

        var data = Directory.CreateTempSubdirectory("tt-e2e-");
        var settings = AppProcess.DefaultSettings(data.FullName);
        settings["Demo:Seed"] = demoData ? "true" : "false";
        var app = await AppProcess.StartAsync(name, settings, cancellationToken: cancellationToken);
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
        session.Watch(page, "main");
        return session;
    }

    /// <summary>A second, separate browser (own cookies): another person at another desk.</summary>
    public async Task<IPage> NewPersonAsync(string label, int width = 1360, int height = 860)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        Watch(page, label);
        return page;
    }

    /// <summary>Console messages, page errors and dialogs of a page go to the log (and the lists the tests check).</summary>
    public void Watch(IPage page, string label)
    {
        var session = this;
        page.Console += (_, message) =>
        {
            session.Log($"[{label}] console.{message.Type}: {message.Text}");
            if (message.Type == "error")
            {
                lock (session.consoleErrors)
                {
                    session.consoleErrors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (session.pageErrors)
            {
                session.pageErrors.Add(error);
            }

            session.Log($"[{label}] pageerror: {error}");
        };
        page.Dialog += async (_, dialog) =>
        {
            lock (session.dialogs)
            {
                session.dialogs.Add($"{dialog.Type}: {dialog.Message}");
            }

            session.Log($"[{label}] DIALOG {dialog.Type}: {dialog.Message}");
            await dialog.DismissAsync();
        };
        page.RequestFailed += (_, request) => session.Log($"[{label}] requestfailed: {request.Method} {request.Url} {request.Failure}");
    }

    public void Log(string line)
    {
        lock (browserLog)
        {
            browserLog.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
        }
    }

    public Task SignInAsync(string email, string password) => SignInAsync(Page, email, password);

    /// <summary>Signs in through the form and waits until the queue's circuit is up (clicks before it would be lost).</summary>
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/queue");
        await page.WaitForURLAsync("**/signin?**");
        await page.FillAsync("input[name='Input.Email']", email);
        await page.FillAsync("input[name='Input.Password']", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/queue");
        await WaitForCircuitAsync(page);
    }

    /// <summary>The layout sets data-circuit="ready" after its first interactive render.</summary>
    public static Task WaitForCircuitAsync(IPage page) => page.WaitForSelectorAsync("[data-circuit=ready]");

    /// <summary>
    /// Waits until every finite animation on the page has finished, so axe measures what people see: a snackbar that
    /// arrived live was once measured mid fade-in, its text at partial opacity failing colour contrast (2026-12-05).
    /// Endless ones (a spinner) are not waited for.
    /// </summary>
    public static Task SettleAnimationsAsync(IPage page) => page.WaitForFunctionAsync(
        "() => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity)");

    /// <summary>A screenshot for the README, kept in docs/screenshots/ (the viewport, not the whole page).</summary>
    public Task DocsScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppProcess.RepositoryRoot(), "docs", "screenshots");
        Directory.CreateDirectory(folder);
        return page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png") });
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
