using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Tickets;

namespace TicketTriage.Web.Tests.Components;

public sealed class ConversationTests
{
    private static readonly DateTime At = ComponentHarness.Now.UtcDateTime.AddHours(-2);

    private static ConversationEntry[] Entries() =>
    [
        new(0, MessageAuthorKind.Customer, "Ada", false, "My site is down.\nPlease help.", At),
        new(7, MessageAuthorKind.Agent, "Alex Agent", false, "Looking into it.", At.AddMinutes(5)),
        new(8, MessageAuthorKind.Agent, "Alex Agent", true, "Probably node-209 again.", At.AddMinutes(6)),
        new(9, MessageAuthorKind.System, "System", true, "Status changed from New to Open by Alex Agent.", At.AddMinutes(7)),
    ];

    [Fact]
    public async Task Messages_appear_in_order_with_author_and_visibility()
    {
        await using var harness = new ComponentHarness();
        var root = await harness.RenderAsync<Conversation>(new { Entries = Entries() });

        var messages = root.QuerySelectorAll("article.message").ToList();
        Assert.Equal(["message-0", "message-7", "message-8", "message-9"], messages.Select(m => m.Id));
        Assert.Equal("My site is down.\nPlease help.", messages[0].QuerySelector(".message-body")!.TextContent);
        Assert.Equal("Alex Agent", messages[1].QuerySelector(".author")!.TextContent);
        Assert.Equal("Public reply", messages[1].QuerySelector(".badge")!.TextContent);
        Assert.Equal("true", messages[2].GetAttribute("data-internal"));
        Assert.Contains("message-internal", messages[2].ClassList);
        Assert.Equal("Internal note", messages[2].QuerySelector(".badge")!.TextContent);
        Assert.Equal("false", messages[1].GetAttribute("data-internal"));
    }

    [Fact]
    public async Task Hostile_message_text_is_encoded()
    {
        const string hostile = "</div><script>window.__pwned=1</script><a href=\"javascript:alert(1)\">x</a>";
        await using var harness = new ComponentHarness();
        var root = await harness.RenderAsync<Conversation>(new
        {
            Entries = new ConversationEntry[] { new(0, MessageAuthorKind.Customer, "<b>Mallory</b>", false, hostile, At) },
        });

        Assert.Empty(root.QuerySelectorAll("script"));
        Assert.Empty(root.QuerySelectorAll("a"));
        Assert.Empty(root.QuerySelectorAll("b"));
        Assert.Equal(hostile, root.QuerySelector(".message-body")!.TextContent);
        Assert.Equal("<b>Mallory</b>", root.QuerySelector(".author")!.TextContent);
    }

    [Fact]
    public async Task The_fragment_has_no_form_and_updates_the_status_badge_out_of_band_when_asked()
    {
        await using var harness = new ComponentHarness();
        var without = await harness.RenderAsync<Conversation>(new { Entries = Entries() });
        var with = await harness.RenderAsync<Conversation>(new { Entries = Entries(), Status = (TicketStatus?)TicketStatus.Solved });

        Assert.Empty(with.QuerySelectorAll("form"));
        Assert.Null(without.QuerySelector("#ticket-status"));
        var badge = with.QuerySelector("#ticket-status")!;
        Assert.Equal("true", badge.GetAttribute("hx-swap-oob"));
        Assert.Equal("Solved", badge.QuerySelector("[data-status]")!.TextContent);
    }
}
