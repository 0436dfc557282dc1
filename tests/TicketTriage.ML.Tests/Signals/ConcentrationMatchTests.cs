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

    [Fact]
    public void A_ticket_matches_a_set_only_on_one_of_its_whole_values()
    {
        var set = Of(AttributeKeys.Server, "sh-01|sh-02|sh-10");
        bool On(string server) => set.Matches(new Dictionary<string, string> { [AttributeKeys.Server] = server });

        Assert.True(On("sh-01"));
        Assert.True(On("sh-10"));
        Assert.False(On("sh-1"));
        Assert.False(On("sh-100"));
        Assert.False(On("sh-01|sh-02"));
        Assert.False(On(""));
    }
}
