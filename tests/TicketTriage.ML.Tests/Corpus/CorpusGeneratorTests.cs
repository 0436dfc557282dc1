using CsvHelper;
using TicketTriage.Cli.Corpus;

namespace TicketTriage.ML.Tests.Corpus;

public sealed class CorpusGeneratorTests
{
    // One shared corpus for the rate checks: large enough that a rate off by a few points shows, small enough to be fast.
    private static readonly CorpusOptions Options = new() { Count = 2000, Seed = 7 };
    private static readonly Lazy<IReadOnlyList<GeneratedTicket>> Shared = new(() => new CorpusGenerator(Options).Generate());
    private static IReadOnlyList<GeneratedTicket> Tickets => Shared.Value;

    private static string Csv(CorpusOptions options)
    {
        using var writer = new StringWriter();
        CorpusCsv.Write(writer, new CorpusGenerator(options).Generate());
        return writer.ToString();
    }

    [Fact]
    public void The_same_seed_gives_byte_identical_csv()
    {
        var options = new CorpusOptions { Count = 300, Seed = 42 };
        Assert.Equal(Csv(options), Csv(options));
    }

    [Fact]
    public void A_different_seed_gives_a_different_corpus()
    {
        Assert.NotEqual(Csv(new CorpusOptions { Count = 100, Seed = 1 }), Csv(new CorpusOptions { Count = 100, Seed = 2 }));
    }

    [Fact]
    public void A_smaller_count_is_a_prefix_of_a_larger_one()
    {
        var small = new CorpusGenerator(new CorpusOptions { Count = 50, Seed = 9 }).Generate();
        var large = new CorpusGenerator(new CorpusOptions { Count = 120, Seed = 9 }).Generate();
        Assert.Equal(small.Select(t => t.Text), large.Take(50).Select(t => t.Text));
    }

    [Fact]
    public void Every_category_is_present_with_a_sane_share()
    {
        var counts = Tickets.GroupBy(t => t.Category).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(CategoryBanks.All.Select(b => b.Id).Order(), counts.Keys.Order());
        foreach (var (category, count) in counts)
        {
            var share = count / (double)Tickets.Count;
            Assert.True(share is >= 0.03 and <= 0.15, $"{category}: {share:P1}");
        }
    }

    [Fact]
    public void Every_channel_is_present()
    {
        var channels = Tickets.Select(t => t.Channel).Distinct().Order();
        Assert.Equal(CorpusTicketWriter.Channels.Order(), channels);
    }

    [Fact]
    public void Rows_have_ids_in_order_a_one_line_subject_a_blank_line_and_a_body()
    {
        for (var i = 0; i < Tickets.Count; i++)
        {
            var t = Tickets[i];
            Assert.Equal(i + 1, t.Id);
            Assert.False(string.IsNullOrWhiteSpace(t.Subject));
            Assert.DoesNotContain('\n', t.Subject);
            Assert.False(string.IsNullOrWhiteSpace(t.Body));
            Assert.StartsWith(t.Subject + "\n\n", t.Text, StringComparison.Ordinal);
            Assert.Equal(t.Body, t.Body.Trim());
            Assert.DoesNotContain("{", t.Text.Replace("{main}", ""), StringComparison.Ordinal); // no unexpanded slot
        }
    }

