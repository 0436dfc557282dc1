using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Live;
using TicketTriage.Web.Features.Tickets;
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
    public async Task An_unknown_ticket_is_a_404_with_the_apps_own_page()
    {
        using var client = await AgentAsync();
        var page = await client.GetPageAsync("/tickets/987654321", HttpStatusCode.NotFound);
        Assert.NotNull(page.QuerySelector("[data-page=not-found]"));
    }

    [Fact]
    public async Task The_page_runs_in_a_circuit_and_its_only_form_is_sign_out()
    {
        var id = await Seed.TicketAsync(factory, "Circuit");
        using var client = await AgentAsync();

        var page = await client.GetPageAsync($"/tickets/{id}");

        // Prerendered for the first answer, then interactive: the markers blazor.web.js starts the circuit from.
        Assert.Contains("Blazor:", page.DocumentElement.OuterHtml, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("script[src*='blazor.web']"));
        var form = Assert.Single(page.QuerySelectorAll("form"));
        Assert.Equal("/signout", form.GetAttribute("action"));
        Assert.NotNull(form.QuerySelector("input[name=__RequestVerificationToken]"));
    }

    [Fact]
    public async Task A_public_reply_and_an_internal_note_are_stored_with_their_author_and_announced()
    {
        var id = await Seed.TicketAsync(factory, "Reply");
        var agent = await Seed.UserAsync(factory, $"replier-{Guid.NewGuid():N}@example.com", UserRole.Agent, "agent-password-1");
        var replies = factory.Services.GetRequiredService<TicketReplies>();
        var live = factory.Services.GetRequiredService<LiveEvents>();
        var announced = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = live.Subscribe(batch =>
        {
            foreach (var changed in batch.OfType<TicketsChanged>().Where(c => c.TicketIds.Contains(id)))
            {
                announced.TrySetResult(id);
            }

            return Task.CompletedTask;
        }, TimeSpan.FromMilliseconds(10));

        Assert.Null(await replies.ReplyAsync(id, new Actor(agent, "Replier"), "  Refund issued.  ", isInternal: false, Ct));
        Assert.Null(await replies.ReplyAsync(id, new Actor(agent, "Replier"), "Customer is on node-209.", isInternal: true, Ct));

        Assert.Equal(id, await announced.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        await using var db = factory.CreateDbContext();
        var messages = await db.TicketMessages.Where(m => m.TicketId == id).OrderBy(m => m.Id).ToListAsync(Ct);
        Assert.Collection(messages,
            m => { Assert.Equal("Refund issued.", m.Body); Assert.False(m.IsInternal); Assert.Equal(agent, m.AuthorUserId); },
            m => { Assert.Equal("Customer is on node-209.", m.Body); Assert.True(m.IsInternal); });

        using var client = await AgentAsync();
        var page = await client.GetPageAsync($"/tickets/{id}");
        Assert.Equal(["Customer", "Agent", "Agent"], page.QuerySelectorAll("#conversation article").Select(a => a.GetAttribute("data-author-kind")!));
        Assert.Equal("true", page.QuerySelectorAll("#conversation article").Last().GetAttribute("data-internal"));
    }

    [Theory]
    [InlineData("", "Write something before sending.")]
    [InlineData("   ", "Write something before sending.")]
    public async Task An_empty_reply_is_refused_with_a_message_for_people_and_stores_nothing(string body, string message)
    {
        var id = await Seed.TicketAsync(factory, "Empty reply");
        var replies = factory.Services.GetRequiredService<TicketReplies>();

        Assert.Equal(message, await replies.ReplyAsync(id, new Actor(1, "Admin"), body, isInternal: false, Ct));
        Assert.StartsWith("A message holds at most", await replies.ReplyAsync(id, new Actor(1, "Admin"), new string('x', Web.Data.Configurations.Limits.Body + 1), false, Ct), StringComparison.Ordinal);

        await using var db = factory.CreateDbContext();
        Assert.False(await db.TicketMessages.AnyAsync(m => m.TicketId == id, Ct));
    }

    [Fact]
    public async Task A_status_change_is_stored_and_noted_in_the_conversation_by_name()
    {
        var id = await Seed.TicketAsync(factory, "Status");
        var replies = factory.Services.GetRequiredService<TicketReplies>();

        Assert.True(await replies.ChangeStatusAsync(id, new Actor(1, "Pat"), TicketStatus.Pending, Ct));
        Assert.True(await replies.ChangeStatusAsync(id, new Actor(1, "Pat"), TicketStatus.Pending, Ct));
        Assert.False(await replies.ChangeStatusAsync(987654321, new Actor(1, "Pat"), TicketStatus.Pending, Ct));

        await using var db = factory.CreateDbContext();
        Assert.Equal(TicketStatus.Pending, (await db.Tickets.SingleAsync(t => t.Id == id, Ct)).Status);
        var note = Assert.Single(await db.TicketMessages.Where(m => m.TicketId == id).ToListAsync(Ct));
        Assert.Equal("Status changed from New to Pending by Pat.", note.Body);
        Assert.Equal(MessageAuthorKind.System, note.AuthorKind);
    }
}
