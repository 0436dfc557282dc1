using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Tests.Signals;

public sealed class ConcentrationMatchTests
{
    private static Concentration Of(string key, string value) => new(key, value, 10, 10, 1, 0.1, 10, 1e-9, "");

    [Fact]
    public void A_ticket_matches_a_value_exactly_and_an_ordinal_range_inclusively()
    {
        var range = Of(AttributeKeys.UsernameInitial, "a–b");
        Assert.True(range.Matches(new Dictionary<string, string> { [AttributeKeys.UsernameInitial] = "a" }));
        Assert.True(range.Matches(new Dictionary<string, string> { [AttributeKeys.UsernameInitial] = "b" }));
        Assert.False(range.Matches(new Dictionary<string, string> { [AttributeKeys.UsernameInitial] = "c" }));
        Assert.False(range.Matches(new Dictionary<string, string>()));

        var server = Of(AttributeKeys.Server, "node-209");
        Assert.True(server.Matches(new Dictionary<string, string> { [AttributeKeys.Server] = "node-209" }));
        Assert.False(server.Matches(new Dictionary<string, string> { [AttributeKeys.Server] = "node-2090" }));
    }
}
