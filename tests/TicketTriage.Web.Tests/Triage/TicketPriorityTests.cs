using TicketTriage.Web.Features.Triage;

namespace TicketTriage.Web.Tests.Triage;

public sealed class TicketPriorityTests
{
    private static readonly DateTime Now = new(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);

    private static PriorityInput Ticket(string subject = "Question about invoices", string body = "Where do I find my invoice?",
        TimeSpan? age = null, string? tier = null, bool open = true) =>
        new(subject, body, Now - (age ?? TimeSpan.FromMinutes(5)), open, tier);

    [Fact]
    public void A_fresh_ordinary_ticket_has_the_base_score_and_no_reasons()
    {
        var result = TicketPriority.Compute(Ticket(), Now);
        Assert.Equal(TicketPriority.Base, result.Score);
        Assert.Empty(result.Reasons);
    }

    [Fact]
    public void Tier_SLA_urgency_and_age_each_add_points_with_a_reason()
    {
        var result = TicketPriority.Compute(Ticket("URGENT: shop down", "All sites down, losing money", TimeSpan.FromHours(30), "enterprise"), Now);
        Assert.Contains(result.Reasons, r => r.StartsWith("customer tier enterprise (+20)", StringComparison.Ordinal));
        Assert.Contains(result.Reasons, r => r.StartsWith("SLA overdue by 29 h", StringComparison.Ordinal));
        Assert.Contains(result.Reasons, r => r.StartsWith("urgent words: \"urgent\", \"down\", \"all sites\"", StringComparison.Ordinal));
        Assert.Contains(result.Reasons, r => r.StartsWith("open 30 h (+5)", StringComparison.Ordinal));
        Assert.True(result.Score > 70);
    }

    [Fact]
    public void SLA_due_soon_is_a_reason_before_it_is_overdue()
    {
        // Priority tier: 2 h window; at 1 h 40 min, 20 min are left (under a quarter).
        var result = TicketPriority.Compute(Ticket(age: TimeSpan.FromMinutes(100), tier: "priority"), Now);
        Assert.Contains(result.Reasons, r => r.StartsWith("SLA due in 20 min (+15)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_closed_ticket_gets_no_SLA_or_age_points()
    {
        var result = TicketPriority.Compute(Ticket(age: TimeSpan.FromDays(5), open: false), Now);
        Assert.Equal(TicketPriority.Base, result.Score);
    }

    [Fact]
    public void An_emerging_growing_pattern_linked_to_a_change_raises_its_tickets()
    {
        var alone = TicketPriority.Compute(Ticket(), Now);
        var inPattern = TicketPriority.Compute(Ticket() with { PatternSize = 32, PatternLastHour = 12, PatternEmerging = true, LinkedChange = "batch 3" }, Now);
        Assert.True(inPattern.Score >= alone.Score + 50, $"{inPattern.Score} vs {alone.Score}");
        Assert.Equal(["pattern emerging (+20)", "pattern of 32 tickets (+15)", "pattern growing: 12 in the last hour (+10)", "pattern linked to change \"batch 3\" (+10)"], inPattern.Reasons);
    }

    [Fact]
    public void The_score_is_capped_at_100()
    {
        var result = TicketPriority.Compute(Ticket("URGENT outage, site down, hacked", "emergency, critical, asap", TimeSpan.FromDays(9), "enterprise")
            with { PatternSize = 5000, PatternLastHour = 500, PatternEmerging = true, LinkedChange = "x" }, Now);
        Assert.Equal(100, result.Score);
    }

    [Fact]
    public void Urgency_words_are_whole_words_only()
    {
        Assert.Empty(TicketPriority.UrgencyWords("Download the downloads; a lowdown"));
        Assert.Equal(["down"], TicketPriority.UrgencyWords("Site is DOWN. down again"));
    }
}