    [Fact]
    public void No_two_tickets_have_the_same_text()
    {
        Assert.Equal(Tickets.Count, Tickets.Select(t => t.Text).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Quoted_threads_appear_at_the_configured_rate_and_look_like_quoted_mail()
    {
        var emails = Tickets.Where(t => t.Channel == CorpusTicketWriter.ChannelEmail).ToList();
        var rate = emails.Count(t => t.HasQuotedThread) / (double)emails.Count;
        Assert.InRange(rate, Options.QuotedThreadRate - 0.05, Options.QuotedThreadRate + 0.05);

        foreach (var t in Tickets)
        {
            var looksQuoted = t.Body.Contains(" wrote:\n>", StringComparison.Ordinal)
                || t.Body.Contains("-----Original Message-----\nFrom: ", StringComparison.Ordinal);
            Assert.Equal(t.HasQuotedThread, looksQuoted);
        }
        Assert.DoesNotContain(Tickets, t => t.HasQuotedThread && t.Channel != CorpusTicketWriter.ChannelEmail);
    }

    [Fact]
    public void Signatures_appear_at_the_configured_rate_on_email()
    {
        var emails = Tickets.Where(t => t.Channel == CorpusTicketWriter.ChannelEmail).ToList();
        var rate = emails.Count(t => t.HasSignature) / (double)emails.Count;
        Assert.InRange(rate, Options.SignatureRate - 0.05, Options.SignatureRate + 0.05);
        var withSentFrom = emails.Count(t => t.Body.Contains("Sent from my", StringComparison.Ordinal));
        Assert.InRange(withSentFrom, 1, emails.Count(t => t.HasSignature));
    }

    [Fact]
    public void Mixed_tickets_appear_at_the_configured_rate_and_name_another_category()
    {
        var mixed = Tickets.Where(t => t.SecondaryCategory is not null).ToList();
        Assert.InRange(mixed.Count / (double)Tickets.Count, Options.MixedRate - 0.03, Options.MixedRate + 0.03);
        Assert.All(mixed, t => Assert.NotEqual(t.Category, t.SecondaryCategory));
    }

    [Fact]
    public void Vague_tickets_appear_at_roughly_the_configured_rate_among_single_category_tickets()
    {
        var single = Tickets.Where(t => t.SecondaryCategory is null).ToList();
        Assert.InRange(single.Count(t => t.IsVague) / (double)single.Count, Options.VagueRate - 0.03, Options.VagueRate + 0.03);
        Assert.DoesNotContain(Tickets, t => t.IsVague && t.SecondaryCategory is not null);
    }

    [Fact]
    public void Pasted_error_blocks_appear_at_roughly_the_configured_rate()
    {
        var rate = Tickets.Count(t => t.HasErrorBlock) / (double)Tickets.Count;
        Assert.InRange(rate, Options.ErrorBlockRate - 0.05, Options.ErrorBlockRate + 0.05);
        Assert.Contains(Tickets, t => t.Text.Contains("550 5.1.1", StringComparison.Ordinal));
        Assert.Contains(Tickets, t => t.Text.Contains("SQLSTATE[HY000]", StringComparison.Ordinal));
        Assert.Contains(Tickets, t => t.Text.Contains("ERR_SSL_PROTOCOL_ERROR", StringComparison.Ordinal));
    }

    [Fact]
    public void Typos_follow_the_configured_rate()
    {
        var clean = new CorpusGenerator(new CorpusOptions { Count = 300, Seed = 3, TypoRatePerWord = 0 }).Generate();
        Assert.All(clean, t => Assert.Equal(0, t.TypoCount));

        var share = Tickets.Count(t => t.TypoCount > 0) / (double)Tickets.Count;
        Assert.InRange(share, 0.15, 0.70); // some tickets are clean, many are not: a few typos in a few hundred words

        var noisy = new CorpusGenerator(new CorpusOptions { Count = 300, Seed = 3, TypoRatePerWord = 0.05 }).Generate();
        Assert.True(noisy.Average(t => t.TypoCount) > 3 * Tickets.Average(t => t.TypoCount));
    }

    [Fact]
    public void Every_tone_occurs()
    {
        var tones = Tickets.Select(t => t.Tone).Distinct().Order();
        Assert.Equal(Enum.GetNames<Tone>().Order(), tones);
    }

    [Fact]
    public void Lengths_range_from_one_line_to_several_paragraphs()
    {
        var lengths = Tickets.Select(t => t.Text.Length).Order().ToList();
        Assert.True(lengths[0] < 120, $"shortest {lengths[0]}");
        Assert.True(lengths[^1] > 1200, $"longest {lengths[^1]}");
        Assert.Contains(Tickets, t => t.Body.Split("\n\n").Length >= 5);
    }

    [Fact]
    public void The_csv_has_the_exact_columns_and_round_trips_multi_line_text()
    {
        var tickets = new CorpusGenerator(new CorpusOptions { Count = 200, Seed = 11 }).Generate();
        using var writer = new StringWriter();
        CorpusCsv.Write(writer, tickets);
        var csv = writer.ToString();
        Assert.StartsWith("id,text,category,channel\n", csv, StringComparison.Ordinal);

        using var reader = CsvReader.Create(new StringReader(csv), null, leaveOpen: false);
        var rows = new List<string[]>();
        foreach (var row in reader) rows.Add([row.GetString(0), row.GetString(1), row.GetString(2), row.GetString(3)]);

        Assert.Equal(tickets.Count, rows.Count);
        for (var i = 0; i < tickets.Count; i++)
        {
            Assert.Equal([tickets[i].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), tickets[i].Text, tickets[i].Category, tickets[i].Channel], rows[i]);
        }
    }

    [Fact]
    public void A_bag_of_words_baseline_learns_the_corpus_but_does_not_separate_it_perfectly()
    {
        // If the generator leaked a template word per category, naive Bayes would approach 1.0; if it produced noise,
        // it would sit near chance (1/14). The corpus is meant to be learnable and hard in between.
        var result = CorpusDifficulty.Measure([.. Tickets.Select(t => (t.Text, t.Category))]);
        Assert.InRange(result.NaiveBayesAccuracy, 0.70, 0.96);
        Assert.InRange(result.CentroidAccuracy, 0.60, 0.96);
    }
}
