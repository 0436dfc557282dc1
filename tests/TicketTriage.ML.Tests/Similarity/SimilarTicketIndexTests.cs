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

    [Fact]
    public void SublinearTf_WeighsTheTwentiethMentionOfAWordLessThanANewSharedWord()
    {
        // 12: one word said over and over (a pasted log); 13: the query's other words, each once.
        var repeated = string.Join(' ', Enumerable.Repeat("timeout", 20)) + " gateway";
        (long, string, string)[] reports =
        [
            .. Desk,
            (12, "Log attached", repeated),
            (13, "Checkout page problem", "the checkout page shows a timeout then a blank cart"),
        ];
        SimilarTicketIndex Index(bool sublinear)
        {
            var index = new SimilarTicketIndex(new SimilarityOptions { SublinearTf = sublinear, SubjectCharGramWeight = 0 });
            foreach (var (id, subject, body) in reports)
            {
                index.Add(id, subject, body);
            }

            return index;
        }

        const string Query = "timeout timeout timeout on the checkout page, the cart is blank";
        float Similarity(SimilarTicketIndex index, long id) => index.Query(null, Query, 20).Single(s => s.Id == id).Similarity;
        var (raw, sublinear) = (Index(false), Index(true));

        // Raw counts let the repeated word carry report 12; saturated, the words shared with 13 count for more.
        Assert.True(Similarity(sublinear, 12) < Similarity(raw, 12));
        Assert.True(Similarity(sublinear, 13) > Similarity(raw, 13));
        Assert.Equal(13, sublinear.Query(null, Query, 1)[0].Id);
        // A report is still exactly like itself.
        Assert.Equal(1f, sublinear.Query("Log attached", repeated, 1)[0].Similarity, 3);
    }

    [Fact]
    public void SubjectCharGrams_MatchAMisspeltSubject_ThatNoWordMatches()
    {
        // Same body, different subjects; the query's subject is misspelt, so its words match neither.
        const string Body = "the page shows an error since this morning";
        SimilarTicketIndex Index(float gramWeight)
        {
            var index = new SimilarTicketIndex(new SimilarityOptions { SubjectCharGramWeight = gramWeight });
            index.Add(1, "Mailbox full", Body);
            index.Add(2, "Certificate expired", Body);
            index.Add(3, "Certifcate expird", Body);
            return index;
        }

        var (words, grams) = (Index(0f), Index(0.5f));

        // Words alone cannot tell 1 from 2 (the tie goes to the earlier ticket); the n-grams of "certifcate expird"
        // are mostly those of "certificate expired".
        Assert.Equal(1, words.MostSimilar(3, 1)[0].Id);
        Assert.Equal(2, grams.MostSimilar(3, 1)[0].Id);
        Assert.Equal(2, grams.Query("Certifcate expird", Body, 1, exclude: 3)[0].Id);
        var similar = grams.MostSimilar(3, 2);
        Assert.True(similar[0].Similarity > similar[1].Similarity);
        // A ticket is still exactly like itself, n-grams included.
        Assert.Equal(1f, grams.Query("Certifcate expird", Body, 1)[0].Similarity, 3);
    }

    [Fact]
    public void Fuse_OrdersByReciprocalRankOfBothRankings_AndKeepsTheCosineAsTheSimilarity()
    {
        List<(int Document, float Similarity)> byCosine = [(1, 0.9f), (2, 0.8f), (3, 0.7f), (4, 0.6f)];
        (int Document, float Score)[] byBm25 = [(2, 9f), (3, 8f), (1, 7f)];

        // No weight: the cosine order.
        Assert.Equal([1, 2, 3, 4], SimilarTicketIndex.Fuse(byCosine, byBm25, 0f).Select(f => f.Document));
        // Equal weight: 2 (second by cosine, first by BM25) passes 1 (first by cosine, third by BM25); 4, absent from
        // BM25's list, counts as ranked after its last and stays last.
        Assert.Equal([2, 1, 3, 4], SimilarTicketIndex.Fuse(byCosine, byBm25, 1f).Select(f => f.Document));
        // The similarity reported is each document's own cosine, not its fused score.
        Assert.All(SimilarTicketIndex.Fuse(byCosine, byBm25, 1f), f => Assert.Equal(byCosine.Single(c => c.Document == f.Document).Similarity, f.Similarity));
    }

    private static string Body(int topic, int twin) => twin == 0
        ? $"since this morning the service q{topic}x fails with error e{topic}z; please look into it, zz{topic}yy"
        : $"error e{topic}z again from q{topic}x, zz{topic}yy is affected, the server is slow today";
}
