using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Features.Status;

/// <summary>
/// The public status page as plain server-rendered HTML: no Blazor, no script, no sign-in, a few kilobytes. Every
/// piece of text a person wrote goes through <see cref="HtmlEncoder"/>.
/// </summary>
internal static class StatusPageHtml
{
    public static byte[] Render(string title, IReadOnlyList<PublicIncident> incidents, DateTime now)
    {
        var e = HtmlEncoder.Default;
        var active = incidents.Count(i => i.State != IncidentState.Resolved);
        var html = new StringBuilder(4096);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(e.Encode(title)).Append("</title>")
            .Append("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Incident updates\" href=\"/status/feed\">")
            .Append("<style>").Append(Css).Append("</style></head><body><main>")
            .Append("<h1>").Append(e.Encode(title)).Append("</h1>");
        html.Append(active == 0
            ? "<p class=\"banner ok\" data-test=\"overall\">All systems operational</p>"
            : $"<p class=\"banner bad\" data-test=\"overall\">{active} active incident{(active == 1 ? "" : "s")}</p>");

        if (incidents.Count == 0)
        {
            html.Append("<p class=\"muted\">No incidents reported recently.</p>");
        }

        foreach (var incident in incidents)
        {
            html.Append("<section class=\"incident\" id=\"incident-").Append(incident.Id).Append("\" data-state=\"").Append(incident.State).Append("\">")
                .Append("<h2>").Append(e.Encode(incident.Title)).Append(" <span class=\"state ").Append(incident.State.ToString().ToLowerInvariant()).Append("\">")
                .Append(incident.State).Append("</span></h2>")
                .Append("<p class=\"muted\">Since ").Append(Time(incident.Started)).Append(" · last update ").Append(Time(incident.LastUpdate)).Append("</p>");
            if (incident.Components.Count > 0)
            {
                html.Append("<p class=\"components\">Affected: ");
                html.AppendJoin(", ", incident.Components.Select(c => $"<span class=\"component\">{e.Encode(c)}</span>"));
                html.Append("</p>");
            }

            if (incident.Updates.Count == 0)
            {
                html.Append("<p>We are investigating reports of this problem and will post an update here.</p>");
            }
            else
            {
                html.Append("<ol class=\"updates\">");
                foreach (var update in incident.Updates)
                {
                    html.Append("<li><strong>").Append(update.State).Append("</strong> <span class=\"muted\">").Append(Time(update.CreatedAt))
                        .Append("</span><div class=\"body\">").Append(e.Encode(update.Body)).Append("</div></li>");
                }

                html.Append("</ol>");
            }

            html.Append("</section>");
        }

        html.Append("<footer class=\"muted\">Updated ").Append(Time(now)).Append(" · <a href=\"/status/feed\">Atom feed</a></footer></main></body></html>");
        return Utf8.Bytes(html);
    }

    private static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private const string Css =
        "body{font-family:system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}main{max-width:760px;margin:0 auto;padding:24px}" +
        ".banner{padding:14px 18px;border-radius:8px;font-weight:600}.ok{background:#e3f4e8;color:#1b6b36}.bad{background:#fde8e6;color:#9b1c10}" +
        ".incident{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:16px 18px;margin:16px 0}.incident h2{font-size:1.15rem;margin:0 0 4px}" +
        ".state{font-size:.8rem;padding:2px 8px;border-radius:10px;background:#eef;vertical-align:middle}.resolved{background:#e3f4e8}" +
        ".investigating{background:#fde8e6}.identified{background:#fff1d6}.monitoring{background:#e6f0ff}.muted{color:#5b6475;font-size:.9rem}" +
        ".component{font-family:monospace;background:#f0f2f5;padding:1px 6px;border-radius:4px}.updates{padding-left:18px}.updates li{margin:10px 0}" +
        ".body{white-space:pre-wrap}";
}
