using System.Data;
using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TicketTriage.Web.Data;

namespace TicketTriage.Web.Features.Ingest;

/// <summary>What happened to one ticket: created with a new id, or a duplicate answered with the first id.</summary>
internal readonly record struct WriteOutcome(long Id, bool Created);

/// <summary>One request's tickets, waiting for the writer; the request awaits <see cref="Completion"/>.</summary>
internal sealed class PendingWrite(IReadOnlyList<NewTicket> tickets)
{
    public IReadOnlyList<NewTicket> Tickets => tickets;
    public TaskCompletionSource<WriteOutcome[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>Test seam: runs before each group is written (a test slows the writer to fill the queue).</summary>
public sealed class TicketWriterHooks
{
    public Func<CancellationToken, Task>? BeforeWrite { get; set; }
}

/// <summary>
/// The single writer with group commit. Requests enqueue their tickets and await a completion; this one background
/// loop drains whatever has queued up (up to <see cref="IngestOptions.MaxBatchPerCommit"/> tickets), writes it in ONE
/// transaction, commits, and only then completes each request — so a 2xx always means committed, and a thousand
/// concurrent requests cost one commit instead of a thousand. While a commit runs the next group accumulates, so the
/// group size follows the load by itself.
/// </summary>
/// <remarks>
/// <para>Idempotency is airtight without locks: there is one writer, every ticket first looks up its
/// (source, external id) inside the transaction — which also sees earlier tickets of the same group — and the unique
/// index plus <c>ON CONFLICT DO NOTHING</c> covers other app instances sharing a PostgreSQL database.</para>
/// <para>Admission is counted in tickets, not requests (a batch request holds up to 1,000):
/// <see cref="TryEnqueue"/> refuses when <see cref="IngestOptions.QueueCapacity"/> tickets are waiting or in flight,
/// and the endpoint answers 503 + Retry-After instead of letting memory grow. The channel itself is unbounded because
/// that counter bounds it.</para>
/// <para>The hot path is raw ADO.NET on the context's own connection with prepared statements: EF change tracking
/// costs several times more per row. The SQL is written once for both providers (ON CONFLICT … RETURNING).</para>
/// </remarks>
internal sealed class TicketWriter(
    IDbContextFactory<TriageDbContext> dbFactory,
    IOptions<IngestOptions> options,
    TimeProvider time,
    IEnumerable<ITicketIngestObserver> observers,
    TicketWriterHooks hooks,
    ILogger<TicketWriter> logger) : BackgroundService
{
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ITicketIngestObserver[] _observers = observers.ToArray();
    private readonly int _capacity = Math.Max(1, options.Value.QueueCapacity);
    private readonly int _maxPerCommit = Math.Max(1, options.Value.MaxBatchPerCommit);
    private long _waiting;
    private volatile bool _running;
    private Statements? _statements;

    /// <summary>True while the loop runs (readiness).</summary>
    public bool IsRunning => _running;

    /// <summary>Tickets accepted and not yet completed.</summary>
    public long Waiting => Interlocked.Read(ref _waiting);

    /// <summary>Queues the request's tickets; false when the queue is full or the app is stopping (answer 503).</summary>
    public bool TryEnqueue(PendingWrite write)
    {
        var count = write.Tickets.Count;
        var after = Interlocked.Add(ref _waiting, count);
        // A request larger than the whole capacity still goes through alone, or it could never succeed.
        if ((after > _capacity && after != count) || !_running || !_queue.Writer.TryWrite(write))
        {
            Interlocked.Add(ref _waiting, -count);
            return false;
        }

        return true;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _running = true;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stop taking work, then let the loop finish what was accepted: accepted requests are still answered.
        _running = false;
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var reader = _queue.Reader;
        var group = new List<PendingWrite>();
        try
        {
            // Not cancelled by stoppingToken: the loop ends when StopAsync completes the channel and it is drained.
            while (await reader.WaitToReadAsync(CancellationToken.None))
            {
                group.Clear();
                var count = 0;
                while (count < _maxPerCommit && reader.TryRead(out var write))
                {
                    group.Add(write);
                    count += write.Tickets.Count;
                }

                await WriteGroupAsync(group, stoppingToken);
                Interlocked.Add(ref _waiting, -count);
            }
        }
        finally
        {
            _running = false;
            await ResetConnectionAsync();
        }
    }

    private async Task WriteGroupAsync(List<PendingWrite> group, CancellationToken stoppingToken)
    {
        if (hooks.BeforeWrite is { } before)
        {
            await before(stoppingToken);
        }

        try
        {
            var outcomes = await WriteAsync(group);
            for (var i = 0; i < group.Count; i++)
            {
                group[i].Completion.TrySetResult(outcomes[i]);
            }

            Notify(group, outcomes);
            return;
        }
        catch (Exception e) when (group.Count > 1)
        {
            // One bad request must not fail its neighbours: write each alone to find it.
            logger.LogWarning(e, "A group of {Count} ticket writes failed; retrying each request alone.", group.Count);
            await ResetConnectionAsync();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Writing {Count} tickets failed.", group[0].Tickets.Count);
            group[0].Completion.TrySetException(e);
            await ResetConnectionAsync();
            return;
        }

        foreach (var write in group)
        {
            try
            {
                var outcome = await WriteAsync([write]);
                write.Completion.TrySetResult(outcome[0]);
                Notify([write], outcome);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Writing {Count} tickets failed.", write.Tickets.Count);
                write.Completion.TrySetException(e);
                await ResetConnectionAsync();
            }
        }
    }

    private async Task<WriteOutcome[][]> WriteAsync(IReadOnlyList<PendingWrite> group)
    {
        var s = _statements ??= await Statements.OpenAsync(dbFactory);
        var now = time.GetUtcNow().UtcDateTime;
        var results = new WriteOutcome[group.Count][];
        var customers = new Dictionary<NewCustomer, long>();
        await using var transaction = await s.Connection.BeginTransactionAsync();
        s.Enlist(transaction);
        for (var g = 0; g < group.Count; g++)
        {
            var tickets = group[g].Tickets;
            var outcomes = results[g] = new WriteOutcome[tickets.Count];
            for (var t = 0; t < tickets.Count; t++)
            {
                outcomes[t] = await WriteOneAsync(s, tickets[t], customers, now);
            }
        }

        await transaction.CommitAsync();
        return results;
    }

    private static async Task<WriteOutcome> WriteOneAsync(Statements s, NewTicket ticket, Dictionary<NewCustomer, long> customers, DateTime now)
    {
        if (await s.FindTicketAsync(ticket.Source, ticket.ExternalId) is { } existing)
        {
            return new WriteOutcome(existing, Created: false);
        }

        long? customerId = null;
        if (ticket.Customer is { } customer)
        {
            // The same customer (same fields) in one group is upserted once.
            if (!customers.TryGetValue(customer, out var id))
            {
                customers[customer] = id = await s.UpsertCustomerAsync(customer, now);
            }

            customerId = id;
        }

        if (await s.InsertTicketAsync(ticket, customerId, now) is { } created)
        {
            return new WriteOutcome(created, Created: true);
        }

        // Another instance inserted the same key after our lookup (PostgreSQL with several app instances).
        return new WriteOutcome(await s.FindTicketAsync(ticket.Source, ticket.ExternalId) ?? throw new InvalidOperationException(
            $"Ticket ({ticket.Source}, {ticket.ExternalId}) conflicted but was not found."), Created: false);
    }

    private void Notify(IReadOnlyList<PendingWrite> group, WriteOutcome[][] outcomes)
    {
        if (_observers.Length == 0)
        {
            return;
        }

        var created = new List<long>();
        foreach (var outcome in outcomes)
        {
            foreach (var o in outcome)
            {
                if (o.Created)
                {
                    created.Add(o.Id);
                }
            }
        }

        if (created.Count == 0)
        {
            return;
        }

        foreach (var observer in _observers)
        {
            try
            {
                observer.OnTicketsCommitted(created);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Ingest observer {Observer} failed.", observer.GetType().Name);
            }
        }
    }

    private async Task ResetConnectionAsync()
    {
        if (_statements is { } s)
        {
            _statements = null;
            await s.DisposeAsync();
        }
    }

    /// <summary>The writer's connection (opened through a context, so the SQLite pragmas apply) and its prepared statements.</summary>
    private sealed class Statements(TriageDbContext db, DbConnection connection) : IAsyncDisposable
    {
        private readonly DbCommand _find = Command(connection, """
            SELECT "Id" FROM "Tickets" WHERE "Source" = @source AND "ExternalId" = @externalId
            """, ("source", DbType.String), ("externalId", DbType.String));

        private readonly DbCommand _upsertCustomer = Command(connection, """
            INSERT INTO "Customers" ("Email", "Username", "Name", "Plan", "Tier", "Server", "Datacenter", "Region", "AttributesJson", "CreatedAt", "UpdatedAt")
            VALUES (@email, @username, @name, @plan, @tier, @server, @datacenter, @region, @attributes, @now, @now)
            ON CONFLICT ("Email") DO UPDATE SET
                "Username" = COALESCE(excluded."Username", "Customers"."Username"),
                "Name" = COALESCE(excluded."Name", "Customers"."Name"),
                "Plan" = COALESCE(excluded."Plan", "Customers"."Plan"),
                "Tier" = COALESCE(excluded."Tier", "Customers"."Tier"),
                "Server" = COALESCE(excluded."Server", "Customers"."Server"),
                "Datacenter" = COALESCE(excluded."Datacenter", "Customers"."Datacenter"),
                "Region" = COALESCE(excluded."Region", "Customers"."Region"),
                "AttributesJson" = COALESCE(excluded."AttributesJson", "Customers"."AttributesJson"),
                "UpdatedAt" = excluded."UpdatedAt"
            RETURNING "Id"
            """, ("email", DbType.String), ("username", DbType.String), ("name", DbType.String), ("plan", DbType.String),
            ("tier", DbType.String), ("server", DbType.String), ("datacenter", DbType.String), ("region", DbType.String),
            ("attributes", DbType.String), ("now", null));

        private readonly DbCommand _insert = Command(connection, """
            INSERT INTO "Tickets" ("Source", "ExternalId", "Channel", "Subject", "Body", "Status", "CreatedAt", "UpdatedAt", "AttributesJson", "CustomerId")
            VALUES (@source, @externalId, @channel, @subject, @body, 'New', @createdAt, @now, @attributes, @customerId)
            ON CONFLICT ("Source", "ExternalId") DO NOTHING
            RETURNING "Id"
            """, ("source", DbType.String), ("externalId", DbType.String), ("channel", DbType.String), ("subject", DbType.String),
            ("body", DbType.String), ("createdAt", null), ("now", null), ("attributes", DbType.String), ("customerId", DbType.Int64));

        public DbConnection Connection => connection;

        public static async Task<Statements> OpenAsync(IDbContextFactory<TriageDbContext> dbFactory)
        {
            var db = await dbFactory.CreateDbContextAsync();
            try
            {
                await db.Database.OpenConnectionAsync();
                var statements = new Statements(db, db.Database.GetDbConnection());
                await statements.PrepareAsync();
                return statements;
            }
            catch
            {
                await db.DisposeAsync();
                throw;
            }
        }

        public void Enlist(DbTransaction transaction)
        {
            _find.Transaction = transaction;
            _upsertCustomer.Transaction = transaction;
            _insert.Transaction = transaction;
        }

        public async Task<long?> FindTicketAsync(string source, string externalId)
        {
            _find.Parameters[0].Value = source;
            _find.Parameters[1].Value = externalId;
            return await _find.ExecuteScalarAsync() is { } id and not DBNull ? Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture) : null;
        }

        public async Task<long> UpsertCustomerAsync(NewCustomer c, DateTime now)
        {
            var p = _upsertCustomer.Parameters;
            p[0].Value = c.Email;
            p[1].Value = (object?)c.Username ?? DBNull.Value;
            p[2].Value = (object?)c.Name ?? DBNull.Value;
            p[3].Value = (object?)c.Plan ?? DBNull.Value;
            p[4].Value = (object?)c.Tier ?? DBNull.Value;
            p[5].Value = (object?)c.Server ?? DBNull.Value;
            p[6].Value = (object?)c.Datacenter ?? DBNull.Value;
            p[7].Value = (object?)c.Region ?? DBNull.Value;
            p[8].Value = (object?)c.AttributesJson ?? DBNull.Value;
            p[9].Value = now;
            return Convert.ToInt64(await _upsertCustomer.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        public async Task<long?> InsertTicketAsync(NewTicket t, long? customerId, DateTime now)
        {
            var p = _insert.Parameters;
            p[0].Value = t.Source;
            p[1].Value = t.ExternalId;
            p[2].Value = t.Channel;
            p[3].Value = t.Subject;
            p[4].Value = t.Body;
            p[5].Value = t.CreatedAt;
            p[6].Value = now;
            p[7].Value = (object?)t.AttributesJson ?? DBNull.Value;
            p[8].Value = (object?)customerId ?? DBNull.Value;
            return await _insert.ExecuteScalarAsync() is { } id and not DBNull ? Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture) : null;
        }

        public async ValueTask DisposeAsync()
        {
            await _find.DisposeAsync();
            await _upsertCustomer.DisposeAsync();
            await _insert.DisposeAsync();
            await db.Database.CloseConnectionAsync();
            await db.DisposeAsync();
        }

        private async Task PrepareAsync()
        {
            // Prepared once per connection (SQLite compiles the statement; PostgreSQL keeps a server-side plan).
            // Parameter types are fixed up front: a null first value must not pin a wrong type.
            await _find.PrepareAsync();
            await _upsertCustomer.PrepareAsync();
            await _insert.PrepareAsync();
        }

        private static DbCommand Command(DbConnection connection, string sql, params (string Name, DbType? Type)[] parameters)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, type) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@" + name;
                // DateTime parameters are left untyped: Npgsql then maps a UTC DateTime to timestamptz. Each has a
                // value before Prepare, which needs every parameter's type.
                if (type is { } t)
                {
                    parameter.DbType = t;
                    parameter.Value = DBNull.Value;
                }
                else
                {
                    parameter.Value = DateTime.UnixEpoch;
                }

                command.Parameters.Add(parameter);
            }

            return command;
        }
    }
}
