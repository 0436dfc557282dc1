using TicketTriage.ML.Text;

namespace TicketTriage.ML.Tests.Text;

public sealed class TextNormalizerTests
{
    [Fact]
    public void Normalize_LowercasesFoldsAccentsAndCollapsesWhitespace()
    {
        Assert.Equal("cafe creme a l'hotel senor strasse", TextNormalizer.Normalize("  Café   Crème\tà l’Hôtel\n\nSeñor Strasse "));
        Assert.Equal("strasse", TextNormalizer.Normalize("Straße"));
    }

    [Fact]
    public void Normalize_KeepsErrorCodesHostnamesAndVersions()
    {
        var text = TextNormalizer.Normalize("Chrome says ERR_SSL_PROTOCOL_ERROR on mail.Example.com after upgrading to PHP 8.2.1 (0x80004005), then a 500.");
        var tokens = Tokenizer.Tokenize(text);

        Assert.Contains("err_ssl_protocol_error", tokens);
        Assert.Contains("mail.example.com", tokens);
        Assert.Contains("8.2.1", tokens);
        Assert.Contains("0x80004005", tokens);
        Assert.Contains("500", tokens);
    }

    [Fact]
    public void Normalize_StripsQuotedReplyAndSignature()
    {
        const string body = """
            Hi team,

            My site www.shop-example.net returns 503 since this morning.
            > Previous message quoted inline
            > with more lines
            Can you check?

            Kind regards,
            Maria Lopez
            Lopez Hardware Ltd
            """;

        var text = TextNormalizer.Normalize(body);

        Assert.Equal("hi team, my site www.shop-example.net returns 503 since this morning. can you check?", text);
    }

    [Fact]
    public void Normalize_StopsAtOnWroteBlockAndOriginalMessage()
    {
        const string gmail = "Still broken.\r\n\r\nOn Tue, 3 Mar 2026 at 10:02, Support <help@host.com>\r\nwrote:\r\n> We restarted the server.\r\nOld text";
        const string outlook = "Thanks, works now\n-----Original Message-----\nFrom: Support\nSubject: Ticket 42";

        Assert.Equal("still broken.", TextNormalizer.Normalize(gmail));
        Assert.Equal("thanks, works now", TextNormalizer.Normalize(outlook));
    }

    [Fact]
    public void Normalize_StripsDashDashAndSentFromMySignatures()
    {
        Assert.Equal("ftp login fails", TextNormalizer.Normalize("FTP login fails\n-- \nJohn\n+1 555 0100"));
        Assert.Equal("dns not resolving", TextNormalizer.Normalize("DNS not resolving\n\nSent from my iPhone"));
    }

    [Theory]
    [InlineData("Thanks and regards,")]
    [InlineData("thx")]
    [InlineData("Cheers!")]
    [InlineData("Best wishes,")]
    public void Normalize_StripsCommonClosingsAndWhatFollows(string closing)
    {
        Assert.Equal("backup restore failed", TextNormalizer.Normalize($"Backup restore failed\n{closing}\nTom\n+44 20 7946 0000"));
    }

    [Fact]
    public void Normalize_KeepsAClosingWordThatOpensTheMessage()
    {
        // "Thanks" as the first line is content, not the start of a signature.
        Assert.Equal("thanks for the quick fix yesterday, but it is down again", TextNormalizer.Normalize("Thanks\nfor the quick fix yesterday, but it is down again"));
    }

    [Fact]
    public void Normalize_SpanOverloadMatchesStringOverload()
    {
        const string source = "Über   Größe  ÆON";
        var destination = new char[TextNormalizer.MaxOutputLength(source.Length)];
        var n = TextNormalizer.Normalize(source, destination);

        Assert.Equal(TextNormalizer.Normalize(source), new string(destination, 0, n));
        Assert.Equal("uber grosse aeon", new string(destination, 0, n));
    }
}
