namespace TicketTriage.Web.Features.Ingest;

/// <summary>The <c>Ingest</c> configuration section.</summary>
public sealed class IngestOptions
{
    /// <summary>Tickets accepted but not yet committed, at most; beyond it requests get 503 + Retry-After.</summary>
    public int QueueCapacity { get; set; } = 20_000;

    /// <summary>Tickets written in one transaction, at most (one request's batch is never split).</summary>
    public int MaxBatchPerCommit { get; set; } = 2_000;

    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Body limit of <c>POST /api/tickets</c>.</summary>
    public long MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>Body limit of <c>POST /api/tickets/batch</c> (1,000 tickets of a few KB each).</summary>
    public long MaxBatchRequestBytes { get; set; } = 16 * 1024 * 1024;

    public int MaxBatchItems { get; set; } = 1_000;

    /// <summary>
    /// Request body bytes all ingest requests may hold at once (reserved before reading, kept until answered);
    /// beyond it 503 + Retry-After before the body is read. Bounds ingest memory under overload (docs/benchmarks.md).
    /// </summary>
    public long MaxBufferedBytes { get; set; } = 64 * 1024 * 1024;
}
