using TicketTriage.Cli.Corpus;

namespace TicketTriage.ML.Tests.Corpus;

public sealed class TextNoiseTests
{
    [Fact]
    public void Typos_hit_about_the_requested_share_of_words_and_the_count_is_honest()
    {
        var words = Enumerable.Repeat("please check the website because nothing loads", 1000).ToArray();
        var text = string.Join(' ', words); // 7,000 words, 6,000 of them long enough to be mangled
        var (noisy, typos) = TextNoise.Typos(text, 0.02, new Random(4));

        Assert.InRange(typos, 80, 160); // ≈ 0.02 × 6,000 = 120
        var changed = text.Split(' ').Zip(noisy.Split(' ')).Count(p => p.First != p.Second);
        Assert.Equal(typos, changed);
    }

    [Fact]
    public void Typos_never_touch_identifiers_people_paste()
    {
        const string text = "error ERR_SSL_PROTOCOL_ERROR on bluebirdbakery.com for info@bluebirdbakery.com at /home/user/public_html 550 5.1.1 SQLSTATE[HY000]";
        var (noisy, _) = TextNoise.Typos(text, 1.0, new Random(1));
        foreach (var token in new[] { "ERR_SSL_PROTOCOL_ERROR", "bluebirdbakery.com", "info@bluebirdbakery.com", "/home/user/public_html", "550", "5.1.1", "SQLSTATE[HY000]" })
        {
            Assert.Contains(token, noisy, StringComparison.Ordinal);
        }
        Assert.Contains(" on ", noisy, StringComparison.Ordinal); // too short to mangle
    }

    [Fact]
    public void A_zero_rate_changes_nothing()
    {
        Assert.Equal(("unchanged sentence here", 0), TextNoise.Typos("unchanged sentence here", 0, new Random(1)));
    }

    [Fact]
    public void Dropping_articles_removes_only_articles()
    {
        Assert.Equal("site is down after update", TextNoise.DropArticles("the site is down after an update", 1.0, new Random(1)));
    }
}
