using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using TicketTriage.Web.Tests.Infrastructure;
using TicketTriage.Web.Tests.Ingest;

namespace TicketTriage.Web.Tests.Triage;

/// <summary>The changes API and the ticket read API: idempotency, paging, filters, problem details.</summary>
public class TriageApiTests(TriageAppFactory factory) : IClassFixture<TriageAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject Change(string externalId) => new()
    {
        ["source"] = "deploys",
        ["externalId"] = externalId,
        ["name"] = "PHP 8.4 on web-05/06",
        ["kind"] = "upgrade",
        ["start"] = "2026-11-21T09:00:00Z",
        ["targets"] = new JsonObject { ["server"] = new JsonArray("web-05", "web-06") },
    };

    [Fact]
    public async Task A_change_is_created_once_and_listed_with_its_targets()
    {
        using var client = factory.CreateApiClient();
        using var first = await client.PostAsync("/api/changes", IngestClient.Json(Change("chg-1")), Ct);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var id = (await first.ReadJsonAsync(Ct)).GetProperty("id").GetInt64();

        using var again = await client.PostAsync("/api/changes", IngestClient.Json(Change("chg-1")), Ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var duplicate = await again.ReadJsonAsync(Ct);
        Assert.Equal(id, duplicate.GetProperty("id").GetInt64());
        Assert.Equal("duplicate", duplicate.GetProperty("outcome").GetString());

        var list = await client.GetFromJsonAsync<JsonElement>("/api/changes", Ct);
        var item = list.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("externalId").GetString() == "chg-1");
        Assert.Equal("upgrade", item.GetProperty("kind").GetString());
        Assert.Equal(["web-05", "web-06"], item.GetProperty("targets").GetProperty("server").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task Batches_of_a_rollout_carry_their_series()
    {
        using var client = factory.CreateApiClient();
        foreach (var batch in new[] { "rollout-b1", "rollout-b2" })
        {
            var change = Change(batch);
            change["series"] = "php84-rollout";
            using var posted = await client.PostAsync("/api/changes", IngestClient.Json(change), Ct);
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }

        var items = (await client.GetFromJsonAsync<JsonElement>("/api/changes", Ct)).GetProperty("items").EnumerateArray().ToList();
        Assert.All(items.Where(c => c.GetProperty("externalId").GetString()!.StartsWith("rollout-b", StringComparison.Ordinal)),
            c => Assert.Equal("php84-rollout", c.GetProperty("series").GetString()));
        Assert.Equal(2, items.Count(c => c.GetProperty("series").ValueKind == JsonValueKind.String));

        var tooLong = Change("rollout-b3");
        tooLong["series"] = new string('s', 101);
        using var refused = await client.PostAsync("/api/changes", IngestClient.Json(tooLong), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await refused.ReadJsonAsync(Ct)).GetProperty("errors").TryGetProperty("series", out _));
    }

    [Fact]
    public async Task An_invalid_change_is_a_problem_naming_its_fields()
    {
        using var client = factory.CreateApiClient();
        using var response = await client.PostAsync("/api/changes", IngestClient.Json(new JsonObject { ["source"] = "deploys", ["end"] = "2026-01-01T00:00:00Z" }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.ReadJsonAsync(Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("externalId", out _));
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("start", out _));
    }

    [Fact]
    public async Task An_unknown_ticket_is_a_404_problem_with_a_body()
    {
        using var client = factory.CreateApiClient();
        using var response = await client.GetAsync("/api/tickets/987654321", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("987654321", (await response.ReadJsonAsync(Ct)).GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tickets_are_found_by_source_and_external_id_and_paged_by_cursor()
    {
        using var client = factory.CreateApiClient();
        var source = "paging-" + Guid.NewGuid().ToString("N")[..8];
        using var posted = await client.PostBatchAsync([.. Enumerable.Range(1, 5).Select(i => IngestClient.Ticket($"P-{i}", source))], Ct);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        var one = await client.GetFromJsonAsync<JsonElement>($"/api/tickets?source={source}&externalId=P-3", Ct);
        var found = Assert.Single(one.GetProperty("items").EnumerateArray());
        Assert.Equal("P-3", found.GetProperty("externalId").GetString());
        Assert.Equal(JsonValueKind.String, found.GetProperty("receivedAt").ValueKind);

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/tickets?source={source}&limit=2{(cursor is null ? "" : "&cursor=" + cursor)}", Ct);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("externalId").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(["P-1", "P-2", "P-3", "P-4", "P-5"], seen);
    }

    [Theory]
    [InlineData("/api/tickets?status=nonsense", "status")]
    [InlineData("/api/tickets?since=yesterday-ish", "since")]
    [InlineData("/api/tickets?limit=0", "limit")]
    [InlineData("/api/patterns?status=sideways", "status")]
    public async Task A_bad_query_value_is_a_problem_naming_the_parameter(string url, string parameter)
    {
        using var client = factory.CreateApiClient();
        using var response = await client.GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync(Ct)).GetProperty("errors").TryGetProperty(parameter, out _));
    }

    [Fact]
    public async Task An_unknown_pattern_is_a_404_problem()
    {
        using var client = factory.CreateApiClient();
        using var response = await client.GetAsync("/api/patterns/424242", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var tickets = await client.GetAsync("/api/patterns/424242/tickets", Ct);
        Assert.Equal(HttpStatusCode.NotFound, tickets.StatusCode);
    }
}
