using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using TicketTriage.ML.Similarity;
using TicketTriage.Web.Data;

namespace TicketTriage.Web.Features.Similar;

/// <summary>One stored ticket like another: its ids and how alike the two are (0–1).</summary>
public sealed record SimilarTicketView(long Id, string Source, string ExternalId, string Subject, double Similarity);

/// <summary>
/// "Has this been seen before?": the <see cref="SimilarTicketIndex"/> over every stored ticket, from any time and any
/// pattern. Filled at start-up from the database in the background (start-up does not wait; until it is done the
/// answers cover the tickets read so far, and <see cref="Complete"/> says so), then with each ticket as the triage
/// worker triages it. The worker only hands tickets over (<see cref="Offer"/>): indexing runs on its own loop so the
/// worker's rate does not pay for it. A ticket dropped because the hand-over queue was full is found by a re-scan.
/// </summary>
public sealed class SimilarTicketSearch(IDbContextFactory<TriageDbContext> dbFactory, ILogger<SimilarTicketSearch> logger) : BackgroundService
{
    private const int PageSize = 5000;
    private readonly SimilarTicketIndex _index = new();
    private readonly Channel<(long Id, string Subject, string Body)> _offered =
        Channel.CreateBounded<(long, string, string)>(new BoundedChannelOptions(100_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private int _dropped;
    private volatile bool _complete;

    public const int DefaultLimit = 10;
    public const int MaxLimit = 100;

    /// <summary>Tickets indexed so far.</summary>
    public int Count => _index.Count;

    /// <summary>True once every ticket stored at start-up has been indexed.</summary>
    public bool Complete => _complete;

    /// <summary>A newly triaged ticket, to index. Never waits.</summary>
    public void Offer(long id, string subject, string body)
    {
        if (!_offered.Writer.TryWrite((id, subject, body)))
        {
            Interlocked.Exchange(ref _dropped, 1);
        }
    }

    /// <summary>
    /// The tickets most like <paramref name="id"/>, best first (never itself), with their ids; null when there is no
    /// such ticket. A ticket not indexed yet is compared by its text.
    /// </summary>
    public async Task<IReadOnlyList<SimilarTicketView>?> FindAsync(long id, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await db.Tickets.AsNoTracking().Where(t => t.Id == id)
            .Select(t => new { t.Subject, t.Body }).SingleOrDefaultAsync(cancellationToken);
        if (ticket is null)
        {
            return null;
        }

        var found = _index.MostSimilar(id, limit);
        if (found.Count == 0)
        {
            found = _index.Query(ticket.Subject, ticket.Body, limit, exclude: id);
        }

        var ids = found.Select(f => f.Id).ToList();
        var rows = await db.Tickets.AsNoTracking().Where(t => ids.Contains(t.Id))
            .Select(t => new { t.Id, t.Source, t.ExternalId, t.Subject }).ToDictionaryAsync(t => t.Id, cancellationToken);
        return [.. found.Where(f => rows.ContainsKey(f.Id))
            .Select(f => new SimilarTicketView(f.Id, rows[f.Id].Source, rows[f.Id].ExternalId, rows[f.Id].Subject, Math.Round(f.Similarity, 4)))];
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var consume = ConsumeAsync(stoppingToken);
        try
        {
            var loaded = await LoadAsync(stoppingToken);
            _complete = true;
            logger.LogInformation("Similar-ticket index ready: {Count:N0} stored tickets indexed.", loaded);
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(30), stoppingToken);
                if (Interlocked.Exchange(ref _dropped, 0) == 1)
                {
                    await LoadAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await consume;
    }

    // Every stored ticket, by id; the index ignores those it has already.
    private async Task<int> LoadAsync(CancellationToken cancellationToken)
    {
        var after = 0L;
        var read = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var page = await db.Tickets.AsNoTracking().Where(t => t.Id > after).OrderBy(t => t.Id).Take(PageSize)
                .Select(t => new { t.Id, t.Subject, t.Body }).ToListAsync(cancellationToken);
            foreach (var t in page)
            {
                _index.Add(t.Id, t.Subject, t.Body);
            }

            read += page.Count;
            if (page.Count < PageSize)
            {
                return read;
            }

            after = page[^1].Id;
        }
    }

    private async Task ConsumeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (id, subject, body) in _offered.Reader.ReadAllAsync(cancellationToken))
            {
                _index.Add(id, subject, body);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
