using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace TicketTriage.Cli.Http;

/// <summary>
/// Times pages of a running app as a signed-in user: signs in through the <c>/signin</c> form (antiforgery token
/// from the form, the session cookie kept by the client's handler), then GETs each page one request after another,
/// timing from sending to the last byte of the prerendered HTML. The app sends no Server-Timing header, so this is
/// client-measured time on localhost: server time plus a loopback round trip.
/// </summary>
internal sealed partial class UiPageTimer(HttpClient client)
{
    /// <summary>One page's figures.</summary>
    public sealed record PageTiming(string Path, int Requests, double P50Ms, double P95Ms, double MaxMs, int Bytes)
    {
        internal IReadOnlyList<double> Times { get; init; } = [];
    }

    /// <summary>One page's timings from several rounds, as one.</summary>
    public static PageTiming Merge(IReadOnlyList<PageTiming> rounds) => Summarize(rounds[0].Path, [.. rounds.SelectMany(r => r.Times)], rounds[^1].Bytes);

    public async Task SignInAsync(string email, string password, CancellationToken cancellationToken)
    {
        var form = await client.GetStringAsync("signin", cancellationToken);
        var token = AntiforgeryToken().Match(form) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException("The sign-in page has no antiforgery token.");
        using var answer = await client.PostAsync("signin?ReturnUrl=%2Fqueue", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }), cancellationToken);
        if (answer.StatusCode != HttpStatusCode.Found || answer.Headers.Location?.OriginalString.Contains("signin", StringComparison.OrdinalIgnoreCase) == true)
        {
            throw new InvalidOperationException($"Signing in as {email} failed: {(int)answer.StatusCode} {answer.Headers.Location}");
        }
    }

    /// <summary>Times <paramref name="requests"/> GETs of a page after <paramref name="warmup"/> untimed ones.</summary>
    public async Task<PageTiming> TimeAsync(string path, int requests, int warmup, CancellationToken cancellationToken)
    {
        var times = new List<double>(requests);
        var bytes = 0;
        for (var i = 0; i < warmup + requests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var answer = await client.GetAsync(path.TrimStart('/'), cancellationToken);
            var body = await answer.Content.ReadAsByteArrayAsync(cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (answer.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET {path} answered {(int)answer.StatusCode} {answer.Headers.Location}");
            }

            bytes = body.Length;
            if (i >= warmup)
            {
                times.Add(elapsed);
            }
        }

        return Summarize(path, times, bytes);
    }

    private static PageTiming Summarize(string path, List<double> times, int bytes)
    {
        times.Sort();
        double Percentile(double p) => times[Math.Min(times.Count - 1, (int)(p * times.Count))];
        return new PageTiming(path, times.Count, Math.Round(Percentile(0.5), 1), Math.Round(Percentile(0.95), 1), Math.Round(times[^1], 1), bytes)
        {
            Times = times,
        };
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
