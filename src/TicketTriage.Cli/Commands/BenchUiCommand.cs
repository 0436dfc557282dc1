using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Spectre.Console;
using TicketTriage.Cli.Http;

namespace TicketTriage.Cli.Commands;

/// <summary>
/// <c>triage bench ui</c>: seeds a SQLite file with many triaged tickets and patterns, starts the app on it as its own
/// process (triage off, so only the page reads are measured) and times <c>/queue</c> and <c>/patterns</c> as a signed-in
/// admin. The bar: each page under 150 ms at 1,000,000 tickets and 10,000 patterns. Exit code 1 when missed.
/// </summary>
/// <example>triage bench ui --tickets 1000000 --patterns 10000 --requests 200</example>
internal static partial class BenchUiCommand
{
    private const string AdminEmail = "admin@example.com";
    private const string AdminPassword = "bench-ui-admin-password";
    private const double BarMs = 150;

    /// <summary>A signed-in page that reads almost nothing: the machine's own cost of a page, measured alongside.</summary>
    private const string ReferencePage = "/account/password";

    private static readonly string[] MeasuredPages = ["/queue", "/patterns", ReferencePage];

    public static Command Create()
    {
        var tickets = new Option<int>("--tickets") { Description = "Tickets to seed.", DefaultValueFactory = _ => 1_000_000 };
        var patterns = new Option<int>("--patterns") { Description = "Patterns to seed.", DefaultValueFactory = _ => 10_000 };
        var requests = new Option<int>("--requests") { Description = "Timed GETs per page (after 10 untimed).", DefaultValueFactory = _ => 200 };
        var database = new Option<string?>("--db") { Description = "SQLite file to use; an existing file is measured as it is, without seeding (default: a new temporary file)." };
        var app = new Option<string?>("--app") { Description = "TicketTriage.Web.dll to run (default: the Release build under src/TicketTriage.Web of the enclosing repository)." };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON." };
        var command = new Command("ui", "Seed tickets and patterns into SQLite, start the app on it and time the queue page and the pattern board.");
        foreach (var option in new Option[] { tickets, patterns, requests, database, app, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var figures = await RunAsync(parse.GetValue(tickets), parse.GetValue(patterns), Math.Max(1, parse.GetValue(requests)),
                parse.GetValue(database), parse.GetValue(app) ?? DefaultAppPath(), cancellationToken);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                Print(figures);
            }

            return figures.Passed ? 0 : 1;
        });
        return command;
    }

    internal sealed record UiFigures(UiBenchSeeder.Seeded? Seeded, string Database, string Timing, IReadOnlyList<UiPageTimer.PageTiming> Pages,
        double BarMs, int ProcessorCount, bool Passed);

    private static async Task<UiFigures> RunAsync(int tickets, int patterns, int requests, string? databasePath, string appDll, CancellationToken cancellationToken)
    {
        var temporary = databasePath is null ? Directory.CreateTempSubdirectory("triage-bench-ui-").FullName : null;
        var path = Path.GetFullPath(databasePath ?? Path.Combine(temporary!, "triage.db"));
        try
        {
            UiBenchSeeder.Seeded? seeded = null;
            if (!File.Exists(path))
            {
                // The first start creates the schema (migrations) and the admin; the seed goes in while the app is down.
                await using (await AppUnderTest.StartAsync(appDll, path, cancellationToken))
                {
                }

                AnsiConsole.MarkupLine($"[grey]Seeding {tickets:N0} tickets and {patterns:N0} patterns into {Markup.Escape(path)}…[/]");
                seeded = UiBenchSeeder.Seed(path, tickets, patterns, DateTime.UtcNow);
            }

            await using var running = await AppUnderTest.StartAsync(appDll, path, cancellationToken);
            using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer(), UseProxy = false })
            {
                BaseAddress = running.BaseAddress,
                Timeout = TimeSpan.FromSeconds(60),
            };
            var timer = new UiPageTimer(client);
            await timer.SignInAsync(AdminEmail, AdminPassword, cancellationToken);
            // Interleaved rounds, so a burst of load from elsewhere on the machine hits every page alike.
            var rounds = 5;
            var timings = MeasuredPages.ToDictionary(p => p, _ => new List<UiPageTimer.PageTiming>());
            for (var round = 0; round < rounds; round++)
            {
                foreach (var page in MeasuredPages)
                {
                    timings[page].Add(await timer.TimeAsync(page, Math.Max(1, requests / rounds), warmup: round == 0 ? 10 : 1, cancellationToken));
                }
            }

            var pages = MeasuredPages.Select(p => UiPageTimer.Merge(timings[p])).ToList();
            return new UiFigures(seeded, path, "client-measured on localhost (the app sends no Server-Timing): send to last byte of the prerendered page",
                pages, BarMs, Environment.ProcessorCount, pages.Where(p => p.Path != ReferencePage).All(p => p.P95Ms < BarMs));
        }
        finally
        {
            if (temporary is not null)
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    private static void Print(UiFigures f)
    {
        var table = new Table().AddColumns("Page", "Requests", "p50 ms", "p95 ms", "max ms", "HTML bytes");
        foreach (var p in f.Pages)
        {
            table.AddRow(p.Path, $"{p.Requests:N0}", $"{p.P50Ms}", $"{p.P95Ms}", $"{p.MaxMs}", $"{p.Bytes:N0}");
        }

        AnsiConsole.Write(table);
        if (f.Seeded is { } s)
        {
            AnsiConsole.MarkupLine($"Seeded {s.Tickets:N0} tickets, {s.Patterns:N0} patterns, {s.Customers:N0} customers in {s.Seconds} s.");
        }

        AnsiConsole.MarkupLine($"Timing: {Markup.Escape(f.Timing)}. Bar: p95 < {f.BarMs} ms. {(f.Passed ? "[green]passed[/]" : "[red]missed[/]")}");
    }

    private static string DefaultAppPath()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "TicketTriage.sln")))
                {
                    return Path.Combine(dir.FullName, "src", "TicketTriage.Web", "bin", "Release", "net10.0", "TicketTriage.Web.dll");
                }
            }
        }

        throw new InvalidOperationException("No TicketTriage.sln above the current folder: pass --app <TicketTriage.Web.dll>.");
    }

    /// <summary>The app as its own process on a free port against the SQLite file, triage and demo data off.</summary>
    private sealed partial class AppUnderTest : IAsyncDisposable
    {
        private readonly Process _process;

        private AppUnderTest(Process process, Uri baseAddress)
        {
            _process = process;
            BaseAddress = baseAddress;
        }

        public Uri BaseAddress { get; }

        public static async Task<AppUnderTest> StartAsync(string appDll, string databasePath, CancellationToken cancellationToken)
        {
            if (!File.Exists(appDll))
            {
                throw new FileNotFoundException("Build the web project first (dotnet build -c Release) or pass --app.", appDll);
            }

            var contentRoot = Path.GetDirectoryName(Path.GetFullPath(appDll))!;
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = contentRoot };
            foreach (var arg in new[] { appDll, "--urls", "http://127.0.0.1:0", "--environment", "Production", "--contentRoot", contentRoot })
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
            start.Environment.Remove("DOTNET_ENVIRONMENT");
            start.Environment["Database__Provider"] = "Sqlite";
            start.Environment["ConnectionStrings__Triage"] = $"Data Source={databasePath}";
            start.Environment["Triage__Enabled"] = "false";
            start.Environment["Demo__Seed"] = "false";
            start.Environment["Bootstrap__AdminEmail"] = AdminEmail;
            start.Environment["Bootstrap__AdminPassword"] = AdminPassword;
            start.Environment["DataProtection__KeysPath"] = Path.Combine(Path.GetDirectoryName(databasePath)!, "bench-ui-keys");
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";

            var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            var output = new System.Text.StringBuilder();
            var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            DataReceivedEventHandler onLine = (_, e) =>
            {
                if (e.Data is null)
                {
                    return;
                }

                lock (output)
                {
                    output.AppendLine(e.Data);
                }

                if (ListeningOn().Match(e.Data) is { Success: true } match)
                {
                    listening.TrySetResult(new Uri(match.Groups[1].Value));
                }
            };
            process.OutputDataReceived += onLine;
            process.ErrorDataReceived += onLine;
            process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"The app exited before listening:\n{output}"));
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var app = new AppUnderTest(process, new Uri("http://127.0.0.1/"));
            try
            {
                var address = await listening.Task.WaitAsync(TimeSpan.FromMinutes(3), cancellationToken);
                return new AppUnderTest(process, address);
            }
            catch
            {
                await app.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        [GeneratedRegex(@"Now listening on: (http://\S+)")]
        private static partial Regex ListeningOn();
    }
}
