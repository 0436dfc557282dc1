using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Tests.Signals;

/// <summary>The e-mail domain is derived from the customer record and tested for concentration like any attribute.</summary>
public sealed class EmailDomainTests
{
    private static readonly DateTimeOffset At = new(2025, 2, 6, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Dana.Whitfield17@Outlook.COM", "outlook.com")]
    [InlineData("ops@acme-corp.com.", "acme-corp.com")]
    [InlineData("odd@name@hotmail.com", "hotmail.com")]
    public void Derive_adds_the_lower_case_domain_of_the_address(string email, string domain)
    {
        var derived = TicketAttributes.Derive(new Dictionary<string, string> { [AttributeKeys.Email] = email }, At);
        Assert.Equal(domain, derived[AttributeKeys.EmailDomain]);
    }

    [Theory]
    [InlineData("no-at-sign")]
    [InlineData("name@")]
    public void An_address_without_a_domain_derives_nothing(string email)
    {
        var derived = TicketAttributes.Derive(new Dictionary<string, string> { [AttributeKeys.Email] = email }, At);
        Assert.False(derived.ContainsKey(AttributeKeys.EmailDomain));
    }

    [Fact]
    public void A_pattern_of_one_mail_providers_customers_concentrates_on_its_domain_not_on_the_addresses()
    {
        string[] providers = ["gmail.com", "gmail.com", "gmail.com", "outlook.com", "yahoo.com", "own-1.com", "own-2.com", "own-3.com", "own-4.com", "own-5.com"];
        var reference = new AttributeBaseline();
        for (var i = 0; i < 1000; i++)
        {
            reference.Add(TicketAttributes.Derive(new Dictionary<string, string> { [AttributeKeys.Email] = $"c{i}@{providers[i % 10]}" }, At));
        }

        // 12 tickets from 12 outlook.com customers, 2 from gmail: "my sign-in code never arrives".
        var members = Enumerable.Range(0, 14)
            .Select(i => (IReadOnlyDictionary<string, string>)TicketAttributes.Derive(
                new Dictionary<string, string> { [AttributeKeys.Email] = $"m{i}@{(i < 12 ? "outlook.com" : "gmail.com")}" }, At))
            .ToList();

        var found = AttributeConcentration.Find(members, reference, new ConcentrationOptions(ReferenceIncludesMembers: false));

        var top = Assert.Single(found);
        Assert.Equal((AttributeKeys.EmailDomain, "outlook.com"), (top.Key, top.Value));
        Assert.Equal("e-mail at outlook.com: 86% vs 10% baseline", top.Evidence);
    }
}
