using TicketTriage.Cli.Corpus;
using TicketTriage.Cli.Corpus.Banks;

namespace TicketTriage.ML.Tests.Corpus;

public sealed class CategoryBankTests
{
    public static TheoryData<string> CategoryIds() => [.. CategoryBanks.All.Select(b => b.Id)];

    [Fact]
    public void There_are_fourteen_categories_with_unique_snake_case_ids()
    {
        var ids = CategoryBanks.All.Select(b => b.Id).ToList();
        Assert.Equal(14, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[a-z]+(_[a-z]+)*$", id));
    }

    [Theory]
    [MemberData(nameof(CategoryIds))]
    public void Each_bank_is_rich_enough_and_its_neighbours_exist(string id)
    {
        var bank = CategoryBanks.ById(id);
        Assert.True(bank.Subjects.Length >= 12, "subjects");
        Assert.True(bank.Symptoms.Length >= 15, "symptoms");
        Assert.True(bank.Details.Length >= 10, "details");
        Assert.True(bank.Errors.Length >= 4, "errors");
        Assert.True(bank.Asks.Length >= 5, "asks");
        Assert.True(bank.PhoneNotes.Length >= 4, "phone notes");
        Assert.NotEmpty(bank.SupportReplies);
        Assert.NotEmpty(bank.Neighbours);
        Assert.All(bank.Neighbours, n => Assert.NotEqual(id, CategoryBanks.ById(n).Id));
        Assert.True(SharedPhrases.VagueByCategory.ContainsKey(id));
    }

    [Theory]
    [MemberData(nameof(CategoryIds))]
    public void Every_template_of_a_bank_expands_with_known_slots_only(string id)
    {
        var bank = CategoryBanks.ById(id);
        string[][] lists = [bank.Subjects, bank.Symptoms, bank.Details, bank.Errors, bank.Asks, bank.PhoneNotes, bank.SupportReplies];
        for (var seed = 0; seed < 3; seed++)
        {
            var rng = new Random(seed);
            var context = new TicketContext(rng);
            foreach (var template in lists.SelectMany(l => l))
            {
                var text = TemplateExpander.Expand(template, context, rng); // throws on an unknown slot
                Assert.False(string.IsNullOrWhiteSpace(text), template);
            }
        }
    }

    [Fact]
    public void Every_shared_phrase_expands_with_known_slots_only()
    {
        var lists = typeof(SharedPhrases).GetFields()
            .Where(f => f.FieldType == typeof(string[]))
            .Select(f => (string[])f.GetValue(null)!)
            .Concat(SharedPhrases.VagueByCategory.Values.SelectMany(v => v));
        var rng = new Random(1);
        var context = new TicketContext(rng);
        foreach (var template in lists.SelectMany(l => l)) _ = TemplateExpander.Expand(template, context, rng);
    }
}
