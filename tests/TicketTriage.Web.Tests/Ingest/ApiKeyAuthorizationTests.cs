using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.ApiKeys;
using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Ingest;

public sealed class ApiKeyAuthorizationTests(TriageAppFactory app) : IClassFixture<TriageAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ApiKeyService Keys => app.Services.GetRequiredService<ApiKeyService>();

    [Fact]
    public async Task No_key_is_401_with_a_challenge_naming_the_header()
    {
        using var client = app.CreateApiClient(apiKey: null);

        var response = await client.PostTicketAsync(IngestClient.Ticket("auth-none"), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("X-Api-Key", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("tt_testkey01_wrongsecretwrongsecretwrongsecr")]
    [InlineData("tt_unknown99_0123456789abcdefghijklmnopqrstuv")]
    public async Task A_malformed_unknown_or_wrong_key_is_401(string key)
    {
        using var client = app.CreateApiClient(key);

        var post = await client.PostTicketAsync(IngestClient.Ticket("auth-bad"), Ct);
        var get = await client.GetAsync("/api/tickets/1", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
    }

    [Fact]
    public async Task A_revoked_key_is_401_at_once_and_stores_nothing()
    {
        var key = await Keys.CreateAsync("soon revoked", ApiKeyScopes.Ingest, cancellationToken: Ct);
        using var client = app.CreateApiClient(key.Plaintext);
        Assert.Equal(HttpStatusCode.Created, (await client.PostTicketAsync(IngestClient.Ticket("auth-before-revoke"), Ct)).StatusCode);

        Assert.True(await Keys.RevokeAsync(key.Id, cancellationToken: Ct));
        var after = await client.PostTicketAsync(IngestClient.Ticket("auth-after-revoke"), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        await using var db = app.CreateDbContext();
        Assert.DoesNotContain(db.Tickets, t => t.ExternalId == "auth-after-revoke");
        Assert.Contains(db.AuditEntries, a => a.Action == "apikey.revoked" && a.Target == $"apikey:{key.Id}");
    }

    [Fact]
    public async Task An_ingest_only_key_may_post_but_not_read()
    {
        var key = await Keys.CreateAsync("ingest only", ApiKeyScopes.Ingest, cancellationToken: Ct);
        using var client = app.CreateApiClient(key.Plaintext);

        var post = await client.PostTicketAsync(IngestClient.Ticket("auth-ingest-only"), Ct);
        var id = (await post.ReadJsonAsync(Ct)).GetProperty("id").GetInt64();
        var get = await client.GetAsync($"/api/tickets/{id}", Ct);

        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
        Assert.Equal("application/problem+json", get.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_read_only_key_may_read_but_not_post_single_or_batch()
    {
        var key = await Keys.CreateAsync("read only", ApiKeyScopes.Read, cancellationToken: Ct);
        using var reader = app.CreateApiClient(key.Plaintext);
        using var writer = app.CreateApiClient();
        var id = (await (await writer.PostTicketAsync(IngestClient.Ticket("auth-read-only"), Ct)).ReadJsonAsync(Ct)).GetProperty("id").GetInt64();

        var post = await reader.PostTicketAsync(IngestClient.Ticket("auth-read-only-post"), Ct);
        var batch = await reader.PostBatchAsync([IngestClient.Ticket("auth-read-only-batch")], Ct);
        var get = await reader.GetAsync($"/api/tickets/{id}", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, batch.StatusCode);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }

    [Fact]
    public async Task Keys_are_stored_hashed_and_listed_without_their_secret()
    {
        var key = await Keys.CreateAsync("listed", ApiKeyScopes.Ingest | ApiKeyScopes.Read, cancellationToken: Ct);
        var (prefix, secret) = ApiKeyService.TryParse(key.Plaintext)!.Value;

        var listed = await Keys.ListAsync(Ct);

        Assert.Contains(listed, k => k.Id == key.Id && k.Prefix == prefix && k.Scopes == (ApiKeyScopes.Ingest | ApiKeyScopes.Read));
        await using var db = app.CreateDbContext();
        var stored = db.ApiKeys.Single(k => k.Id == key.Id);
        Assert.DoesNotContain(secret, stored.SecretHash);
        Assert.Equal(64, stored.SecretHash.Length);
    }
}
