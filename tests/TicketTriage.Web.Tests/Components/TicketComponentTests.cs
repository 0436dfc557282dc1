using Bunit;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Tickets;

namespace TicketTriage.Web.Tests.Components;

public sealed class TicketComponentTests : ComponentFixture
{
    [Fact]
    public async Task The_reply_box_refuses_an_empty_reply_then_stores_an_internal_note_and_clears()
    {
        RenderProviders();
        var id = await AddTicketAsync("Help");
        var sent = 0;
        var box = Render<ReplyBox>(p => p.Add(b => b.TicketId, id).Add(b => b.OnSent, () => sent++));

        await box.Find("[data-test=reply-send]").ClickAsync(new());
        box.WaitForAssertion(() => Assert.Contains("Write something before sending.", box.Markup, StringComparison.Ordinal));
        Assert.Equal(0, sent);

        box.Find("textarea").Input("Customer is on node-209.");
        box.Find("input[data-test=visibility-internal]").Click();
        await box.Find("[data-test=reply-send]").ClickAsync(new());

        box.WaitForAssertion(() => Assert.Equal(1, sent));
        Assert.Equal("", box.Find("textarea").GetAttribute("value") ?? "");
        await using var db = CreateDbContext();
        var note = await db.TicketMessages.SingleAsync(m => m.TicketId == id, Ct);
        Assert.True(note.IsInternal);
        Assert.Equal("Customer is on node-209.", note.Body);
        Assert.Equal(1, note.AuthorUserId);
    }

    [Fact]
    public void The_conversation_renders_hostile_bodies_as_text_and_marks_internal_notes()
    {
        const string hostile = "<script>alert(1)</script>";
        var now = DateTime.UtcNow;
        var conversation = Render<Conversation>(p => p.Add(c => c.Entries,
        [
            new ConversationEntry(0, MessageAuthorKind.Customer, "Mallory", false, hostile, now),
            new ConversationEntry(5, MessageAuthorKind.Agent, "Alex", true, "Looking into it", now),
        ]));

        Assert.Equal(hostile, conversation.Find("#message-0 .message-body").TextContent);
        Assert.Empty(conversation.FindAll("script"));
        Assert.Contains("message-internal", conversation.Find("#message-5").ClassList);
        Assert.Equal("Internal note", conversation.Find("#message-5 .badge").TextContent);
    }

    [Fact]
    public async Task The_triage_panel_shows_category_confidence_pattern_and_priority_reasons()
    {
        var panel = Render<TriagePanel>(p => p.Add(t => t.Ticket, new Ticket
        {
            Id = 3, TriagedAt = DateTime.UtcNow, Category = "billing", CategoryConfidence = 0.87, PatternId = 12, PatternSimilarity = 0.6,
            PriorityScore = 0.8, PriorityReasons = """["SLA at risk","pattern emerging"]""",
        }));

        Assert.Equal("billing", panel.Find("[data-test=category]").TextContent);
        Assert.Contains("87%", panel.Markup, StringComparison.Ordinal);
        Assert.Equal("/queue?pattern=12", panel.Find("[data-test=pattern]").GetAttribute("href"));
        Assert.Equal(["SLA at risk", "pattern emerging"], panel.FindAll(".reasons li").Select(li => li.TextContent));
        await Task.CompletedTask;
    }
}
