using Bunit;
using MudBlazor.Extensions;
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

    [Fact]
    public async Task A_picked_status_survives_a_reload_that_left_the_ticket_as_it_was_and_is_applied_on_change()
    {
        RenderProviders();
        var id = await AddTicketAsync("Refund");
        var changed = 0;
        var picker = Render<StatusPicker>(p => p.Add(s => s.TicketId, id).Add(s => s.Status, TicketStatus.New).Add(s => s.Changed, () => changed++));
        Assert.True(picker.Find("[data-test=status-change]").HasAttribute("disabled"));

        var select = picker.FindComponent<MudBlazor.MudSelect<TicketStatus>>();
        await picker.InvokeAsync(() => select.Instance.SelectOption(TicketStatus.Pending));
        Assert.False(picker.Find("[data-test=status-change]").HasAttribute("disabled"));

        // A live reload (a reply, a triage) renders the page again with the same stored status: the pick stays.
        picker.Render(p => p.Add(s => s.TicketId, id).Add(s => s.Status, TicketStatus.New));
        Assert.Equal(TicketStatus.Pending, select.Instance.GetState(x => x.Value));
        Assert.False(picker.Find("[data-test=status-change]").HasAttribute("disabled"));

        await picker.Find("[data-test=status-change]").ClickAsync(new());
        picker.WaitForAssertion(() => Assert.Equal(1, changed));
        await using (var db = CreateDbContext())
        {
            Assert.Equal(TicketStatus.Pending, (await db.Tickets.SingleAsync(t => t.Id == id, Ct)).Status);
        }

        // Someone else moved the stored status: the picker follows it; so it does for another ticket.
        picker.Render(p => p.Add(s => s.TicketId, id).Add(s => s.Status, TicketStatus.Solved));
        Assert.Equal(TicketStatus.Solved, select.Instance.GetState(x => x.Value));
        await picker.InvokeAsync(() => select.Instance.SelectOption(TicketStatus.Open));
        picker.Render(p => p.Add(s => s.TicketId, id + 1).Add(s => s.Status, TicketStatus.Solved));
        Assert.Equal(TicketStatus.Solved, select.Instance.GetState(x => x.Value));
        Assert.True(picker.Find("[data-test=status-change]").HasAttribute("disabled"));
    }
}
