using System.Data;
using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using TicketTriage.Web.Data;

namespace TicketTriage.Web.Features.Triage;

/// <summary>One ticket's triage fields, as a batch writes them.</summary>
internal sealed record TriageFields(long Id, string? Category, double? CategoryConfidence, bool? NeedsReview, long PatternId,
    double PatternSimilarity, double PriorityScore, string PriorityReasons);

/// <summary>
/// Writes a batch's triage fields with one prepared, parameterized UPDATE per ticket on the context's connection, in
/// its transaction: EF's change tracking cost more than the engine per ticket (snapshot, diff, one generated statement
/// per row). The statement reads the same in SQLite, PostgreSQL and SQL Server (double-quoted names).
/// </summary>
internal static class TriageTicketWriter
{
    public const string UpdateSql = """
        UPDATE "Tickets" SET "Category" = @category, "CategoryConfidence" = @confidence, "NeedsReview" = @needsReview,
            "PatternId" = @patternId, "PatternSimilarity" = @similarity, "PriorityScore" = @priority,
            "PriorityReasons" = @reasons, "TriagedAt" = @triagedAt
        WHERE "Id" = @id
        """;

    public static async Task WriteAsync(TriageDbContext db, IReadOnlyList<TriageFields> rows, DateTime triagedAt, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        // The caller's transaction (one per batch) holds the connection open.
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Triage fields are written inside the batch's transaction.");
        var connection = transaction.Connection!;
        await using var command = connection.CreateCommand();
        command.CommandText = UpdateSql;
        command.Transaction = transaction;
        var sqlServer = connection is SqlConnection;
        var category = Add(command, "category", DbType.String, sqlServer ? 4000 : null);
        var confidence = Add(command, "confidence", DbType.Double);
        var needsReview = Add(command, "needsReview", DbType.Boolean);
        var patternId = Add(command, "patternId", DbType.Int64);
        var similarity = Add(command, "similarity", DbType.Double);
        var priority = Add(command, "priority", DbType.Double);
        var reasons = Add(command, "reasons", DbType.String, sqlServer ? -1 : null);
        // Untyped elsewhere, so Npgsql maps a UTC DateTime to timestamptz and SQLite writes EF's text format;
        // SqlClient would send the old datetime (3 ms steps).
        var stamp = Add(command, "triagedAt", sqlServer ? DbType.DateTime2 : null);
        var id = Add(command, "id", DbType.Int64);
        stamp.Value = triagedAt;
        await command.PrepareAsync(cancellationToken);
        foreach (var row in rows)
        {
            category.Value = (object?)row.Category ?? DBNull.Value;
            confidence.Value = (object?)row.CategoryConfidence ?? DBNull.Value;
            needsReview.Value = (object?)row.NeedsReview ?? DBNull.Value;
            patternId.Value = row.PatternId;
            similarity.Value = row.PatternSimilarity;
            priority.Value = row.PriorityScore;
            reasons.Value = row.PriorityReasons;
            id.Value = row.Id;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static DbParameter Add(DbCommand command, string name, DbType? type, int? size = null)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        if (type is { } t)
        {
            parameter.DbType = t;
        }

        if (size is { } s)
        {
            parameter.Size = s;
        }

        // Prepare needs every parameter's type: a first value, never a null that pins none.
        parameter.Value = type is null ? DateTime.UnixEpoch : DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
