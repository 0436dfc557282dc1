extern alias cli;

using System.Text;
using Microsoft.EntityFrameworkCore;
using cli::TicketTriage.Cli.Http;
using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Cli;

/// <summary>
/// <c>triage import</c>'s reading and uploading halves against the real app: a file imported twice creates each
/// ticket once, rows without an id get the same id on every run, and a bad row is reported without stopping the rest.
/// </summary>
public sealed class ImportTests(TriageAppFactory app) : IClassFixture<TriageAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Csv =
        "id,subject,body,email,server,plan,php_version\n" +
        "IMP-1,Site down after upgrade,\"Since 09:40 every page says 500.\nPlease help.\",ann@example.com,web-117,pro,8.3\n" +
        ",No id on this row,The importer must derive a stable id from the content,bob@example.com,node-209,starter,8.1\n" +
        "IMP-3,,A row without a subject is refused by the API,cid@example.com,web-101,pro,8.3\n" +
        "IMP-4,Mail bounces,550 5.1.1 User unknown,dee@example.com,web-101,business,8.2\n";

    [Fact]
    public async Task Importing_the_same_csv_twice_creates_each_ticket_once_and_reports_the_bad_row()
    {
        var source = $"import-{Guid.NewGuid():N}";

        var first = await ImportAsync(Csv, "tickets.csv", source);
        var second = await ImportAsync(Csv, "tickets.csv", source);

        Assert.Equal([201, 201, 400, 201], first.Select(r => r.Status));
        Assert.Equal([200, 200, 400, 200], second.Select(r => r.Status));
        Assert.Equal(first.Select(r => r.Id), second.Select(r => r.Id));
        Assert.Contains("subject", first[2].Error, StringComparison.OrdinalIgnoreCase);

        await using var db = app.CreateDbContext();
        var stored = await db.Tickets.Include(t => t.Customer).Where(t => t.Source == source).OrderBy(t => t.Id).ToListAsync(Ct);
        Assert.Equal(3, stored.Count);
        Assert.Equal("IMP-1", stored[0].ExternalId);
        Assert.Equal("Since 09:40 every page says 500.\nPlease help.", stored[0].Body);
        Assert.Equal("web-117", stored[0].Customer!.Server);
        Assert.Contains("\"php_version\":\"8.3\"", stored[0].AttributesJson);
        Assert.False(string.IsNullOrWhiteSpace(stored[1].ExternalId));
    }

    [Fact]
    public async Task Jsonl_lines_import_in_the_api_shape_and_a_malformed_line_is_a_row_error()
    {
        var source = $"jsonl-{Guid.NewGuid():N}";
        var jsonl =
            "{\"externalId\":\"J-1\",\"subject\":\"DNS not resolving\",\"body\":\"DNS_PROBE_FINISHED_NXDOMAIN\",\"customer\":{\"email\":\"eve@example.com\"}}\n" +
            "{not json\n" +
            "{\"externalId\":\"J-2\",\"subject\":\"SSL expired\",\"body\":\"NET::ERR_CERT_DATE_INVALID\"}\n";

        var rows = TicketRows.Read(new MemoryStream(Encoding.UTF8.GetBytes(jsonl)), "t.jsonl", source).ToList();

        Assert.Equal(3, rows.Count);
        Assert.NotNull(rows[1].Error);
        var results = await UploadAsync(rows.Where(r => r.Ticket is not null).ToList());
        Assert.Equal([201, 201], results.Select(r => r.Status));
    }

    private async Task<IReadOnlyList<UploadedItem>> ImportAsync(string text, string name, string source)
    {
        var rows = TicketRows.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), name, source).ToList();
        Assert.All(rows, r => Assert.Null(r.Error));
        return await UploadAsync(rows);
    }

    private async Task<IReadOnlyList<UploadedItem>> UploadAsync(IReadOnlyList<TicketRow> rows)
    {
        using var client = app.CreateApiClient();
        return await new BatchUploader(client).UploadAsync([.. rows.Select(r => r.Ticket!)], Ct);
    }
}
