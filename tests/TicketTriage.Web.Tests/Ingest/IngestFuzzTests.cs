using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using TicketTriage.Web.Tests.Infrastructure;
using TicketTriage.Web.Tests.Pages;

namespace TicketTriage.Web.Tests.Ingest;

/// <summary>
/// Seeded fuzzing of the ingest API: thousands of generated bodies (<see cref="IngestFuzzCorpus"/>) against the whole
/// app. Never a 5xx; every answer a documented status; no error names an internal .NET type; and every ticket that
/// was created reads back through the API and renders as its page — the bar a ticket accepted must meet.
/// </summary>
public sealed partial class IngestFuzzTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>What an error must never show: .NET namespaces, generic arity, serializer and model type names.</summary>
    [GeneratedRegex(@"\b(System|Microsoft)\.[A-Z]|`\d|\bNullable\b|\bJsonElement\b|\bDateTimeOffset\b|\bInt(16|32|64)\b|\bTicketSubmission\b|\bCustomerSubmission\b|\bBatchSubmission\b|\bStackTrace\b|\bat TicketTriage\.")]
    public static partial Regex InternalTypeName { get; }

    private const int Seed = 20261202;
    private const int Singles = 3000;
    private const int Batches = 800;

    [Fact]
    public async Task Thousands_of_generated_bodies_never_get_a_5xx_and_every_created_ticket_reads_back()
    {
        await using var app = new TriageAppFactory();
        var corpus = new IngestFuzzCorpus(Seed, "fz");
        var cases = new List<FuzzCase>();
        for (var i = 0; i < Singles; i++)
        {
            cases.Add(corpus.Single());
        }

        for (var i = 0; i < Batches; i++)
        {
            cases.Add(corpus.Batch());
        }

        cases.AddRange(corpus.SizeLimits(1024 * 1024, 16 * 1024 * 1024));

        var failures = new ConcurrentQueue<string>();
        var created = new ConcurrentBag<long>();
        var statuses = new ConcurrentDictionary<int, int>();
        using var client = app.CreateApiClient();
        await Parallel.ForEachAsync(Enumerable.Range(0, cases.Count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = Ct }, async (i, ct) =>
        {
            var c = cases[i];
            var content = new ByteArrayContent(c.Body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync(c.Path, content, ct);
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            var text = await response.Content.ReadAsStringAsync(ct);
            var where = $"#{i} {c.Kind} → {status}: {Shorten(text)}\n  body: {Shorten(Convert.ToBase64String(c.Body))}";
            if (status >= 500 || status is not (200 or 201 or 400 or 413))
            {
                failures.Enqueue("status " + where);
            }
            else if (c.Expected is { } expected && !expected.Contains(status))
            {
                failures.Enqueue($"expected {string.Join('/', expected)}: " + where);
            }

            if (InternalTypeName.IsMatch(text))
            {
                failures.Enqueue("internal type name: " + where);
            }

            if (status == 201)
            {
                created.Add(JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt64());
            }
            else if (status == 200 && c.Path.EndsWith("/batch", StringComparison.Ordinal))
            {
                foreach (var result in JsonDocument.Parse(text).RootElement.GetProperty("results").EnumerateArray())
                {
                    if (result.GetProperty("status").GetInt32() == 201)
                    {
                        created.Add(result.GetProperty("id").GetInt64());
                    }
                }
            }
        });

        Assert.True(failures.IsEmpty, $"{failures.Count} of {cases.Count} bodies failed:\n" + string.Join('\n', failures.Take(25)));
        Assert.True(created.Count > cases.Count / 5, $"only {created.Count} tickets created: the corpus is too broken to exercise reads");
        Assert.True(statuses.GetValueOrDefault(400) > cases.Count / 5, "too few refusals: the corpus is too tame");

        using var ui = await UiClient.SignedInAsync(app, TriageAppFactory.AdminEmail, TriageAppFactory.AdminPassword);
        var unreadable = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(created.Distinct(), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = Ct }, async (id, ct) =>
        {
            using var api = await client.GetAsync($"/api/tickets/{id}", ct);
            var json = await api.Content.ReadAsStringAsync(ct);
            if (api.StatusCode != HttpStatusCode.OK || JsonDocument.Parse(json).RootElement.GetProperty("id").GetInt64() != id)
            {
                unreadable.Enqueue($"api {id}: {(int)api.StatusCode} {Shorten(json)}");
            }

            using var page = await ui.Http.GetAsync($"/tickets/{id}", ct);
            if (page.StatusCode != HttpStatusCode.OK)
            {
                unreadable.Enqueue($"page {id}: {(int)page.StatusCode}");
            }
        });

        Assert.True(unreadable.IsEmpty, $"{unreadable.Count} of {created.Count} created tickets do not read back:\n" + string.Join('\n', unreadable.Take(25)));
    }

    private static string Shorten(string text) => text.Length > 400 ? text[..400] + "…" : text;
}
