using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace TicketTriage.Cli.Http;

internal sealed record SqliteReference(string Directory, int Rows, double RowsPerSecondOneTransaction, double OneRowCommitsPerSecond);

/// <summary>
/// The database's ceiling on this disk, measured beside the app's figures: a table shaped like the app's Tickets
/// (same columns and indexes, ~600-byte rows), WAL and synchronous=NORMAL like the app; (1) rows/s inserted by one
/// prepared statement in one transaction, (2) one-row transactions committed per second. A temporary file in
/// <c>directory</c>, deleted afterwards.
/// </summary>
internal static class SqliteInsertReference
{
    private const string Schema = """
        PRAGMA journal_mode=WAL;
        CREATE TABLE "Tickets" (
            "Id" INTEGER NOT NULL CONSTRAINT "PK_Tickets" PRIMARY KEY AUTOINCREMENT,
            "Source" TEXT NOT NULL, "ExternalId" TEXT NOT NULL, "Channel" TEXT NOT NULL, "Subject" TEXT NOT NULL,
            "Body" TEXT NOT NULL, "Status" TEXT NOT NULL, "CreatedAt" TEXT NOT NULL, "UpdatedAt" TEXT NOT NULL,
            "AttributesJson" TEXT NULL, "CustomerId" INTEGER NULL, "AssigneeId" INTEGER NULL, "Category" TEXT NULL,
            "CategoryConfidence" REAL NULL, "PatternId" INTEGER NULL, "PatternSimilarity" REAL NULL,
            "PriorityScore" REAL NULL, "PriorityReasons" TEXT NULL, "TriagedAt" TEXT NULL);
        CREATE UNIQUE INDEX "IX_Tickets_Source_ExternalId" ON "Tickets" ("Source", "ExternalId");
        CREATE INDEX "IX_Tickets_CreatedAt_Id" ON "Tickets" ("CreatedAt", "Id");
        CREATE INDEX "IX_Tickets_Status_CreatedAt_Id" ON "Tickets" ("Status", "CreatedAt", "Id");
        CREATE INDEX "IX_Tickets_PatternId" ON "Tickets" ("PatternId") WHERE "PatternId" IS NOT NULL;
        CREATE INDEX "IX_Tickets_CustomerId" ON "Tickets" ("CustomerId");
        CREATE INDEX "IX_Tickets_AssigneeId" ON "Tickets" ("AssigneeId") WHERE "AssigneeId" IS NOT NULL;
        """;

    private const string Insert = """
        INSERT INTO "Tickets" ("Source", "ExternalId", "Channel", "Subject", "Body", "Status", "CreatedAt", "UpdatedAt", "AttributesJson", "CustomerId")
        VALUES (@source, @externalId, 'email', @subject, @body, 'New', @now, @now, '{"product":"hosting","php":"8.3"}', @customerId)
        """;

    public static SqliteReference Measure(string directory, int rows, TimeSpan commitWindow)
    {
        System.IO.Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"tt-sqlite-reference-{Guid.NewGuid():N}.db");
        try
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
            connection.Open();
            Execute(connection, Schema);
            Execute(connection, "PRAGMA synchronous=NORMAL;");

            using var command = connection.CreateCommand();
            command.CommandText = Insert;
            var source = command.Parameters.Add("@source", SqliteType.Text);
            var externalId = command.Parameters.Add("@externalId", SqliteType.Text);
            var subject = command.Parameters.Add("@subject", SqliteType.Text);
            var body = command.Parameters.Add("@body", SqliteType.Text);
            var now = command.Parameters.Add("@now", SqliteType.Text);
            var customerId = command.Parameters.Add("@customerId", SqliteType.Integer);
            source.Value = "bench";
            body.Value = "Hello, since this morning my site on web-117 returns errors for most visitors. I did not change anything on my side. Could you please have a look at the server logs and tell me what happened? Thanks, customer 1234";

            void Bind(long i)
            {
                externalId.Value = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                subject.Value = "Website shows 500 Internal Server Error since the upgrade (#" + i + ")";
                now.Value = DateTime.UtcNow;
                customerId.Value = i % 5000;
            }

            var started = Stopwatch.GetTimestamp();
            using (var transaction = connection.BeginTransaction())
            {
                command.Transaction = transaction;
                command.Prepare();
                for (var i = 0; i < rows; i++)
                {
                    Bind(i);
                    command.ExecuteNonQuery();
                }

                transaction.Commit();
            }

            var bulkSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

            var commits = 0L;
            started = Stopwatch.GetTimestamp();
            for (var i = rows; Stopwatch.GetElapsedTime(started) < commitWindow; i++)
            {
                using var transaction = connection.BeginTransaction();
                command.Transaction = transaction;
                Bind(i);
                command.ExecuteNonQuery();
                transaction.Commit();
                commits++;
            }

            var commitSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            return new SqliteReference(directory, rows, rows / bulkSeconds, commits / commitSeconds);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
