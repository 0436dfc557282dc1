using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TicketTriage.Web.Tests.Infrastructure;
using TicketTriage.Web.Tests.Ingest;

namespace TicketTriage.Web.Tests.Triage;

/// <summary><c>GET /api/tickets/{id}/similar</c>: the twin of a ticket is found once triaged; errors are problem details.</summary>
public class SimilarTicketsApiTests(TriageAppFactory factory) : IClassFixture<TriageAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<long> PostAsync(HttpClient client, string source, string externalId, string subject, string body)
    {
        var ticket = IngestClient.Ticket(externalId, source, subject);
        ticket["body"] = body;
        using var response = await client.PostAsync("/api/tickets", IngestClient.Json(ticket), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync(Ct)).GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task A_tickets_twin_is_the_most_similar_with_its_source_and_external_id()
    {
        using var client = factory.CreateApiClient();
        var source = "similar-" + Guid.NewGuid().ToString("N")[..8];
        var first = await PostAsync(client, source, "S-1", "DKIM signature fails for outgoing mail of acme-bakery.nl",
            "Since Tuesday every message we send from acme-bakery.nl is rejected by Gmail: dkim=fail (body hash did not verify).");
        await PostAsync(client, source, "S-2", "Invoice address needs to change",
            "Please change the billing address on our invoices to Kerkstraat 12, Utrecht.");
        var twin = await PostAsync(client, source, "S-3", "Outgoing mail from acme-bakery.nl fails DKIM",
            "Gmail rejects our mail from acme-bakery.nl with dkim=fail, body hash did not verify. Started Tuesday.");

        // Indexed as the worker triages them (asynchronously): wait until the twin shows up.
        JsonElement answer = default;
        for (var attempt = 0; attempt < 120; attempt++)
        {
            answer = await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{first}/similar?limit=5", Ct);
            if (answer.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("id").GetInt64() == twin))
            {
                break;
            }

            await Task.Delay(250, Ct);
        }

        Assert.Equal(first, answer.GetProperty("ticketId").GetInt64());
        var items = answer.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        var best = items[0];
        Assert.Equal(twin, best.GetProperty("id").GetInt64());
        Assert.Equal(source, best.GetProperty("source").GetString());
        Assert.Equal("S-3", best.GetProperty("externalId").GetString());
        var similarity = best.GetProperty("similarity").GetDouble();
        Assert.InRange(similarity, 0.3, 1.0);
        Assert.DoesNotContain(items, i => i.GetProperty("id").GetInt64() == first);
        Assert.True(items.Count <= 5);
        var invoice = items.SingleOrDefault(i => i.GetProperty("externalId").GetString() == "S-2" && i.GetProperty("source").GetString() == source);
        if (invoice.ValueKind == JsonValueKind.Object)
        {
            Assert.True(invoice.GetProperty("similarity").GetDouble() < similarity);
        }
    }

    [Fact]
    public async Task An_unknown_ticket_is_a_404_problem()
    {
        using var client = factory.CreateApiClient();
        using var response = await client.GetAsync("/api/tickets/987654321/similar", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("987654321", (await response.ReadJsonAsync(Ct)).GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("ten")]
    public async Task A_bad_limit_is_a_400_problem_naming_the_limit(string limit)
    {
        using var client = factory.CreateApiClient();
        var id = await PostAsync(client, "similar-limit", "L-" + Guid.NewGuid().ToString("N")[..8], "Mailbox full", "My mailbox says it is full.");
        using var response = await client.GetAsync($"/api/tickets/{id}/similar?limit={limit}", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.ReadJsonAsync(Ct)).GetProperty("errors").TryGetProperty("limit", out _));
    }

    [Fact]
    public async Task The_similar_endpoint_is_in_the_openapi_document()
    {
        using var client = factory.CreateApiClient();
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/tickets/{id}/similar", out _));
    }
}
