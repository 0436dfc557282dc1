using System.Globalization;
using System.Net;

namespace TicketTriage.Cli.Http;

internal static class CliOptions
{
    /// <summary>"30s", "2m", "500ms" or plain seconds.</summary>
    public static TimeSpan ParseDuration(string text)
    {
        text = text.Trim();
        double Number(int suffix) => double.Parse(text[..^suffix], CultureInfo.InvariantCulture);
        return text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? TimeSpan.FromMilliseconds(Number(2))
            : text.EndsWith('s') ? TimeSpan.FromSeconds(Number(1))
            : text.EndsWith('m') ? TimeSpan.FromMinutes(Number(1))
            : TimeSpan.FromSeconds(double.Parse(text, CultureInfo.InvariantCulture));
    }

    /// <summary>An HTTP client for one app: keep-alive connections up to <paramref name="connections"/>, no proxy.</summary>
    public static HttpClient Client(string url, string apiKey, int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    })
    {
        BaseAddress = new Uri(url.EndsWith('/') ? url : url + "/"),
        Timeout = TimeSpan.FromSeconds(60),
        DefaultRequestHeaders = { { "X-Api-Key", apiKey } },
    };
}
