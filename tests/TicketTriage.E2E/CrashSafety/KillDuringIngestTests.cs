using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using TicketTriage.E2E.Infrastructure;

namespace TicketTriage.E2E.CrashSafety;

/// <summary>
/// The promise of the ingest API: a 2xx means the ticket is stored. Here the app runs as its own process on a SQLite
/// file, clients post singles and batches concurrently, the process gets SIGKILL mid-stream (no shutdown code runs),
/// and a restarted app on the same file must hold every acknowledged ticket, exactly once, under its acknowledged id.
/// </summary>
public sealed class KillDuringIngestTests
{
    private const int Writers = 12;

    [Fact]
    public async Task Every_acknowledged_ticket_survives_a_SIGKILL_exactly_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = Directory.CreateTempSubdirectory("tt-crash-");
        try
        {
            var settings = AppProcess.DefaultSettings(data.FullName);
            var acknowledged = new ConcurrentDictionary<string, long>();
            var failuresBeforeKill = 0;

            await using (var app = await AppProcess.StartAsync("crash-before", settings, cancellationToken: ct))
            {
                using var client = app.CreateClient(AppProcess.ApiKey);
                using var stop = new CancellationTokenSource();
                var killed = 0;
                var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
                {
                    for (var i = 0; !stop.IsCancellationRequested; i++)
                    {
                        try
                        {
                            if (w % 3 == 0)
                            {
                                await PostBatchAsync(client, w, i, acknowledged, stop.Token);
                            }
                            else
                            {
                                await PostOneAsync(client, $"w{w}-{i}", acknowledged, stop.Token);
                            }
                        }
                        catch (Exception) when (Volatile.Read(ref killed) == 1 || stop.IsCancellationRequested)
                        {
                            return; // The connection died with the process: this ticket was never acknowledged.
                        }
                        catch (HttpRequestException)
                        {
                            Interlocked.Increment(ref failuresBeforeKill);
                        }
                    }
                }, ct)).ToList();

                // Let a real stream build up, then kill in the middle of it.
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (acknowledged.Count < 3000 && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(20, ct);
                }

                Volatile.Write(ref killed, 1);
                app.Kill();
                await stop.CancelAsync();
                await Task.WhenAll(writers);
            }

            Assert.Equal(0, failuresBeforeKill);
            Assert.True(acknowledged.Count >= 1000, $"Only {acknowledged.Count} tickets were acknowledged before the kill.");

            await using var restarted = await AppProcess.StartAsync("crash-after", settings, cancellationToken: ct);
            var stored = await ReadStoredAsync(Path.Combine(data.FullName, "triage.db"), ct);

            var missing = acknowledged.Where(a => !stored.ContainsKey(a.Key)).Select(a => a.Key).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged tickets are missing, e.g. {string.Join(", ", missing.Take(5))}.");
            Assert.All(acknowledged, a => Assert.Equal(a.Value, stored[a.Key].Id));
            Assert.All(stored, s => Assert.Equal(1, s.Value.Count));

            // And the restarted app still knows them: a client retry is a duplicate with the same id.
            using var again = restarted.CreateClient(AppProcess.ApiKey);
            foreach (var (externalId, id) in acknowledged.Take(20))
            {
                var response = await again.PostAsync("/api/tickets", Json(Ticket(externalId)), ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(id, (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetInt64());
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            data.Delete(recursive: true);
        }
    }

    private static async Task PostOneAsync(HttpClient client, string externalId, ConcurrentDictionary<string, long> acknowledged, CancellationToken ct)
    {
        using var response = await client.PostAsync("/api/tickets", Json(Ticket(externalId)), ct);
        if (response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            acknowledged[externalId] = body.GetProperty("id").GetInt64();
        }
    }

    private static async Task PostBatchAsync(HttpClient client, int writer, int round, ConcurrentDictionary<string, long> acknowledged, CancellationToken ct)
    {
        var ids = Enumerable.Range(0, 25).Select(j => $"w{writer}-{round}-{j}").ToList();
        var batch = new { tickets = ids.Select(Ticket).ToList() };
        using var response = await client.PostAsJsonAsync("/api/tickets/batch", batch, ct);
        if (response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            foreach (var result in body.GetProperty("results").EnumerateArray())
            {
                acknowledged[ids[result.GetProperty("index").GetInt32()]] = result.GetProperty("id").GetInt64();
            }
        }
    }

    private static object Ticket(string externalId) => new
    {
        source = "crash-test",
        externalId,
        subject = $"Cannot reach my site ({externalId})",
        body = "Since the upgrade my site answers 502 Bad Gateway.",
        channel = "email",
        customer = new { email = $"{externalId.Split('-')[0]}@example.com", server = "web-101", datacenter = "ams1" },
    };

    private static StringContent Json(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    private static async Task<Dictionary<string, (long Id, int Count)>> ReadStoredAsync(string path, CancellationToken ct)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=false");
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "ExternalId", MIN("Id"), COUNT(*) FROM "Tickets" WHERE "Source" = 'crash-test' GROUP BY "ExternalId" """;
        await using var reader = await command.ExecuteReaderAsync(ct);
        var stored = new Dictionary<string, (long, int)>();
        while (await reader.ReadAsync(ct))
        {
            stored[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt32(2));
        }

        return stored;
    }
}
