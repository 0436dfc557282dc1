using System.Collections.Concurrent;
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
        long nextId = firstId;
        var errors = new ConcurrentDictionary<string, long>();
        var latencies = new ConcurrentQueue<double>();

        // Sends one request that was due at `due` and records its latency from then (only inside the measured window).
        async Task SendAsync(long due)
        {
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
            if (due < measureFrom || due >= end)
            {
                return;
            }

            if (error is not null)
            {
                errors.AddOrUpdate(error, 1, (_, n) => n + 1);
            }
            else
            {
                latencies.Enqueue((done - due) * 1000.0 / frequency);
            }
        }

        if (rate is { } r)
        {
            // Open loop: one dispatcher starts request i at start + i/rate, whatever the earlier ones are doing (up to
            // `concurrency` in flight; beyond that a request waits, and that wait counts in its latency).
            var ticksPerRequest = frequency / r;
            using var inFlight = new SemaphoreSlim(concurrency);
            var running = new List<Task>();
            for (long i = 0; ; i++)
            {
                var due = start + (long)(i * ticksPerRequest);
                if (due >= end)
                {
                    break;
                }

                var wait = due - Stopwatch.GetTimestamp();
                if (wait > frequency / 1000)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)wait / frequency), cancellationToken);
                }

                await inFlight.WaitAsync(cancellationToken);
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        await SendAsync(due);
                    }
                    finally
                    {
                        inFlight.Release();
                    }
                }, cancellationToken));
                if (running.Count > 4096)
                {
                    running.RemoveAll(t => t.IsCompleted);
                }
            }

            await Task.WhenAll(running);
        }
        else
        {
            // Closed loop: each worker sends its next request as soon as the last one returns.
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
            {
                while (!cancellationToken.IsCancellationRequested && Stopwatch.GetTimestamp() < end)
                {
                    await SendAsync(Stopwatch.GetTimestamp());
                }
            }, cancellationToken)));
        }

        var seconds = (end - measureFrom) / (double)frequency;
        var all = latencies.ToArray();
        Array.Sort(all);
        var requests = all.LongLength;
        return new LoadResult(
            path, batch, seconds, requests, requests * batch, errors.Values.Sum(),
            requests / seconds, requests * batch / seconds,
            Percentile(all, 0.50), Percentile(all, 0.95), Percentile(all, 0.99), all.Length > 0 ? all[^1] : double.NaN,
            new Dictionary<string, long>(errors));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
