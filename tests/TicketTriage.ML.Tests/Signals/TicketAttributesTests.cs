using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Tests.Signals;

public sealed class TicketAttributesTests
{
    private static readonly DateTimeOffset At = new(2023, 11, 11, 13, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Derive_adds_initial_account_age_and_recent_server_change()
    {
        var derived = TicketAttributes.Derive(new Dictionary<string, string>
        {
            [AttributeKeys.Username] = "Bluebird",
            [AttributeKeys.Server] = "node-209",
            [AttributeKeys.AccountCreated] = "2023-10-30",
            [AttributeKeys.ServerChangedAt] = "2023-11-11T00:00:00.0000000+00:00",
        }, At);

        Assert.Equal("b", derived[AttributeKeys.UsernameInitial]);
        Assert.Equal("< 30 days", derived[AttributeKeys.AccountAge]);
        Assert.Equal("yes", derived[AttributeKeys.ServerChangedWithin24h]);
        Assert.Equal("node-209", derived[AttributeKeys.Server]);
    }

    [Theory]
    [InlineData("2023-11-09T12:00:00Z", "no")]
    [InlineData("2023-11-12T00:00:00Z", "no")]
    [InlineData("2023-11-10T13:30:00Z", "yes")]
    public void A_server_changed_more_than_a_day_before_or_after_the_ticket_is_not_recent(string changedAt, string expected)
    {
        var derived = TicketAttributes.Derive(new Dictionary<string, string>
        {
            [AttributeKeys.Server] = "ws-05",
            [AttributeKeys.ServerChangedAt] = changedAt,
        }, At);
        Assert.Equal(expected, derived[AttributeKeys.ServerChangedWithin24h]);
    }

    [Theory]
    [InlineData("9lives", "#")]
    [InlineData("Zed", "z")]
    public void Usernames_not_starting_with_a_letter_share_one_initial(string username, string initial) =>
        Assert.Equal(initial, TicketAttributes.UsernameInitial(username));

    [Theory]
    [InlineData(10, "< 30 days")]
    [InlineData(200, "30–365 days")]
    [InlineData(800, "1–3 years")]
    [InlineData(2000, "> 3 years")]
    public void Account_age_falls_in_bands(int days, string band) =>
        Assert.Equal(band, TicketAttributes.AccountAgeBand(TimeSpan.FromDays(days)));
}
