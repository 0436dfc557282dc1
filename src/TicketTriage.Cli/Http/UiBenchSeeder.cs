using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace TicketTriage.Cli.Http;

/// <summary>
/// Fills an app's SQLite file (schema already created by the app's migrations) with many triaged tickets and patterns
/// for <c>triage bench ui</c>: raw prepared INSERTs, 10,000 rows a transaction, so a million tickets take well under
/// a minute instead of hours through the API. The rows look like triaged ones (status, priority, category, pattern,
/// needs-review) with realistic spreads, so the pages' queries meet the selectivity they meet in production.
/// Appends to whatever is there: ids of new patterns start after the highest one, external ids carry a run id.
/// </summary>
internal static class UiBenchSeeder
{
    private const int Batch = 10_000;
    private const string DateFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFF";

    private static readonly string[] Categories =
        ["billing", "dns", "email", "ssl", "wordpress", "php", "database", "backup", "migration", "performance", "security", "account"];

    private static readonly string[] Subjects =
    [
        "Site down after upgrade", "Mail bounces with 550", "Certificate expired", "Slow admin dashboard", "Invoice charged twice",
        "DNS not resolving", "Backup restore failed", "PHP fatal error after update", "Cannot log in to panel", "Database connection refused",
    ];

    /// <summary>What was written and how long it took.</summary>
    public sealed record Seeded(int Tickets, int Patterns, int Customers, double Seconds);

    public static Seeded Seed(string databasePath, int tickets, int patterns, DateTime now, int seed = 42)
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(seed);
        var run = Guid.NewGuid().ToString("N")[..8];
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=false");
        connection.Open();
        Execute(connection, "PRAGMA synchronous=OFF");

