using TicketTriage.ML.Similarity;

namespace TicketTriage.ML.Tests.Similarity;

public sealed class SimilarTicketIndexTests
{
    // A handmade help desk: ten unrelated problems, and ticket 11 reporting ticket 3's problem in other words.
    private static readonly (long Id, string Subject, string Body)[] Desk =
    [
        (1, "Invoice charged twice", "My credit card was billed twice for the March invoice, please refund one of the payments."),
        (2, "Cannot log in to control panel", "The control panel says my password is wrong although I reset it an hour ago."),
        (3, "Website down after PHP upgrade", "Since you upgraded PHP to 8.3 last night www.annsbakery.com shows a 500 internal server error on every page."),
        (4, "Emails bouncing", "Mail to customers bounces with 550 relay denied from mail.example.org since this morning."),
        (5, "SSL certificate expired", "Browsers warn that the certificate for shop.example.net expired yesterday; auto-renewal did not run."),
        (6, "Slow database queries", "MySQL queries on my reporting page take 30 seconds since Monday, the server load is high."),
        (7, "Backup restore request", "Please restore yesterday's backup of the wordpress folder, a plugin update broke the theme."),
        (8, "DNS not resolving", "The domain annsbakery.com does not resolve after I changed nameservers two days ago."),
        (9, "FTP permission denied", "Uploading index.php over FTP fails with 553 permission denied in public_html."),
        (10, "Upgrade plan question", "How do I move from the starter plan to the business plan and is there downtime?"),
        (11, "500 error on all pages since the php 8.3 update", "Hi, after last night's PHP upgrade every page of annsbakery.com answers internal server error 500. Please help."),
    ];

    private static SimilarTicketIndex Build(SimilarityOptions? options = null)
    {
        var index = new SimilarTicketIndex(options);
        foreach (var (id, subject, body) in Desk)
        {
            Assert.True(index.Add(id, subject, body));
        }

        return index;
    }

    [Fact]
    public void MostSimilar_RanksTheKnownDuplicateFirst_BothWays()
    {
        var index = Build();

        Assert.Equal(3, index.MostSimilar(11, 5)[0].Id);
        Assert.Equal(11, index.MostSimilar(3, 5)[0].Id);
    }

    [Fact]
    public void Query_RanksTheKnownDuplicateFirst_ForTextNotInTheIndex()
    {
        var index = Build();

        var best = index.Query("site broken: internal server error 500 after the PHP 8.3 upgrade", "annsbakery.com is down", 3);

        Assert.Contains(best[0].Id, new long[] { 3, 11 });
        Assert.Contains(best[1].Id, new long[] { 3, 11 });
    }

    [Fact]
    public void MostSimilar_NeverReturnsTheTicketItself()
    {
        var index = Build();

        foreach (var (id, _, _) in Desk)
        {
            var similar = index.MostSimilar(id, Desk.Length);
            Assert.DoesNotContain(similar, s => s.Id == id);
        }
    }

    [Fact]
    public void Query_LeavesOutTheExcludedTicket_EvenWhenItIsTheBestMatch()
    {
        var index = Build();
        var (id, subject, body) = Desk[2];

        var withSelf = index.Query(subject, body, 5);
        var withoutSelf = index.Query(subject, body, 5, exclude: id);

        Assert.Equal(id, withSelf[0].Id);
        Assert.Equal(1f, withSelf[0].Similarity, 3);
        Assert.DoesNotContain(withoutSelf, s => s.Id == id);
        Assert.Equal(11, withoutSelf[0].Id);
    }

    [Fact]
    public void Results_AreBestFirst_WithSimilaritiesBetweenZeroAndOne_AndAtMostTheLimit()
    {
        var index = Build();

        var similar = index.MostSimilar(8, 4);

        Assert.InRange(similar.Count, 1, 4);
        Assert.All(similar, s => Assert.InRange(s.Similarity, 0f, 1f));
        Assert.Equal(similar.OrderByDescending(s => s.Similarity).Select(s => s.Id), similar.Select(s => s.Id));
        Assert.Equal(similar.Count, similar.Select(s => s.Id).Distinct().Count());
    }

