using System.Diagnostics;
using System.Net;

namespace TicketTriage.Cli.Http;

/// <summary>What one load run measured. Latencies in milliseconds; rates over the measured window (after warm-up).</summary>
internal sealed record LoadResult(
    string Path,
    int Batch,
    double Seconds,
    long Requests,
    long Tickets,
    long Errors,
    double RequestsPerSecond,
    double TicketsPerSecond,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    double MaxMs,
    IReadOnlyDictionary<string, long> ErrorsByKind);

/// <summary>
/// Drives POSTs at the app: <c>concurrency</c> workers in a closed loop (each sends its next request when the last
/// returns), or, with a target <c>rate</c>, an open loop where request i is due at start + i/rate and its latency counts
/// from when it was due — so a stalled server shows up in the percentiles instead of silently slowing the client
/// (coordinated omission).
/// </summary>
internal static class IngestLoad
{
    public static async Task<LoadResult> RunAsync(
        HttpClient client,
        string path,
        BenchPayloads payloads,
        int concurrency,
        int batch,
        TimeSpan duration,
        TimeSpan warmup,
        double? rate,
        long firstId,
        CancellationToken cancellationToken)
    {
        var frequency = Stopwatch.Frequency;
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup.TotalSeconds * frequency);
        var end = measureFrom + (long)(duration.TotalSeconds * frequency);
        var ticksPerRequest = rate is { } r ? frequency / r : 0;
        long nextSlot = -1;
        long nextId = firstId;
        var errors = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        var perWorker = new List<double>[concurrency];
        var counts = new long[concurrency];

        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var latencies = perWorker[w] = new List<double>(1 << 16);
            while (!cancellationToken.IsCancellationRequested)
            {
                long due;
                if (rate is null)
                {
                    due = Stopwatch.GetTimestamp();
                }
                else
                {
                    due = start + (long)(Interlocked.Increment(ref nextSlot) * ticksPerRequest);
                    var wait = due - Stopwatch.GetTimestamp();
                    if (wait > 0)
                    {
                        await Task.Delay(TimeSpan.FromSeconds((double)wait / frequency), cancellationToken);
                    }
                }

                if (due >= end)
                {
                    return;
                }

                var id = Interlocked.Add(ref nextId, batch) - batch;
                using var content = batch == 1 ? payloads.Single(id) : payloads.Batch(id, batch);
                string? error = null;
                try
                {
                    using var response = await client.PostAsync(path, content, cancellationToken);
                    if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
                    {
                        error = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    }
                }
                catch (HttpRequestException e)
                {
                    error = e.HttpRequestError.ToString();
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    error = "timeout";
                }

                var done = Stopwatch.GetTimestamp();
                if (due < measureFrom)
                {
                    continue;
                }

                if (error is not null)
                {
                    errors.AddOrUpdate(error, 1, (_, n) => n + 1);
                    continue;
                }

                counts[w]++;
                latencies.Add((done - due) * 1000.0 / frequency);
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(workers);

        var seconds = Math.Max(1e-9, (Math.Min(Stopwatch.GetTimestamp(), end) - measureFrom) / (double)frequency);
        var all = perWorker.SelectMany(l => l).ToArray();
        Array.Sort(all);
        var requests = counts.Sum();
        return new LoadResult(
            path, batch, seconds, requests, requests * batch, errors.Values.Sum(),
            requests / seconds, requests * batch / seconds,
            Percentile(all, 0.50), Percentile(all, 0.95), Percentile(all, 0.99), all.Length > 0 ? all[^1] : double.NaN,
            new Dictionary<string, long>(errors));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
