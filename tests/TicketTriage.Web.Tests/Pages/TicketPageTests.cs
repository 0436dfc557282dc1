using System.Net;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Pages;

public sealed class TicketPageTests(TriageAppFactory factory) : IClassFixture<TriageAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<UiClient> AgentAsync() => SignedInAgentAsync(factory);

    internal static async Task<UiClient> SignedInAgentAsync(TriageAppFactory factory)
    {
        var email = $"agent-{Guid.NewGuid():N}@example.com";
        await Seed.UserAsync(factory, email, UserRole.Agent, "agent-password-1");
        return await UiClient.SignedInAsync(factory, email, "agent-password-1");
    }

    [Fact]
    public async Task The_page_shows_the_conversation_and_the_customer_details()
    {
        var id = await Seed.TicketAsync(factory, "Site down", "Everything is 500.", customer: new Customer
        {
            Email = $"ada-{Guid.NewGuid():N}@example.com", Name = "Ada", Username = "ada", Plan = "pro", Tier = "priority",
            Server = "node-209", Datacenter = "ams1", Region = "eu", AttributesJson = """{"php":"8.3","<b>x</b>":"<i>y</i>"}""",
            CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
        });
        using var client = await AgentAsync();

        var page = await client.GetPageAsync($"/tickets/{id}");

        Assert.Equal("Site down", page.QuerySelector("[data-test=ticket-subject]")!.TextContent);
        Assert.Equal("Everything is 500.", page.QuerySelector("#conversation .message-body")!.TextContent);
        var customer = page.QuerySelector("[data-test=customer]")!;
        var details = customer.QuerySelectorAll("dt").Zip(customer.QuerySelectorAll("dd")).ToDictionary(p => p.First.TextContent, p => p.Second.TextContent);
        Assert.Equal("node-209", details["Server"]);
        Assert.Equal("ams1", details["Datacenter"]);
        Assert.Equal("priority", details["Tier"]);
        Assert.Equal("8.3", details["php"]);
        Assert.Equal("<i>y</i>", details["<b>x</b>"]);
        Assert.Empty(customer.QuerySelectorAll("b, i"));
    }

    [Fact]
    public async Task Every_form_on_the_page_posts_to_an_explicit_action_with_a_token()
    {
        var id = await Seed.TicketAsync(factory, "Forms");
        using var client = await AgentAsync();

        var page = await client.GetPageAsync($"/tickets/{id}");

        var forms = page.QuerySelectorAll("main form").ToList();
        Assert.Equal(2, forms.Count);
        Assert.All(forms, form =>
        {
            Assert.Equal("post", form.GetAttribute("method"));
            Assert.StartsWith($"/tickets/{id}/", form.GetAttribute("action"), StringComparison.Ordinal);
            Assert.Equal(form.GetAttribute("action"), form.GetAttribute("hx-post"));
            Assert.NotNull(form.QuerySelector("input[name=__RequestVerificationToken]"));
        });
    }

    [Fact]
    public async Task A_hostile_subject_and_body_are_text_on_the_ticket_page()
    {
        const string hostile = "<script>window.__pwned=1</script>";
        var id = await Seed.TicketAsync(factory, hostile, body: hostile);
        using var client = await AgentAsync();

        var page = await client.GetPageAsync($"/tickets/{id}");

        Assert.Equal(hostile, page.QuerySelector("[data-test=ticket-subject]")!.TextContent);
        Assert.Equal(hostile, page.QuerySelector("#conversation .message-body")!.TextContent);
        Assert.Equal(hostile + " · TicketTriage", page.Title![(page.Title!.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        Assert.Empty(page.QuerySelectorAll("main script"));
    }

    [Fact]
    public async Task An_unknown_ticket_is_404()
    {
        using var client = await AgentAsync();
        await client.GetPageAsync("/tickets/987654321", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_public_reply_from_a_plain_form_is_stored_and_redirects_back()
    {
        var id = await Seed.TicketAsync(factory, "Reply");
        using var client = await AgentAsync();
        var token = await client.TokenAsync($"/tickets/{id}");

        var response = await client.PostFormAsync($"/tickets/{id}/replies", new()
        {
            ["__RequestVerificationToken"] = token, ["body"] = "  We are on it.  ", ["visibility"] = "public",
        });

        await using var db = factory.CreateDbContext();
        var message = await db.TicketMessages.Include(m => m.AuthorUser).SingleAsync(m => m.TicketId == id, Ct);
        UiClient.AssertRedirect(response, $"/tickets/{id}#message-{message.Id}");
        Assert.Equal("We are on it.", message.Body);
        Assert.False(message.IsInternal);
        Assert.Equal(MessageAuthorKind.Agent, message.AuthorKind);
        Assert.StartsWith("agent-", message.AuthorUser!.Email, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_internal_note_through_htmx_is_stored_and_answered_with_the_conversation_fragment()
    {
        var id = await Seed.TicketAsync(factory, "Note");
        using var client = await AgentAsync();
        var token = await client.TokenAsync($"/tickets/{id}");

        var response = await client.PostFormAsync($"/tickets/{id}/replies", new()
        {
            ["__RequestVerificationToken"] = token, ["body"] = "Looks like <node-209>.", ["visibility"] = "internal",
        }, htmx: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fragment = UiClient.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Null(fragment.QuerySelector("html > head > title"));
        var last = fragment.QuerySelectorAll("#conversation article.message").Last();
        Assert.Equal("Looks like <node-209>.", last.QuerySelector(".message-body")!.TextContent);
        Assert.Equal("true", last.GetAttribute("data-internal"));
        await using var db = factory.CreateDbContext();
        Assert.True((await db.TicketMessages.SingleAsync(m => m.TicketId == id, Ct)).IsInternal);
    }

    [Theory]
    [InlineData("", "public")]
    [InlineData("   ", "public")]
    [InlineData("text", "shout")]
    public async Task An_empty_reply_or_unknown_visibility_is_refused_and_stores_nothing(string body, string visibility)
    {
        var id = await Seed.TicketAsync(factory, "Bad reply");
        using var client = await AgentAsync();
        var token = await client.TokenAsync($"/tickets/{id}");

        var response = await client.PostFormAsync($"/tickets/{id}/replies", new()
        {
            ["__RequestVerificationToken"] = token, ["body"] = body, ["visibility"] = visibility,
        }, htmx: true);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var db = factory.CreateDbContext();
        Assert.False(await db.TicketMessages.AnyAsync(m => m.TicketId == id, Ct));
    }

    [Fact]
    public async Task A_status_change_is_stored_noted_in_the_conversation_and_updates_the_badge()
    {
        var id = await Seed.TicketAsync(factory, "Status");
        using var client = await AgentAsync();
        var token = await client.TokenAsync($"/tickets/{id}");

        var response = await client.PostFormAsync($"/tickets/{id}/status", new()
        {
            ["__RequestVerificationToken"] = token, ["status"] = "Pending",
        }, htmx: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fragment = UiClient.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("Pending", fragment.QuerySelector("#ticket-status[hx-swap-oob] [data-status]")!.TextContent);
        await using var db = factory.CreateDbContext();
        Assert.Equal(TicketStatus.Pending, (await db.Tickets.SingleAsync(t => t.Id == id, Ct)).Status);
        var note = await db.TicketMessages.SingleAsync(m => m.TicketId == id, Ct);
        Assert.Equal(MessageAuthorKind.System, note.AuthorKind);
        Assert.StartsWith("Status changed from New to Pending", note.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Deleted")]
    [InlineData("1")]
    [InlineData("")]
    public async Task An_unknown_status_is_refused(string status)
    {
        var id = await Seed.TicketAsync(factory, "Bad status");
        using var client = await AgentAsync();
        var token = await client.TokenAsync($"/tickets/{id}");

        var response = await client.PostFormAsync($"/tickets/{id}/status", new() { ["__RequestVerificationToken"] = token, ["status"] = status });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var db = factory.CreateDbContext();
        Assert.Equal(TicketStatus.New, (await db.Tickets.SingleAsync(t => t.Id == id, Ct)).Status);
    }
}