        var customers = Math.Clamp(tickets / 200, 1, 5_000);
        var firstCustomer = InsertCustomers(connection, customers, run, now);
        var firstPattern = InsertPatterns(connection, patterns, random, now);
        InsertTickets(connection, tickets, patterns, firstPattern, customers, firstCustomer, run, random, now);
        Execute(connection, "ANALYZE");
        return new Seeded(tickets, patterns, customers, Math.Round(clock.Elapsed.TotalSeconds, 1));
    }

    private static long InsertCustomers(SqliteConnection connection, int count, string run, DateTime now)
    {
        var first = Scalar(connection, "SELECT COALESCE(MAX(Id), 0) + 1 FROM Customers");
        using var transaction = connection.BeginTransaction();
        using var insert = Prepare(connection, transaction,
            "INSERT INTO Customers (Id, Email, Name, Plan, Tier, Server, Datacenter, CreatedAt, UpdatedAt) VALUES ($id, $email, $name, $plan, $tier, $server, $dc, $at, $at)",
            "$id", "$email", "$name", "$plan", "$tier", "$server", "$dc", "$at");
        for (var i = 0; i < count; i++)
        {
            Run(insert, first + i, $"bench-{run}-{i}@example.com", $"Customer {i}", (i % 3) switch { 0 => "starter", 1 => "pro", _ => "business" },
                i % 10 == 0 ? "priority" : "standard", i % 2 == 0 ? $"web-{101 + (i % 40)}" : $"node-{201 + (i % 15)}",
                (i % 3) switch { 0 => "ams1", 1 => "dal1", _ => "sgp1" }, now.ToString(DateFormat, CultureInfo.InvariantCulture));
        }

        transaction.Commit();
        return first;
    }

    private static long InsertPatterns(SqliteConnection connection, int count, Random random, DateTime now)
    {
        var first = Scalar(connection, "SELECT COALESCE(MAX(Id), 0) + 1 FROM Patterns");
        var nowHour = (long)(now - DateTime.UnixEpoch).TotalHours;
        using var transaction = connection.BeginTransaction();
        using var insert = Prepare(connection, transaction,
            "INSERT INTO Patterns (Id, Title, Status, Size, FirstSeen, LastSeen, EmergingSince, EmergenceEvidence, TopTermsJson, ConcentrationsJson, " +
            "LikelyChangeJson, MergedIntoId, UpdatedAt, ArrivalsJson) VALUES ($id, $title, $status, $size, $first, $last, $emerging, $evidence, $terms, " +
            "$conc, NULL, $merged, $last, $arrivals)",
            "$id", "$title", "$status", "$size", "$first", "$last", "$emerging", "$evidence", "$terms", "$conc", "$merged", "$arrivals");
        for (var i = 0; i < count; i++)
        {
            // 2% emerging, 5% confirmed, 40% new, the rest resolved or dismissed; 1% merged into an earlier pattern.
            var roll = random.Next(100);
            var status = roll < 2 ? "Emerging" : roll < 7 ? "Confirmed" : roll < 47 ? "New" : roll < 77 ? "Resolved" : "Dismissed";
            var lastSeen = now.AddMinutes(-random.Next(60 * 24 * 30));
            var arrivals = string.Join(",", Enumerable.Range(0, 24).Select(h => $"[{nowHour - h},{random.Next(0, 12)}]"));
            var server = $"node-{201 + random.Next(15)}";
            Run(insert, first + i, $"{Subjects[i % Subjects.Length]} ({server})", status, random.Next(3, 400),
                lastSeen.AddDays(-random.Next(1, 10)).ToString(DateFormat, CultureInfo.InvariantCulture), lastSeen.ToString(DateFormat, CultureInfo.InvariantCulture),
                status == "Emerging" ? lastSeen.AddMinutes(-30).ToString(DateFormat, CultureInfo.InvariantCulture) : null,
                status == "Emerging" ? "12 tickets in 30 min vs 0.4 expected" : null,
                $"[\"{Categories[i % Categories.Length]}\",\"{server}\",\"upgrade\",\"error\"]",
                $"[{{\"attribute\":\"server\",\"value\":\"{server}\",\"share\":0.91,\"baselineShare\":0.07,\"lift\":13,\"pValue\":0.0001}}]",
                i > 0 && i % 100 == 0 ? first + i - 1 : null, $"[{arrivals}]");
        }

        transaction.Commit();
        return first;
    }

    private static void InsertTickets(SqliteConnection connection, int count, int patterns, long firstPattern, int customers, long firstCustomer,
        string run, Random random, DateTime now)
    {
        const string Body = "Since the upgrade this morning every page answers with an error; we changed nothing on our side. " +
            "Customers are calling. Please look into it as soon as you can, logs attached below.";
        string[] statuses = ["New", "New", "New", "Open", "Open", "Open", "Pending", "Solved", "Solved", "Closed"];
        for (var start = 0; start < count; start += Batch)
        {
            using var transaction = connection.BeginTransaction();
            using var insert = Prepare(connection, transaction,
                "INSERT INTO Tickets (Source, ExternalId, Channel, Subject, Body, Status, CreatedAt, UpdatedAt, ReceivedAt, CustomerId, Category, " +
                "CategoryConfidence, PatternId, PatternSimilarity, PriorityScore, PriorityReasons, TriagedAt, NeedsReview) VALUES ('bench-ui', $ext, $channel, " +
                "$subject, $body, $status, $at, $at, $at, $customer, $category, $confidence, $pattern, $similarity, $score, $reasons, $at, $review)",
                "$ext", "$channel", "$subject", "$body", "$status", "$at", "$customer", "$category", "$confidence", "$pattern", "$similarity", "$score",
                "$reasons", "$review");
            for (var i = start; i < Math.Min(count, start + Batch); i++)
            {
                // Spread over 30 days; 90% scored; 40% in a pattern; 5% need review.
                var at = now.AddSeconds(-random.Next(60 * 60 * 24 * 30)).ToString(DateFormat, CultureInfo.InvariantCulture);
                var inPattern = patterns > 0 && random.Next(10) < 4;
                var review = random.Next(20) == 0;
                Run(insert, $"{run}-{i}", i % 4 == 0 ? "email" : "api", Subjects[i % Subjects.Length], Body, statuses[random.Next(statuses.Length)], at,
                    firstCustomer + random.Next(customers), Categories[random.Next(Categories.Length)], review ? 0.3 : 0.6 + (random.NextDouble() * 0.4),
                    inPattern ? firstPattern + random.Next(patterns) : null, inPattern ? 0.7 + (random.NextDouble() * 0.3) : null,
                    random.Next(10) == 0 ? null : Math.Round(random.NextDouble(), 4), "[\"plan: business\",\"in an emerging pattern\"]", review ? 1 : 0);
            }

            transaction.Commit();
        }
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static void Run(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
