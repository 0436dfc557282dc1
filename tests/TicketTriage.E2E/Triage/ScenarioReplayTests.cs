extern alias cli;

using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using TicketTriage.E2E.Infrastructure;
using TicketTriage.ML.Scenarios;
using ScenarioReplayer = cli::TicketTriage.Cli.Http.ScenarioReplayer;

namespace TicketTriage.E2E.Triage;

/// <summary>
/// Triage end to end: the app as its own process, a shipped scenario replayed into it through the API with the code
/// of <c>triage replay --max</c>, then the patterns API must show each planted incident as a pattern of ≥ 90% its
/// tickets, emerging, with the expected concentration and change, and every ticket triaged. Again with a SIGKILL of
/// the app in the middle of the replay and a restart on the same database (state restored, nothing left untriaged).
/// On SQLite, and on PostgreSQL when <c>TICKETTRIAGE_TEST_POSTGRES</c> is set.
/// </summary>
public sealed class ScenarioReplayTests
{
    /// <summary>The smallest shipped scenario (about 850 tickets, two incidents, two changes).</summary>
    private const string ScenarioFile = "smilingpeanut-os-upgrade.json";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite", false)]
    [InlineData("sqlite", true)]
    [InlineData("postgres", false)]
    [InlineData("postgres", true)]
    public async Task Planted_incidents_become_emerging_patterns_with_their_signals(string provider, bool killMidway)
    {
        var postgres = Environment.GetEnvironmentVariable("TICKETTRIAGE_TEST_POSTGRES");
        Assert.SkipWhen(provider == "postgres" && string.IsNullOrEmpty(postgres), "TICKETTRIAGE_TEST_POSTGRES is not set.");
        var data = Directory.CreateTempSubdirectory("tt-replay-");
        var settings = AppProcess.DefaultSettings(data.FullName);
        string? database = null;
        try
        {
            if (provider == "postgres")
            {
                database = "tt_e2e_" + Guid.NewGuid().ToString("N")[..12];
                await ExecuteAsync(postgres!, $"CREATE DATABASE {database}");
                settings["Database:Provider"] = "Postgres";
                settings["ConnectionStrings:Triage"] = new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;
            }

            var path = Path.Combine(AppProcess.RepositoryRoot(), "data", "scenarios", ScenarioFile);
            var scenario = ScenarioJson.Parse(await File.ReadAllTextAsync(path, Ct));
            var feed = ScenarioReplayer.Feed(path);
            var tickets = feed.OfType<FeedTicket>().ToList();
            var name = $"replay-{provider}{(killMidway ? "-kill" : "")}";

            if (killMidway)
            {
                // Saves every second, so the kill lands between saves with batches committed after the last one:
                // the restart must re-feed exactly those. Half the feed first, then the kill while the rest streams in.
                settings["Triage:SaveInterval"] = "00:00:01";
                await using var first = await AppProcess.StartAsync(name + "-before", settings, cancellationToken: Ct);
                using var client = first.CreateClient(AppProcess.ApiKey);
                var half = feed.Count / 2;
                await new ScenarioReplayer(client).RunAsync([.. feed.Take(half)], null, null, Ct);
                await first.WaitForOutputAsync(AppProcess.TriageReady, AppProcess.StartUp, Ct);
                await WaitTriagedAtLeastAsync(client, feed.Take(half).OfType<FeedTicket>().Count() / 2);
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
                var rest = new ScenarioReplayer(client).RunAsync([.. feed.Skip(half)], null, _ =>
                {
                    first.Kill();
                    stop.Cancel();
                }, stop.Token);
                await Assert.ThrowsAnyAsync<Exception>(() => rest);
            }

            await using var app = await AppProcess.StartAsync(name, settings, cancellationToken: Ct);
            using var api = app.CreateClient(AppProcess.ApiKey);
            var result = await new ScenarioReplayer(api).RunAsync(feed, null, null, Ct);
            Assert.Equal(tickets.Count, result.Created + result.Duplicates);

            // The waits below time triage, not the engine's start (its featurizer fit, minutes beside the other E2E apps).
            await app.WaitForOutputAsync(AppProcess.TriageReady, AppProcess.StartUp, Ct);
            var triaged = await WaitAllTriagedAsync(api, tickets.Count);
            Assert.Equal(tickets.Count, triaged);

            var incidentOf = tickets.ToDictionary(t => t.ExternalId, t => t.Incident);
            var patterns = await api.GetFromJsonAsync<JsonElement>("/api/patterns", Ct);
            var members = new Dictionary<long, List<string>>();
            foreach (var p in patterns.EnumerateArray())
            {
                members[p.GetProperty("id").GetInt64()] = await PatternTicketsAsync(api, p.GetProperty("id").GetInt64());
            }

            var report = new List<string>();
            foreach (var incident in scenario.Incidents)
            {
                var (id, own) = members.Select(m => (m.Key, Own: m.Value.Count(e => incidentOf.GetValueOrDefault(e) == incident.Name)))
                    .MaxBy(x => x.Own);
                var pattern = patterns.EnumerateArray().Single(p => p.GetProperty("id").GetInt64() == id);
                var purity = (double)own / members[id].Count;
                var status = pattern.GetProperty("status").GetString();
                var concentrations = pattern.GetProperty("concentrations").EnumerateArray()
                    .Select(c => (c.GetProperty("attribute").GetString(), c.GetProperty("value").GetString())).ToList();
                var change = pattern.GetProperty("likelyChange") is { ValueKind: JsonValueKind.Object } link ? link.GetProperty("externalId").GetString() : null;
                var fragments = members.Select(m => (m.Key, Own: m.Value.Count(e => incidentOf.GetValueOrDefault(e) == incident.Name), m.Value.Count))
                    .Where(f => f.Own > 0 && f.Key != id).OrderByDescending(f => f.Own).Select(f => $"#{f.Key} {f.Own}/{f.Count}");
                report.Add($"{incident.Name}: pattern {id} '{pattern.GetProperty("title").GetString()}' {own}/{members[id].Count} (purity {purity:0.00}), " +
                           $"{status}, concentrations [{string.Join(", ", concentrations.Select(c => $"{c.Item1}={c.Item2}"))}], change {change ?? "none"}, " +
                           $"first seen {pattern.GetProperty("firstSeen")}, other fragments [{string.Join(", ", fragments)}]");
                var ok = purity >= 0.9 && status == "emerging"
                    && incident.Expect.Concentrations.All(e => concentrations.Contains((e.Attribute, e.Value)))
                    && change == incident.Expect.Change;
                if (!ok)
                {
                    report[^1] = "FAILED " + report[^1];
                }
            }

            TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", report));
            Assert.True(report.All(r => !r.StartsWith("FAILED", StringComparison.Ordinal)), string.Join("\n", report) + "\nlog: " + app.LogPath);
        }
        finally
        {
            if (database is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await ExecuteAsync(postgres!, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            }

            data.Delete(recursive: true);
        }
    }

    private static async Task<int> WaitAllTriagedAsync(HttpClient api, int expected)
    {
        for (var attempt = 0; ; attempt++)
        {
            var triaged = 0;
            var total = 0;
            string? cursor = null;
            do
            {
                var page = await api.GetFromJsonAsync<JsonElement>($"/api/tickets?source={ScenarioReplayer.DefaultSource}&limit=1000{(cursor is null ? "" : "&cursor=" + cursor)}", Ct);
                foreach (var t in page.GetProperty("items").EnumerateArray())
                {
                    total++;
                    triaged += t.GetProperty("triagedAt").ValueKind == JsonValueKind.Null ? 0 : 1;
                }

                cursor = page.GetProperty("nextCursor").GetString();
            }
            while (cursor is not null);

            if ((total == expected && triaged == total) || attempt >= 300)
            {
                Assert.Equal(expected, total);
                return triaged;
            }

            await Task.Delay(200, Ct);
        }
    }

    private static async Task WaitTriagedAtLeastAsync(HttpClient api, int count)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var page = await api.GetFromJsonAsync<JsonElement>($"/api/tickets?source={ScenarioReplayer.DefaultSource}&limit=1000", Ct);
            if (page.GetProperty("items").EnumerateArray().Count(t => t.GetProperty("triagedAt").ValueKind != JsonValueKind.Null) >= count)
            {
                return;
            }

            await Task.Delay(100, Ct);
        }
    }

    private static async Task<List<string>> PatternTicketsAsync(HttpClient api, long id)
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = await api.GetFromJsonAsync<JsonElement>($"/api/patterns/{id}/tickets?limit=1000{(cursor is null ? "" : "&cursor=" + cursor)}", Ct);
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("externalId").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        return ids;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
