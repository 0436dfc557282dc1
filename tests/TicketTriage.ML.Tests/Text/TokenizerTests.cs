using TicketTriage.ML.Text;

namespace TicketTriage.ML.Tests.Text;

public sealed class TokenizerTests
{
    [Fact]
    public void Tokenize_SplitsOnPunctuationButJoinsInnerDotsDashesAndApostrophes()
    {
        var tokens = Tokenizer.Tokenize("i can't reach ftp.host-1.example.org: error 0x80004005, v2.4.1 (again).");

        Assert.Equal(["i", "can't", "reach", "ftp.host-1.example.org", "error", "0x80004005", "v2.4.1", "again"], tokens);
    }

    [Fact]
    public void Tokenize_KeepsEmailAddressesAndTimes()
    {
        var tokens = Tokenizer.Tokenize("mail to ann@example.com bounced at 10:30");

        Assert.Equal(["mail", "to", "ann@example.com", "bounced", "at", "10:30"], tokens);
    }

    [Fact]
    public void Tokenize_EmptyAndPunctuationOnlyTextGivesNoTokens()
    {
        Assert.Empty(Tokenizer.Tokenize(""));
        Assert.Empty(Tokenizer.Tokenize(" ... !! -- "));
    }
}
