using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using TicketTriage.Cli.Http;

namespace TicketTriage.Cli.Commands;

/// <summary>
/// <c>triage bench overload</c>: many connections post large batch bodies for a while, far beyond what the app can
/// take, while a probe asks <c>/healthz</c> ten times a second and the app's resident memory is sampled from
/// <c>/proc/&lt;pid&gt;/status</c>. Reports every answer by status (and whether refusals carried Retry-After), health
/// latency, and peak memory against the stated bound. Exit code 1 when a bar is missed.
/// </summary>
/// <example>
/// triage bench overload --url http://127.0.0.1:5080 --api-key $KEY --pid $APP_PID --connections 512 --body-mb 4 --duration 30s
/// </example>
internal static class BenchOverloadCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "The app's base URL (load tests only against 127.0.0.1).", Required = true };
        var apiKey = new Option<string>("--api-key") { Description = "An API key with the ingest scope.", Required = true };
        var pid = new Option<int>("--pid") { Description = "The app's process id, to sample its memory (Linux /proc).", Required = true };
        var duration = new Option<string>("--duration") { Description = "How long the overload lasts, e.g. 30s.", DefaultValueFactory = _ => "30s" };
        var connections = new Option<int>("--connections") { Description = "Concurrent uploads.", DefaultValueFactory = _ => 512 };
        var bodyMb = new Option<double>("--body-mb") { Description = "Size of each batch body in MB (1,000 tickets at most).", DefaultValueFactory = _ => 4.2 };
        var boundMb = new Option<int>("--bound-mb") { Description = "The peak resident memory the app must stay under, MB.", DefaultValueFactory = _ => 1024 };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON." };
        var expect = new Option<bool>("--expect-continue") { Description = "Send Expect: 100-continue, so a refusal costs no upload (true|false).", DefaultValueFactory = _ => true };
        var command = new Command("overload", "Overload the ingest API with large bodies: memory bound, health latency, only 503/429 + Retry-After beyond capacity.");
        foreach (var option in new Option[] { url, apiKey, pid, duration, connections, bodyMb, boundMb, expect, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var figures = await RunAsync(parse.GetValue(url)!, parse.GetValue(apiKey)!, parse.GetValue(pid),
                CliOptions.ParseDuration(parse.GetValue(duration)!), Math.Max(1, parse.GetValue(connections)),
                parse.GetValue(bodyMb), parse.GetValue(boundMb), parse.GetValue(expect), cancellationToken);
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

    internal sealed record OverloadFigures(
        bool ExpectContinue, int Connections, double BodyMb, double Seconds, long Requests, Dictionary<string, long> Statuses, long RefusalsWithoutRetryAfter,
        long ClientErrors, long HealthProbes, long HealthFailures, double HealthP50Ms, double HealthP99Ms, double HealthMaxMs,
        double RssBeforeMb, double RssPeakMb, double RssAfterMb, double VmHwmMb, int BoundMb, long TicketsCreated, string? FirstClientError, bool Passed);

    private static async Task<OverloadFigures> RunAsync(string url, string apiKey, int pid, TimeSpan duration, int connections,
        double bodyMb, int boundMb, bool expectContinue, CancellationToken cancellationToken)
    {
        var body = new BatchBody(bodyMb);
        using var client = CliOptions.Client(url, apiKey, connections);
        client.Timeout = TimeSpan.FromMinutes(2);
        using var probeClient = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = client.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var statuses = new Dictionary<string, long>();
        long requests = 0, withoutRetryAfter = 0, clientErrors = 0, created = 0;
        string? firstError = null;
        var rssBefore = Rss(pid, "VmRSS:");
        var rssPeak = rssBefore;
        var health = new List<double>();
        long healthFailures = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();

        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                rssPeak = Math.Max(rssPeak, Rss(pid, "VmRSS:"));
                await Task.Delay(50, CancellationToken.None);
            }
        }, CancellationToken.None);
        // Its own thread and synchronous sends: the probe must measure the app, not this process's busy thread pool.
        var probe = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var answer = probeClient.Send(new HttpRequestMessage(HttpMethod.Get, "healthz"));
                    if (!answer.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref healthFailures);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref healthFailures);
                }

                lock (health)
                {
                    health.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }

                Thread.Sleep(100);
            }
        }) { IsBackground = true, Name = "health probe" };
        probe.Start();

        var workers = Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
        {
            var n = 0;
            while (clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
            {
                // Exactly 16 characters: the body's Content-Length is computed once.
                var key = $"{Environment.ProcessId % 0x1000000:x6}{worker % 0x10000:x4}{n++ % 0x1000000:x6}";
                string status;
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "api/tickets/batch") { Content = body.For(key) };
                    request.Headers.ExpectContinue = expectContinue;
                    using var answer = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                    status = ((int)answer.StatusCode).ToString(CultureInfo.InvariantCulture);
                    if (answer.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests && answer.Headers.RetryAfter is null)
                    {
                        Interlocked.Increment(ref withoutRetryAfter);
                    }

                    if (answer.StatusCode == HttpStatusCode.OK)
                    {
                        var result = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(cancellationToken));
                        Interlocked.Add(ref created, result.RootElement.GetProperty("created").GetInt64());
                    }
                    else
                    {
                        await answer.Content.ReadAsByteArrayAsync(cancellationToken);
                        if (answer.Headers.RetryAfter?.Delta is { } delay)
                        {
                            // A well-behaved client waits as told; the overload comes from the number of connections.
                            await Task.Delay(delay, cancellationToken);
                        }
                    }
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    status = "connection error";
                    Interlocked.Increment(ref clientErrors);
                    Interlocked.CompareExchange(ref firstError, $"{e.GetType().Name}: {e.Message} {e.InnerException?.Message}", null);
                    // As a real client would: back off before trying again (the refusal closed the connection).
                    await Task.Delay(1000, CancellationToken.None);
                }

                Interlocked.Increment(ref requests);
                lock (statuses)
                {
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                }
            }
        }, CancellationToken.None)).ToArray();

        await Task.WhenAll(workers);
        var seconds = clock.Elapsed.TotalSeconds;
        await Task.Delay(3000, CancellationToken.None);
        await stop.CancelAsync();
        await sampler;
        probe.Join();
        var rssAfter = Rss(pid, "VmRSS:");
        var hwm = Rss(pid, "VmHWM:");
        health.Sort();
        double Percentile(double p) => health.Count == 0 ? 0 : health[Math.Min(health.Count - 1, (int)(p * health.Count))];
        var accepted = new[] { "200", "503", "429" };
        var passed = statuses.Keys.All(accepted.Contains) && withoutRetryAfter == 0 && healthFailures == 0
            && health.Count > 0 && health[^1] < 1000 && Math.Max(rssPeak, hwm) < boundMb && clientErrors == 0;
        return new OverloadFigures(expectContinue, connections, Math.Round(body.Length / 1e6, 2), Math.Round(seconds, 1), requests, statuses, withoutRetryAfter,
            clientErrors, health.Count, healthFailures, Math.Round(Percentile(0.5), 1), Math.Round(Percentile(0.99), 1), Math.Round(health.Count == 0 ? 0 : health[^1], 1),
            rssBefore, rssPeak, rssAfter, hwm, boundMb, created, firstError, passed);
    }

    /// <summary>A field of /proc/&lt;pid&gt;/status in MB (VmRSS: now, VmHWM: the peak since start).</summary>
    private static double Rss(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var kb = long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return Math.Round(kb / 1024.0, 1);
            }
        }

        return 0;
    }

    private static void Print(OverloadFigures f)
    {
        var table = new Table().AddColumns("Figure", "Value");
        table.AddRow("load", $"{f.Connections} connections (Expect: 100-continue {(f.ExpectContinue ? "on" : "off")}) × {f.BodyMb} MB batch bodies for {f.Seconds} s: {f.Requests:N0} requests, {f.TicketsCreated:N0} tickets created");
        table.AddRow("answers", string.Join(", ", f.Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value:N0}")));
        table.AddRow("refusals without Retry-After", f.RefusalsWithoutRetryAfter.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("/healthz", $"{f.HealthProbes:N0} probes, {f.HealthFailures} failed; p50 {f.HealthP50Ms} ms, p99 {f.HealthP99Ms} ms, max {f.HealthMaxMs} ms (bar < 1000 ms)");
        table.AddRow("app memory (RSS)", $"before {f.RssBeforeMb} MB, peak {Math.Max(f.RssPeakMb, f.VmHwmMb)} MB (VmHWM {f.VmHwmMb}), 3 s after {f.RssAfterMb} MB (bound {f.BoundMb} MB)");
        table.AddRow("first connection error", f.FirstClientError ?? "none");
        table.AddRow("verdict", f.Passed ? "[green]passed[/]" : "[red]a bar is missed[/]");
        AnsiConsole.Write(table);
    }

    /// <summary>
    /// A batch body of about the requested size, streamed: the shared ticket text is written again for every request
    /// with only the external ids changed, so the client holds one copy, not one per connection.
    /// </summary>
    private sealed class BatchBody
    {
        private readonly byte[] _head = "{\"tickets\":["u8.ToArray();
        private readonly byte[] _before;
        private readonly byte[] _after;
        private readonly int _items;

        public BatchBody(double megabytes)
        {
            var text = new StringBuilder();
            while (text.Length < 4000)
            {
                text.Append("Since the upgrade the site on web-117 answers 502 Bad Gateway for every page; PHP 8.3, WordPress 6.4. ");
            }

            _before = Encoding.UTF8.GetBytes("{\"source\":\"overload\",\"externalId\":\"");
            _after = Encoding.UTF8.GetBytes($"\",\"subject\":\"Site down after upgrade\",\"body\":\"{text}\",\"customer\":{{\"email\":\"load@example.com\",\"server\":\"web-117\"}}}}");
            var item = _before.Length + 21 + _after.Length + 1;
            _items = (int)Math.Clamp(megabytes * 1e6 / item, 1, 1000);
            Length = _head.Length + (_items * item) + 1;
        }

        public long Length { get; }

        public HttpContent For(string key) => new Content(this, key);

        private sealed class Content : HttpContent
        {
            private readonly BatchBody body;
            private readonly string key;

            public Content(BatchBody body, string key)
            {
                this.body = body;
                this.key = key;
                Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            }

            protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
            {
                await stream.WriteAsync(body._head);
                for (var i = 0; i < body._items; i++)
                {
                    await stream.WriteAsync(body._before);
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"{key}-{i:D4}"));
                    await stream.WriteAsync(body._after);
                    await stream.WriteAsync(i + 1 < body._items ? ","u8.ToArray() : "]}"u8.ToArray());
                }
            }

            protected override bool TryComputeLength(out long length)
            {
                length = body.Length;
                return true;
            }

            protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
                SerializeToStreamAsync(stream, context).GetAwaiter().GetResult();
        }
    }
}
