using TicketTriage.Cli.Corpus;

namespace TicketTriage.ML.Tests.Corpus;

public sealed class TemplateExpanderTests
{
    private static readonly Random Rng = new(5);
    private static readonly TicketContext Context = new(new Random(1));

    [Fact]
    public void Slots_take_the_tickets_own_values()
    {
        Assert.Equal($"Site {Context.Domain} on {Context.Server}", TemplateExpander.Expand("Site {domain} on {server}", Context, Rng));
        Assert.Equal(TemplateExpander.Expand("{domain}", Context, Rng), TemplateExpander.Expand("{domain}", Context, Rng));
    }

    [Fact]
    public void Alternatives_nest_and_may_be_empty()
    {
        var seen = new HashSet<string>();
        var rng = new Random(2);
        for (var i = 0; i < 200; i++) seen.Add(TemplateExpander.Expand("a{|b{c|d}}e", Context, rng));
        Assert.Equal(new HashSet<string> { "ae", "abce", "abde" }, seen);
    }

    [Fact]
    public void Doubled_braces_are_literal()
    {
        Assert.Equal("#1 {main} x", TemplateExpander.Expand("#1 {{main}} x", Context, Rng));
    }

    [Fact]
    public void An_unknown_slot_throws_instead_of_leaking_into_the_corpus()
    {
        Assert.Throws<FormatException>(() => TemplateExpander.Expand("see {domian}", Context, Rng));
    }

    [Fact]
    public void An_unbalanced_brace_throws()
    {
        Assert.Throws<FormatException>(() => TemplateExpander.Expand("see {domain", Context, Rng));
    }
}
