using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Ingest;

/// <summary>The ingest API against the whole app on a SQLite file (and, by subclass, PostgreSQL).</summary>
public class IngestApiTests(TriageAppFactory app) : IClassFixture<TriageAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Why these tests cannot run here (a subclass needs PostgreSQL), or null.</summary>
    protected virtual string? Unavailable => null;

    private HttpClient Client(string? apiKey = TriageAppFactory.ApiKey)
    {
        Assert.SkipWhen(Unavailable is not null, Unavailable ?? "");
        return app.CreateApiClient(apiKey);
    }

    [Fact]
    public async Task A_new_ticket_is_created_with_201_and_its_id_and_is_stored()
    {
        using var client = Client();
        var externalId = NewId();

        var response = await client.PostTicketAsync(IngestClient.Ticket(externalId), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadJsonAsync(Ct);
        var id = body.GetProperty("id").GetInt64();
        Assert.Equal("created", body.GetProperty("outcome").GetString());
        Assert.Equal($"/api/tickets/{id}", response.Headers.Location?.OriginalString);
        await using var db = app.CreateDbContext();
        var stored = await db.Tickets.Include(t => t.Customer).SingleAsync(t => t.Id == id, Ct);
        Assert.Equal(externalId, stored.ExternalId);
        Assert.Equal(TicketStatus.New, stored.Status);
        Assert.Equal("email", stored.Channel);
        Assert.Equal(DateTimeKind.Utc, stored.CreatedAt.Kind);
        Assert.Equal("web-117", stored.Customer!.Server);
        Assert.Contains("\"php\"", stored.Customer.AttributesJson);
        Assert.Contains("hosting", stored.AttributesJson);
        // The triage fields are the worker's, written after the commit and possibly already there by now (the
        // Triage tests cover them); ingest itself never waits for triage.
    }

    [Fact]
    public async Task The_same_source_and_external_id_again_answers_200_with_the_first_id_and_creates_nothing()
    {
        using var client = Client();
        var ticket = IngestClient.Ticket(NewId());
        var first = await (await client.PostTicketAsync(ticket, Ct)).ReadJsonAsync(Ct);

        var again = await client.PostTicketAsync(ticket, Ct);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var body = await again.ReadJsonAsync(Ct);
        Assert.Equal(first.GetProperty("id").GetInt64(), body.GetProperty("id").GetInt64());
        Assert.Equal("duplicate", body.GetProperty("outcome").GetString());
        Assert.Equal(1, await CountAsync(ticket["externalId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_same_external_id_from_another_source_is_another_ticket()
    {
        using var client = Client();
        var externalId = NewId();

        var a = await client.PostTicketAsync(IngestClient.Ticket(externalId, source: "helpdesk"), Ct);
        var b = await client.PostTicketAsync(IngestClient.Ticket(externalId, source: "email-gateway"), Ct);

        Assert.Equal(HttpStatusCode.Created, a.StatusCode);
        Assert.Equal(HttpStatusCode.Created, b.StatusCode);
    }

    [Fact]
    public async Task Fifty_concurrent_retries_of_one_ticket_store_exactly_one_row_and_all_get_its_id()
    {
        using var client = Client();
        var ticket = IngestClient.Ticket(NewId());

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.PostTicketAsync(ticket, Ct)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(49, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.ReadJsonAsync(Ct)).GetProperty("id").GetInt64()));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await CountAsync(ticket["externalId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task External_ids_differing_only_in_case_are_two_tickets()
    {
        // SQL Server compares case-insensitively by default; its key columns get a binary collation to match.
        using var client = Client();
        var externalId = "Case-" + NewId();
        var lower = await client.PostTicketAsync(IngestClient.Ticket(externalId.ToLowerInvariant()), Ct);
        var upper = await client.PostTicketAsync(IngestClient.Ticket(externalId.ToUpperInvariant()), Ct);

        Assert.Equal(HttpStatusCode.Created, lower.StatusCode);
        Assert.Equal(HttpStatusCode.Created, upper.StatusCode);
        Assert.NotEqual((await lower.ReadJsonAsync(Ct)).GetProperty("id").GetInt64(), (await upper.ReadJsonAsync(Ct)).GetProperty("id").GetInt64());
        Assert.Equal(1, await CountAsync(externalId.ToUpperInvariant()));
    }

    [Fact]
    public async Task Customers_are_upserted_by_email_case_insensitively_and_updated_by_later_tickets()
    {
        using var client = Client();
        var email = $"{NewId()}@Example.com";
        var first = IngestClient.Ticket(NewId(), email: email);
        var second = IngestClient.Ticket(NewId(), email: email.ToUpperInvariant());
        second["customer"]!["server"] = "web-118";
        second["customer"]!["name"] = null;

        await client.PostTicketAsync(first, Ct);
        await client.PostTicketAsync(second, Ct);

        await using var db = app.CreateDbContext();
        var customer = await db.Customers.SingleAsync(c => c.Email == email.ToLowerInvariant(), Ct);
        Assert.Equal("web-118", customer.Server);
        Assert.Equal("Ann Example", customer.Name);
        Assert.Equal(2, await db.Tickets.CountAsync(t => t.CustomerId == customer.Id, Ct));
    }

    [Fact]
    public async Task A_batch_answers_a_result_per_item_in_order()
    {
        using var client = Client();
        var existing = IngestClient.Ticket(NewId());
        await client.PostTicketAsync(existing, Ct);
        var fresh = IngestClient.Ticket(NewId());
        var invalid = IngestClient.Ticket(NewId(), subject: new string('x', 501));
        var repeated = IngestClient.Ticket(NewId());

        var response = await client.PostBatchAsync([fresh, existing, invalid, repeated, repeated.DeepClone()], Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync(Ct);
        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([201, 200, 400, 201, 200], results.Select(r => r.GetProperty("status").GetInt32()));
        Assert.Equal([0, 1, 2, 3, 4], results.Select(r => r.GetProperty("index").GetInt32()));
        Assert.True(results[2].GetProperty("errors").TryGetProperty("subject", out _));
        Assert.Equal(results[3].GetProperty("id").GetInt64(), results[4].GetProperty("id").GetInt64());
        Assert.Equal(2, body.GetProperty("created").GetInt32());
        Assert.Equal(2, body.GetProperty("duplicates").GetInt32());
        Assert.Equal(1, body.GetProperty("invalid").GetInt32());
        Assert.Equal(0, await CountAsync(invalid["externalId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_batch_of_a_thousand_is_accepted_and_more_is_refused()
    {
        using var client = Client();
        var prefix = NewId();

        var full = await client.PostBatchAsync(Enumerable.Range(0, 1000).Select(i => IngestClient.Ticket($"{prefix}-{i}", email: $"c{i % 37}@{prefix}.test")), Ct);
        var tooMany = await client.PostBatchAsync(Enumerable.Range(0, 1001).Select(i => IngestClient.Ticket($"{prefix}-x{i}")), Ct);

        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal(1000, (await full.ReadJsonAsync(Ct)).GetProperty("created").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        await using var db = app.CreateDbContext();
        Assert.Equal(1000, await db.Tickets.CountAsync(t => t.ExternalId.StartsWith(prefix), Ct));
        Assert.Equal(37, await db.Customers.CountAsync(c => c.Email.EndsWith($"@{prefix}.test"), Ct));
    }

    [Fact]
    public async Task Malformed_json_is_400_problem_details_naming_where_and_stores_nothing()
    {
        using var client = Client();
        var externalId = NewId();

        var response = await client.PostAsync("/api/tickets",
            new StringContent($$"""{"source":"tests","externalId":"{{externalId}}","subject":"x" "body":""}""", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadJsonAsync(Ct);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.NotEmpty(problem.GetProperty("errors").EnumerateObject());
        Assert.Equal(0, await CountAsync(externalId));
    }

    [Fact]
    public async Task A_field_of_the_wrong_json_type_is_400_naming_the_field()
    {
        using var client = Client();
        var ticket = IngestClient.Ticket(NewId());
        ticket["subject"] = 42;

        var response = await client.PostTicketAsync(ticket, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync(Ct)).GetProperty("errors").TryGetProperty("$.subject", out _));
    }

    [Fact]
    public async Task A_wrong_content_type_is_415_problem_details_and_stores_nothing()
    {
        using var client = Client();
        var externalId = NewId();

        var response = await client.PostAsync("/api/tickets",
            new StringContent(IngestClient.Ticket(externalId).ToJsonString(), Encoding.UTF8, "text/plain"), Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.True((await response.ReadJsonAsync(Ct)).GetProperty("errors").TryGetProperty("Content-Type", out _));
        Assert.Equal(0, await CountAsync(externalId));
    }

    [Fact]
    public async Task A_request_body_over_one_megabyte_is_413_and_stores_nothing()
    {
        using var client = Client();
        var ticket = IngestClient.Ticket(NewId());
        ticket["attributes"] = new JsonObject { ["padding"] = new string('p', 1024 * 1024) };

        var response = await client.PostTicketAsync(ticket, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await CountAsync(ticket["externalId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_chunked_body_over_one_megabyte_without_content_length_is_413()
    {
        using var client = Client();
        var ticket = IngestClient.Ticket(NewId());
        ticket["attributes"] = new JsonObject { ["padding"] = new string('p', 1100 * 1024) };
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(ticket.ToJsonString())));
        content.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/tickets") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("subject", 501, "subject")]
    [InlineData("body", 64 * 1024 + 1, "body")]
    [InlineData("source", 0, "source")]
    [InlineData("externalId", 0, "externalId")]
    public async Task A_field_over_its_limit_or_missing_is_400_with_a_field_error_and_stores_nothing(string field, int length, string errorKey)
    {
        using var client = Client();
        var externalId = NewId();
        var ticket = IngestClient.Ticket(externalId);
        ticket[field] = length == 0 ? null : new string('a', length);

        var response = await client.PostTicketAsync(ticket, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync(Ct)).GetProperty("errors").TryGetProperty(errorKey, out _));
        await using var db = app.CreateDbContext();
        Assert.Equal(0, await db.Tickets.CountAsync(t => t.ExternalId == externalId || t.Subject.Contains(externalId), Ct));
    }

    [Fact]
    public async Task A_body_of_exactly_64_KB_is_accepted()
    {
        using var client = Client();
        var ticket = IngestClient.Ticket(NewId());
        ticket["body"] = new string('b', 64 * 1024);

        var response = await client.PostTicketAsync(ticket, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_customer_without_a_valid_email_is_400()
    {
        using var client = Client();
        var ticket = IngestClient.Ticket(NewId(), email: "not-an-email");

        var response = await client.PostTicketAsync(ticket, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync(Ct)).GetProperty("errors").TryGetProperty("customer.email", out _));
    }

    [Fact]
    public async Task A_ticket_can_be_read_back_with_the_read_scope()
    {
        using var client = Client();
        var created = await (await client.PostTicketAsync(IngestClient.Ticket(NewId()), Ct)).ReadJsonAsync(Ct);
        var id = created.GetProperty("id").GetInt64();

        var response = await client.GetAsync($"/api/tickets/{id}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ticket = await response.ReadJsonAsync(Ct);
        Assert.Equal(id, ticket.GetProperty("id").GetInt64());
        Assert.Equal("New", ticket.GetProperty("status").GetString());
        Assert.Equal("web-117", ticket.GetProperty("customer").GetProperty("server").GetString());
        Assert.Equal("hosting", ticket.GetProperty("attributes").GetProperty("product").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/tickets/999999999", Ct)).StatusCode);
    }

    [Fact]
    public async Task Health_and_readiness_answer_and_the_openapi_document_lists_the_ingest_endpoints()
    {
        using var client = Client(null);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz", Ct)).StatusCode);
        var openApi = await client.GetStringAsync("/openapi/v1.json", Ct);
        using var document = JsonDocument.Parse(openApi);
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/tickets", out _));
        Assert.True(paths.TryGetProperty("/api/tickets/batch", out _));
        Assert.True(paths.TryGetProperty("/api/tickets/{id}", out _));
    }

    [Fact]
    public async Task The_parse_only_reference_endpoint_does_not_exist_outside_bench_mode()
    {
        using var client = Client();

        var response = await client.PostTicketAsync(IngestClient.Ticket(NewId()), Ct);
        var reference = await client.PostAsync("/api/bench/parse-only", IngestClient.Json(IngestClient.Ticket(NewId())), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, reference.StatusCode);
    }

    protected async Task<int> CountAsync(string externalId)
    {
        await using var db = app.CreateDbContext();
        return await db.Tickets.CountAsync(t => t.ExternalId == externalId, Ct);
    }

    private static string NewId() => Guid.NewGuid().ToString("N")[..16];
}