    [Fact]
    public void Add_OfAKnownId_ChangesNothing_AndUnknownIdsOrZeroLimitsGiveNothing()
    {
        var index = Build();
        var before = index.MostSimilar(3, 5);

        Assert.False(index.Add(3, "something else", "entirely different text about invoices"));
        Assert.Equal(Desk.Length, index.Count);
        Assert.Equal(before, index.MostSimilar(3, 5));
        Assert.Empty(index.MostSimilar(999, 5));
        Assert.Empty(index.MostSimilar(3, 0));
        Assert.Empty(new SimilarTicketIndex().Query("anything", 5));
    }

    [Fact]
    public void SameAddsInTheSameOrder_GiveIdenticalAnswers()
    {
        var a = Build();
        var b = Build();

        foreach (var (id, subject, body) in Desk)
        {
            Assert.Equal(a.MostSimilar(id, 10), b.MostSimilar(id, 10));
            Assert.Equal(a.Query(subject + " " + body, 10), b.Query(subject + " " + body, 10));
        }
    }

    [Fact]
    public void WithoutReranking_BM25AloneStillFindsTheDuplicate()
    {
        var index = Build(new SimilarityOptions { RerankCandidates = 0 });

        Assert.Equal(3, index.MostSimilar(11, 5)[0].Id);
    }

    [Fact]
    public async Task ConcurrentQueries_WhileAdding_SeeOnlyAddedTickets_AndEveryTwinIsFoundAfterwards()
    {
        var index = new SimilarTicketIndex();
        const int Topics = 1500;
        var stop = 0;
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var queries = 0;

        // The writer starts only once every reader is running, and each reader queries at least once: on a busy
        // machine the thread pool may otherwise run the whole writer before any reader starts, and nothing concurrent
        // is tested (then `queries > 0` fails, which is what failed on a loaded machine).
        using var readersStarted = new CountdownEvent(3);

        void Read(int seed)
        {
            var random = new Random(seed);
            readersStarted.Signal();
            do
            {
                var topic = random.Next(Topics);
                var added = index.Count;
                var results = random.Next(2) == 0
                    ? index.Query(Subject(topic), Body(topic, 0), 10)
                    : index.MostSimilar(TicketId(topic, random.Next(2)), 10);
                foreach (var r in results)
                {
                    if (r.Id < 1 || r.Id > 2 * Topics || r.Similarity is < 0f or > 1f || float.IsNaN(r.Similarity))
                    {
                        errors.Enqueue($"bad answer {r}");
                    }
                }

                if (results.Select(r => r.Id).Distinct().Count() != results.Count)
                {
                    errors.Enqueue($"repeated ids with {added} tickets added");
                }

                Interlocked.Increment(ref queries);
            }
            while (Volatile.Read(ref stop) == 0);
        }

        var token = TestContext.Current.CancellationToken;
        var readers = Enumerable.Range(0, 3).Select(i => Task.Run(() => Read(i), token)).ToArray();
        var writer = Task.Run(() =>
        {
            readersStarted.Wait(token);
            for (var topic = 0; topic < Topics; topic++)
            {
                index.Add(TicketId(topic, 0), Subject(topic), Body(topic, 0));
                index.Add(TicketId(topic, 1), Subject(topic), Body(topic, 1));
            }
        }, token);
        await writer;
        Volatile.Write(ref stop, 1);
        await Task.WhenAll(readers);

        Assert.Empty(errors);
        Assert.True(queries > 0);
        Assert.Equal(2 * Topics, index.Count);
        for (var topic = 0; topic < Topics; topic += 7)
        {
            Assert.Equal(TicketId(topic, 1), index.MostSimilar(TicketId(topic, 0), 3)[0].Id);
        }
    }

    // Each topic has its own rare words (so its twin is the right answer) among shared ones.
    private static long TicketId(int topic, int twin) => (2L * topic) + twin + 1;

    private static string Subject(int topic) => $"problem with service q{topic}x on node{topic % 17}";

    private static string Body(int topic, int twin) => twin == 0
        ? $"since this morning the service q{topic}x fails with error e{topic}z; please look into it, zz{topic}yy"
        : $"error e{topic}z again from q{topic}x, zz{topic}yy is affected, the server is slow today";
}
