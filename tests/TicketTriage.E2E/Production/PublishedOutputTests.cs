using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using TicketTriage.E2E.Infrastructure;

namespace TicketTriage.E2E.Production;

/// <summary>
/// Production as the README documents it: the published output, demo switch not given. Static files reach clients
/// that accept gzip intact (a build-output Production run once served them empty), and no demo account exists.
/// The same checks run against the build output in Production, which must not serve empty files either.
/// </summary>
public sealed class PublishedOutputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary><c>dotnet publish --no-build</c> of the build the tests run against (bounded: 3 minutes).</summary>
    private static async Task<string> PublishAsync(string target)
    {
        var repo = AppProcess.RepositoryRoot();
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent?.Name ?? "Release";
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = repo,
        };
        foreach (var arg in new[] { "publish", "src/TicketTriage.Web", "-c", configuration, "--no-build", "-o", target, "-nologo", "-v", "q" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"dotnet publish failed:\n{await output}\n{await errors}");
        return target;
    }

    private static Dictionary<string, string?> ProductionSettings(string data)
    {
        var settings = AppProcess.DefaultSettings(data);
        settings.Remove("Demo:Seed");
        return settings;
    }

    private static async Task AssertStaticFilesAndNoDemoAsync(AppProcess app)
    {
        var repo = AppProcess.RepositoryRoot();
        var expected = await File.ReadAllBytesAsync(Path.Combine(repo, "src", "TicketTriage.Web", "wwwroot", "css", "app.css"), Ct);
        using var client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, UseProxy = false })
        {
            BaseAddress = app.BaseAddress,
        };

        foreach (var encoding in new[] { "gzip", "br", "identity" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/css/app.css");
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
            using var response = await client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
            var body = response.Content.Headers.ContentEncoding.FirstOrDefault() switch
            {
                "gzip" => await Decompress(new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress)),
                "br" => await Decompress(new BrotliStream(new MemoryStream(bytes), CompressionMode.Decompress)),
                _ => bytes,
            };
            Assert.True(expected.AsSpan().SequenceEqual(body), $"app.css with Accept-Encoding {encoding}: {bytes.Length} bytes, {body.Length} decoded, expected {expected.Length}");
        }

        // The scripts every interactive page loads: the framework's (served from the SDK's static web assets) and
        // MudBlazor's (from its package). Either one empty or missing leaves every page dead in the browser.
        foreach (var path in new[] { "/_framework/blazor.web.js", "/_content/MudBlazor/MudBlazor.min.js", "/js/app.js" })
        {
            using var scriptRequest = new HttpRequestMessage(HttpMethod.Get, path);
            scriptRequest.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
            using var script = await client.SendAsync(scriptRequest, Ct);
            Assert.True(script.StatusCode == HttpStatusCode.OK, $"{path}: {(int)script.StatusCode}");
            Assert.NotEmpty(await script.Content.ReadAsByteArrayAsync(Ct));
        }

        Assert.DoesNotContain("Demo Agent", app.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("agent-demo-password", app.Output, StringComparison.Ordinal);
    }

    private static async Task<byte[]> Decompress(Stream stream)
    {
        await using var _ = stream;
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    [Fact]
    public async Task The_published_output_in_production_serves_whole_static_files_and_no_demo_data()
    {
        var root = Directory.CreateTempSubdirectory("tt-publish-");
        try
        {
            var published = await PublishAsync(Path.Combine(root.FullName, "app"));
            await using var app = await AppProcess.StartAsync("published-production", ProductionSettings(Path.Combine(root.FullName, "data")),
                environment: "Production", cancellationToken: Ct, publishedDirectory: published);

            await AssertStaticFilesAndNoDemoAsync(app);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_build_output_in_production_serves_whole_static_files_too()
    {
        var root = Directory.CreateTempSubdirectory("tt-build-prod-");
        try
        {
            await using var app = await AppProcess.StartAsync("build-production", ProductionSettings(root.FullName),
                environment: "Production", cancellationToken: Ct);

            await AssertStaticFilesAndNoDemoAsync(app);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
