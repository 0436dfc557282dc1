using System.Net.Http.Headers;
using System.Text;

namespace TicketTriage.Cli.Http;

/// <summary>
/// Request bodies for the ingest benchmark: a realistic ticket (~600 bytes: subject, body, customer with server and
/// datacenter, attributes) with a unique external id per ticket, so every ticket is really created. Built from
/// pre-split templates: the load generator shares the machine with the app and must spend little CPU per request.
/// </summary>
internal sealed class BenchPayloads(string source)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
    private static readonly string[] Subjects =
    [
        "Website shows 500 Internal Server Error since the upgrade",
        "Cannot send email: 535 5.7.8 Authentication failed",
        "Site very slow after migration to the new server",
        "SSL certificate expired on my shop",
        "Backup restore failed for my account",
    ];

    private readonly string _prefix = $"{{\"source\":\"{source}\",\"externalId\":\"";

    public ByteArrayContent Single(long id)
    {
        var builder = new StringBuilder(768);
        Append(builder, id);
        return Content(builder);
    }

    public ByteArrayContent Batch(long firstId, int count)
    {
        var builder = new StringBuilder(768 * count + 16).Append("{\"tickets\":[");
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            Append(builder, firstId + i);
        }

        return Content(builder.Append("]}"));
    }

    private void Append(StringBuilder b, long id)
    {
        var customer = id % 5_000;
        var server = 101 + (customer % 40);
        b.Append(_prefix).Append(id)
            .Append("\",\"subject\":\"").Append(Subjects[id % Subjects.Length]).Append(" (#").Append(id).Append(")\"")
            .Append(",\"body\":\"Hello, since this morning my site on web-").Append(server)
            .Append(" returns errors for most visitors. I did not change anything on my side. Could you please have a look at the server logs and tell me what happened? Thanks, customer ")
            .Append(customer).Append("\",\"channel\":\"email\",\"customer\":{\"email\":\"customer").Append(customer)
            .Append("@example.net\",\"username\":\"user").Append(customer).Append("\",\"name\":\"Customer ").Append(customer)
            .Append("\",\"plan\":\"business\",\"tier\":\"standard\",\"server\":\"web-").Append(server)
            .Append("\",\"datacenter\":\"ams1\",\"region\":\"eu-west\"},\"attributes\":{\"product\":\"hosting\",\"php\":\"8.3\"}}");
    }

    private static ByteArrayContent Content(StringBuilder builder)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(builder.ToString()));
        content.Headers.ContentType = Json;
        return content;
    }
}
