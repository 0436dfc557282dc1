using TicketTriage.ML.Engine;

namespace TicketTriage.ML.Tests.Engine;

/// <summary>
/// A candidate burst is flagged on counts of the union of young patterns, shown on the card of one of them: the
/// evidence must say whose counts they are, or a card of 2 tickets reads "12 tickets of the last 12".
/// </summary>
public sealed class UnionEvidenceTests
{
    [Fact]
    public void Evidence_of_a_union_names_the_patterns_it_counted()
    {
        Assert.Equal("12 tickets in 30 min (counted over this pattern and 3 young patterns like it)",
            TriageEngine.UnionEvidence("12 tickets in 30 min", 4));
        Assert.Equal("5 tickets in 30 min (counted over this pattern and 1 young pattern like it)",
            TriageEngine.UnionEvidence("5 tickets in 30 min", 2));
    }

    [Fact]
    public void Evidence_of_a_single_pattern_is_left_as_it_is() =>
        Assert.Equal("5 tickets in 30 min", TriageEngine.UnionEvidence("5 tickets in 30 min", 1));
}
