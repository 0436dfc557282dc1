using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Live;
using TicketTriage.Web.Features.Patterns;
using TicketTriage.Web.Features.Tickets;

namespace TicketTriage.Web.Tests.Components;

public sealed class PatternComponentTests : ComponentFixture
{
    private static readonly DateTime Clock = new(2026, 12, 3, 10, 30, 0, DateTimeKind.Utc);

    private async Task<Pattern> AddPatternAsync(long id, string title, PatternStatus status, int size, string? concentrations = null, string? arrivals = null)
    {
        await using var db = CreateDbContext();
        var pattern = new Pattern
        {
            Id = id, Title = title, Status = status, Size = size, FirstSeen = Clock.AddHours(-3), LastSeen = Clock,
            EmergingSince = status == PatternStatus.Emerging ? Clock.AddMinutes(-20 + id) : null, // a higher id was flagged later
            EmergenceEvidence = status == PatternStatus.Emerging ? "9 tickets in 20 min vs 0.4 expected" : null,
            ConcentrationsJson = concentrations ?? "[]", ArrivalsJson = arrivals ?? "[]", UpdatedAt = Clock,
        };
        db.Patterns.Add(pattern);
        await db.SaveChangesAsync(Ct);
        return pattern;
    }

    private async Task<List<long>> AddTicketsAsync(long patternId, int count)
    {
        await using var db = CreateDbContext();
        var tickets = Enumerable.Range(0, count).Select(i => new Ticket
        {
            Source = "test", ExternalId = Guid.NewGuid().ToString("N"), Channel = "email", Subject = $"Restore failed {i}", Body = "…",
            CreatedAt = Clock.AddMinutes(-i), UpdatedAt = Clock, ReceivedAt = Clock, PatternId = patternId, PatternSimilarity = 0.9 - (i / 100.0), TriagedAt = Clock,
        }).ToList();
        db.Tickets.AddRange(tickets);
        await db.SaveChangesAsync(Ct);
        return [.. tickets.Select(t => t.Id)];
    }

