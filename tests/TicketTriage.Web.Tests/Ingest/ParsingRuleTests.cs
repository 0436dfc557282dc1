using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Tests.Infrastructure;
using TicketTriage.Web.Tests.Pages;

namespace TicketTriage.Web.Tests.Ingest;

/// <summary>
/// The one parsing rule of the ingest API (README, "The parsing rule"): a body that is not exactly one valid I-JSON
/// text is refused whole with 400; inside a valid body each ticket is judged alone. Each case here once was a 201
/// that could never be read, a 500, or a silently dropped rest.
/// </summary>
public sealed class ParsingRuleTests(TriageAppFactory app) : IClassFixture<TriageAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewId() => Guid.NewGuid().ToString("N");

    private static ByteArrayContent Raw(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static ByteArrayContent Raw(string json) => Raw(Encoding.UTF8.GetBytes(json));

    private async Task<HttpResponseMessage> PostAsync(string json, string path = "/api/tickets")
    {
        using var client = app.CreateApiClient();
        return await client.PostAsync(path, Raw(json), Ct);
    }

    private async Task<int> CountAsync(string externalId)
    {
        await using var db = app.CreateDbContext();
        return await db.Tickets.CountAsync(t => t.ExternalId == externalId, Ct);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? errorKey = null)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotMatch(IngestFuzzTests.InternalTypeName, text);
        if (errorKey is not null)
        {
            Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(errorKey, out _), text);
        }
    }

    [Theory]
    [InlineData("""{"a":"\ud800"}""", "$.attributes.a")]
    [InlineData("""{"a":"x\udc00y"}""", "$.attributes.a")]
    [InlineData("""{"\udc00":1}""", "$.attributes['?']")]
    [InlineData("""{"a":["ok","\ud800\ud800"]}""", "$.attributes.a[1]")]
    [InlineData("""{"a":"\u0000"}""", "$.attributes.a")]
    public async Task Attributes_with_an_unpaired_surrogate_or_NUL_escape_are_refused_with_the_path(string attributes, string path)
    {
        var id = NewId();
        var response = await PostAsync($$"""{"source":"t","externalId":"{{id}}","subject":"x","attributes":{{attributes}}}""");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty(path, out _) || path.Contains('?'), errors.ToString());
        Assert.Equal(0, await CountAsync(id));
    }

    [Fact]
    public async Task A_valid_surrogate_pair_is_stored_and_reads_back_through_the_api_and_the_page()
    {
        var id = NewId();
        var response = await PostAsync($$$"""{"source":"t","externalId":"{{{id}}}","subject":"smile \ud83d\ude00","attributes":{"\ud83d\ude00":"\ud83d\ude00 ok"}}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var ticketId = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
        using var client = app.CreateApiClient();
        var read = await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}", Ct);
        Assert.Equal("smile 😀", read.GetProperty("subject").GetString());
        Assert.Equal("😀 ok", read.GetProperty("attributes").GetProperty("😀").GetString());
        using var ui = await UiClient.SignedInAsync(app, TriageAppFactory.AdminEmail, TriageAppFactory.AdminPassword);
        var page = await ui.GetPageAsync($"/tickets/{ticketId}");
        Assert.Contains("😀 ok", page.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nesting_deeper_than_the_limit_is_refused_and_an_upserted_customer_keeps_older_tickets_readable()
    {
        var email = $"Deep-{NewId()}@Example.com";
        using var client = app.CreateApiClient();
        var first = IngestClient.Ticket(NewId(), email: email.ToLowerInvariant());
        var older = (await (await client.PostTicketAsync(first, Ct)).ReadJsonAsync(Ct)).GetProperty("id").GetInt64();

        // Root (1) → customer (2) → deep (3…): 62 levels is far over; the deepest accepted leaves room to read back.
        static string Nested(int levels) => new string('[', levels) + new string(']', levels);
        var tooDeep = await PostAsync($$$"""{"source":"t","externalId":"{{{NewId()}}}","subject":"x","customer":{"email":"{{{email.ToUpperInvariant()}}}","deep":{{{Nested(62)}}}}}""");
        var deepest = await PostAsync($$$"""{"source":"t","externalId":"{{{NewId()}}}","subject":"x","customer":{"email":"{{{email}}}","deep":{{{Nested(30)}}}},"attributes":{"a":{{{Nested(30)}}}}}""");

        await AssertProblemAsync(tooDeep, HttpStatusCode.BadRequest, "$.customer.deep" + string.Concat(Enumerable.Repeat("[0]", 29)));
        Assert.Equal(HttpStatusCode.Created, deepest.StatusCode);
        var newer = (await deepest.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
        foreach (var id in new[] { older, newer })
        {
            var read = await client.GetAsync($"/api/tickets/{id}", Ct);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }
    }

    [Theory]
    [InlineData("subject")]
    [InlineData("body")]
    [InlineData("attributes")]
    [InlineData("customer")]
    public async Task Invalid_utf8_in_any_string_is_400_for_the_whole_body(string field)
    {
        var id = NewId();
        var marker = "\"@@\"";
        var json = field switch
        {
            "attributes" => $$$"""{"source":"t","externalId":"{{{id}}}","subject":"x","attributes":{"a":{{{marker}}}}}""",
            "customer" => $$$"""{"source":"t","externalId":"{{{id}}}","subject":"x","customer":{"email":"a@b.c","php":{{{marker}}}}}""",
            _ => $$"""{"source":"t","externalId":"{{id}}","subject":"x","{{field}}":{{marker}}}""".Replace("\"subject\":\"x\",\"subject\"", "\"subject\"", StringComparison.Ordinal),
        };
        var bytes = Encoding.UTF8.GetBytes(json);
        var at = Encoding.UTF8.GetBytes(json[..(json.IndexOf("@@", StringComparison.Ordinal))]).Length;
        bytes[at] = 0xFF;
        bytes[at + 1] = 0xC0;

        using var client = app.CreateApiClient();
        var single = await client.PostAsync("/api/tickets", Raw(bytes), Ct);
        var batchBytes = Encoding.UTF8.GetBytes("{\"tickets\":[").Concat(bytes).Concat(Encoding.UTF8.GetBytes("]}")).ToArray();
        var batch = await client.PostAsync("/api/tickets/batch", Raw(batchBytes), Ct);

        await AssertProblemAsync(single, HttpStatusCode.BadRequest);
        await AssertProblemAsync(batch, HttpStatusCode.BadRequest);
        Assert.Equal(0, await CountAsync(id));
    }

    [Theory]
    [InlineData("""{"source":"t","externalId":"ID","subject":"x"}xyz""")]
    [InlineData("""{"source":"t","externalId":"ID","subject":"x"}{"source":"t","externalId":"ID2","subject":"y"}""")]
    [InlineData("""{"source":"t","externalId":"ID","subject":"x"} 42""")]
    [InlineData("""{"source":"t","externalId":"ID","subject":"x",}""")]
    [InlineData("""{"source":"t","externalId":"ID","subject":"x" /* note */}""")]
    [InlineData("""{"source":"t","externalId":"ID","subject":"x","subject":"y"}""")]
    public async Task Anything_but_exactly_one_strict_json_object_is_400_and_stores_nothing(string template)
    {
        var id = NewId();
        var response = await PostAsync(template.Replace("ID", id, StringComparison.Ordinal));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(0, await CountAsync(id));
        Assert.Equal(0, await CountAsync(id + "2"));
    }

    [Fact]
    public async Task A_leading_utf8_byte_order_mark_is_ignored()
    {
        var id = NewId();
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes($$"""{"source":"t","externalId":"{{id}}","subject":"x"}""")).ToArray();
        using var client = app.CreateApiClient();

        var response = await client.PostAsync("/api/tickets", Raw(bytes), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, await CountAsync(id));
    }

    [Fact]
    public async Task A_wrong_typed_batch_item_fails_alone_like_any_other_invalid_item()
    {
        using var client = app.CreateApiClient();
        var good = IngestClient.Ticket(NewId());
        var wrongType = IngestClient.Ticket(NewId());
        wrongType["subject"] = new JsonArray(1, 2);
        var wrongDate = IngestClient.Ticket(NewId());
        wrongDate["createdAt"] = "yesterday";

        var response = await client.PostBatchAsync([good, wrongType, null, 42, wrongDate, IngestClient.Ticket(NewId())], Ct);

        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.DoesNotMatch(IngestFuzzTests.InternalTypeName, text);
        var results = JsonDocument.Parse(text).RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetInt32()).ToArray();
        Assert.Equal([201, 400, 400, 400, 400, 201], results);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("results")[1].GetProperty("errors");
        Assert.Equal("Expected a string.", errors.GetProperty("$.subject")[0].GetString());
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("9999-12-31T23:59:59-01:00")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("1999-12-31T23:59:59Z")]
    [InlineData("+10:00")]
    public async Task An_absurd_createdAt_is_400_and_stores_nothing(string createdAt)
    {
        var ticket = IngestClient.Ticket(NewId());
        ticket["createdAt"] = createdAt;
        using var client = app.CreateApiClient();

        var response = await client.PostTicketAsync(ticket, Ct);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(0, await CountAsync(ticket["externalId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_createdAt_an_hour_ago_is_kept_and_one_a_day_ahead_is_not()
    {
        using var client = app.CreateApiClient();
        var past = IngestClient.Ticket(NewId());
        var at = DateTimeOffset.UtcNow.AddHours(-1);
        past["createdAt"] = at.ToString("O");
        var future = IngestClient.Ticket(NewId());
        future["createdAt"] = DateTimeOffset.UtcNow.AddDays(1).ToString("O");

        var kept = await client.PostTicketAsync(past, Ct);
        var refused = await client.PostTicketAsync(future, Ct);

        Assert.Equal(HttpStatusCode.Created, kept.StatusCode);
        await AssertProblemAsync(refused, HttpStatusCode.BadRequest, "createdAt");
        await using var db = app.CreateDbContext();
        var stored = await db.Tickets.SingleAsync(t => t.ExternalId == past["externalId"]!.GetValue<string>(), Ct);
        Assert.Equal(at.UtcDateTime, stored.CreatedAt, TimeSpan.FromMilliseconds(1));
    }
}
