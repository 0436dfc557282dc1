using Microsoft.Extensions.Options;

namespace TicketTriage.Web.Features.Ingest;

/// <summary>
/// Bounds the memory that ingest requests hold at once, in bytes of request body, across all requests: a request
/// reserves its body (its Content-Length up front, or chunk by chunk when sent without one) before the body is read,
/// and keeps the reservation until its answer is sent — so the parsed tickets waiting for the writer count too.
/// When the budget is spent the request is refused with 503 + Retry-After before its body is read: under overload
/// memory stays flat instead of growing with body size times connections.
/// </summary>
/// <remarks>
/// A request larger than the whole budget still goes through when nothing else is reserved, or it could never
/// succeed (the same rule as the writer's queue). The queue's own bound, in tickets, is checked first and also before
/// any byte is read (<see cref="TicketWriter.IsFull"/>).
/// </remarks>
internal sealed class IngestAdmission(IOptions<IngestOptions> options)
{
    private readonly long _budget = Math.Max(1, options.Value.MaxBufferedBytes);
    private long _reserved;

    /// <summary>Bytes reserved by requests in flight.</summary>
    public long Reserved => Interlocked.Read(ref _reserved);

    /// <summary>The configured budget (<c>Ingest:MaxBufferedBytes</c>).</summary>
    public long Budget => _budget;

    /// <summary>Adds <paramref name="bytes"/> to <paramref name="reservation"/>; false (and nothing added) when over budget.</summary>
    public bool TryGrow(Reservation reservation, long bytes)
    {
        if (bytes <= 0)
        {
            return true;
        }

        var after = Interlocked.Add(ref _reserved, bytes);
        if (after > _budget && after != reservation.Bytes + bytes)
        {
            Interlocked.Add(ref _reserved, -bytes);
            return false;
        }

        reservation.Add(bytes);
        return true;
    }

    /// <summary>An empty reservation, released when the request's response is done (register it for disposal).</summary>
    public Reservation Open() => new(this);

    private void Release(long bytes) => Interlocked.Add(ref _reserved, -bytes);

    internal sealed class Reservation(IngestAdmission owner) : IDisposable
    {
        private long _bytes;

        public long Bytes => _bytes;

        public void Add(long bytes) => _bytes += bytes;

        public void Dispose()
        {
            var bytes = _bytes;
            _bytes = 0;
            owner.Release(bytes);
        }
    }
}