    [Fact]
    public async Task The_board_lists_emerging_patterns_first_and_shows_a_new_one_live_with_a_snackbar()
    {
        RenderProviders();
        var snackbars = Render<MudSnackbarProvider>();
        var hour = (long)(Clock - DateTime.UnixEpoch).TotalHours; // the stored series counts hours since the epoch
        await AddPatternAsync(1, "password reset email", PatternStatus.New, 40, arrivals: $"[[{hour - 1},3],[{hour},5]]");
        await AddPatternAsync(2, "restore failed rst-42", PatternStatus.Emerging, 12,
            concentrations: """[{"attribute":"server","value":"node-209","share":0.91,"baselineShare":0.07,"lift":13,"pValue":0.0001},{"attribute":"mailingLists","value":"yes","share":1,"baselineShare":0.12,"lift":8,"pValue":0.0001}]""");
        var board = Render<PatternBoardPage>();

        board.WaitForAssertion(() => Assert.Equal(["2", "1"], board.FindAll("[data-test=pattern-card]").Select(c => c.GetAttribute("data-pattern-id"))));
        var emerging = board.Find("[data-pattern-id='2']");
        Assert.Equal("emerging", emerging.QuerySelector("[data-test=pattern-status]")!.TextContent.Trim());
        // Each chip names what the tickets share, not a bare value ("yes" alone says nothing).
        Assert.Equal(["on node-209: 91% vs 7%", "mailingLists = yes: 100% vs 12%"],
            emerging.QuerySelectorAll("[data-test=concentration]").Select(c => c.TextContent.Trim()));
        Assert.Contains("5 last hour", board.Find("[data-pattern-id='1']").TextContent, StringComparison.Ordinal);

        await AddPatternAsync(3, "<script>alert(1)</script> mail bounces", PatternStatus.Emerging, 6);
        var live = Services.GetRequiredService<LiveEvents>();
        live.Publish(new PatternsChanged([3]));
        live.Publish(new PatternEmerging(3, "<script>alert(1)</script> mail bounces", "6 tickets in 5 min"));

        board.WaitForAssertion(() => Assert.Equal("3", board.FindAll("[data-test=pattern-card]")[0].GetAttribute("data-pattern-id")));
        Assert.Equal("<script>alert(1)</script> mail bounces", board.Find("[data-pattern-id='3'] [data-test=pattern-title]").TextContent);
        Assert.Empty(board.FindAll("script"));
        snackbars.WaitForAssertion(() => Assert.Contains("New emerging pattern #3", snackbars.Markup, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1, "1 ticket")]
    [InlineData(2, "2 tickets")]
    public void A_card_counts_its_tickets_in_words_that_agree(int size, string expected)
    {
        var card = new PatternCard(7, "restore failed", PatternStatus.New, size, 0, 0, [], [], [], null, null, Clock);

        var view = Render<PatternCardView>(p => p.Add(c => c.Card, card));

        Assert.Equal(expected, view.Find(".pattern-numbers > span").TextContent.Trim());
    }

    [Fact]
    public async Task Splitting_selected_tickets_on_the_pattern_page_makes_a_new_pattern_and_audits_it()
    {
        SignInAsLead();
        RenderProviders();
        await AddPatternAsync(5, "restore failed", PatternStatus.Emerging, 4);
        var ids = await AddTicketsAsync(5, 4);
        var page = Render<PatternPage>(p => p.Add(x => x.Id, 5));
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-test=select-ticket]").Count));
        Assert.Equal("/patterns/5/reply", page.Find("[data-test=reply-all]").GetAttribute("href"));
        Assert.Equal("/patterns/5/incident", page.Find("[data-test=incident-update]").GetAttribute("href"));
        Assert.True(page.Find("[data-test=split]").HasAttribute("disabled"));

        // Change is fire-and-forget: when the renderer is busy (MudBlazor's after-render work under CI load) the event is
        // queued and the count read before it applies ("0 selected" on CI). Await each event, then wait for the count.
        await page.Find($"tr[data-ticket-id='{ids[1]}'] [data-test=select-ticket]").ChangeAsync(new ChangeEventArgs { Value = true });
        await page.Find($"tr[data-ticket-id='{ids[2]}'] [data-test=select-ticket]").ChangeAsync(new ChangeEventArgs { Value = true });
        page.WaitForAssertion(() => Assert.Equal("2 selected", page.Find("[data-test=selected-count]").TextContent));
        await page.Find("[data-test=split]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-test=select-ticket]").Count));
        await using var db = CreateDbContext();
        var created = await db.Patterns.AsNoTracking().SingleAsync(p => p.Id == 6, Ct);
        Assert.Equal(2, created.Size);
        Assert.Equal(2, (await db.Patterns.AsNoTracking().SingleAsync(p => p.Id == 5, Ct)).Size);
        Assert.Equal([ids[1], ids[2]], await db.Tickets.Where(t => t.PatternId == 6).OrderBy(t => t.Id).Select(t => t.Id).ToListAsync(Ct));
        var audit = await db.AuditEntries.SingleAsync(Ct);
        Assert.Equal(("lead@example.com", "pattern.split", "pattern:5"), (audit.Actor, audit.Action, audit.Target));
    }

    [Fact]
    public async Task Confirm_on_the_pattern_page_changes_the_status_shown()
    {
        SignInAsLead();
        RenderProviders();
        await AddPatternAsync(8, "mail bounces", PatternStatus.Emerging, 2);
        await AddTicketsAsync(8, 2);
        var page = Render<PatternPage>(p => p.Add(x => x.Id, 8));
        page.WaitForAssertion(() => Assert.Equal("emerging", page.Find("[data-test=pattern-status]").TextContent.Trim()));

        await page.Find("[data-test=confirm]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("confirmed", page.Find("[data-test=pattern-status]").TextContent.Trim()));
        Assert.True(page.Find("[data-test=confirm]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Move_to_pattern_on_the_ticket_page_is_for_leads_only()
    {
        RenderProviders();
        var asAgent = Render<MoveToPattern>(p => p.Add(m => m.TicketId, 1).Add(m => m.PatternId, 5));
        Assert.Empty(asAgent.FindAll("[data-test=move-to-pattern]"));

        SignInAsLead();
        var asLead = Render<MoveToPattern>(p => p.Add(m => m.TicketId, 1).Add(m => m.PatternId, 5));
        Assert.Single(asLead.FindAll("[data-test=move-to-pattern]"));
        Assert.True(asLead.Find("[data-test=ticket-move]").HasAttribute("disabled"));
        await Task.CompletedTask;
    }
}
