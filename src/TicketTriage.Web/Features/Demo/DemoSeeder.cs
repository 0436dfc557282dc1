using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Features.Demo;

/// <summary>
/// Demo data on first start (<c>Demo:Seed</c>, on by default, off in tests): a hosting company's ordinary day —
/// customers spread over servers, plans, tiers and datacenters, and a day of everyday tickets with a few messages
/// each. Seeded, so every fresh install shows the same data. Runs only while the database has no customers.
/// </summary>
public sealed class DemoSeeder(IDbContextFactory<TriageDbContext> dbFactory, TimeProvider time, ILogger<DemoSeeder> logger)
{
    public const string Source = "demo";
    public const int CustomerCount = 400;
    public const int TicketCount = 600;

    private static readonly string[] Plans = ["starter", "starter", "starter", "business", "business", "pro", "reseller"];
    private static readonly string[] Tiers = ["standard", "standard", "standard", "priority", "enterprise"];
    private static readonly string[] Channels = ["email", "email", "web", "web", "chat", "phone"];
    private static readonly string[] FirstNames = ["Ann", "Bram", "Chloe", "Dev", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas", "Kofi", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara", "Uma", "Viktor", "Wen", "Yusuf", "Zoe"];
    private static readonly string[] LastNames = ["Andersen", "Bakker", "Chen", "Dubois", "Evans", "Fischer", "Garcia", "Hughes", "Ivanova", "Jansen", "Kumar", "Lopez", "Moreau", "Nakamura", "Okafor", "Petrov", "Rossi", "Schmidt", "Tanaka", "Varga", "Weber", "Yilmaz"];
    private static readonly string[] Tlds = ["com", "net", "org", "io", "shop", "de", "nl", "co.uk"];
    private static readonly string[] Words = ["green", "river", "bakery", "studio", "cycle", "atlas", "maple", "pixel", "harbor", "summit", "lotus", "nova", "craft", "orbit", "fable"];

    /// <summary>(subject, body) templates; {site}, {server}, {code}, {mailbox}, {n} are filled per ticket.</summary>
    private static readonly (string Subject, string Body)[] Templates =
    [
        ("Website shows 500 Internal Server Error", "Hi, since about an hour {site} shows a 500 Internal Server Error on every page. I did not change anything. Can you check the server logs?"),
        ("Site very slow today", "Pages on {site} take 8-10 seconds to load since this morning. Is something going on with {server}?"),
        ("Cannot send email from Outlook", "Outlook keeps asking for my password when sending from {mailbox}. Receiving works fine. Error: {code}."),
        ("Emails going to spam at Gmail", "Our newsletters from {mailbox} land in spam for Gmail users. Do we have SPF and DKIM set up correctly for {site}?"),
        ("SSL certificate expired", "Browsers show 'Your connection is not private' on {site}. The certificate seems to have expired yesterday. Auto-renew was on."),
        ("How do I point my domain to you?", "I bought {site} elsewhere. Which nameservers or A record should I use to point it to my hosting account?"),
        ("DNS changes not showing", "I changed the MX records for {site} six hours ago but mail still goes to the old provider. How long does propagation take?"),
        ("Invoice question", "I was charged twice this month (invoice {n}). Could you refund the duplicate charge?"),
        ("Upgrade my plan", "We are growing and need more disk space. What does it cost to move from our current plan to the next one, and is there downtime?"),
        ("Password reset not arriving", "I requested a password reset for the control panel three times but no email arrives. Please help, I am locked out."),
        ("Restore a backup please", "I deleted a folder by mistake yesterday. Can you restore public_html/uploads for {site} from the backup of two days ago?"),
        ("FTP connection refused", "FileZilla says 'Connection refused' when connecting to {server} on port 21. It worked last week."),
        ("Database connection error", "WordPress on {site} says 'Error establishing a database connection'. The database user has not changed."),
        ("PHP version change", "A plugin needs PHP 8.2. How do I switch {site} from 8.1 to 8.2, and will anything break?"),
        ("WordPress plugin update broke my site", "After updating a plugin {site} is a white screen. I can't reach wp-admin. Can you disable the plugin for me?"),
        ("Cron job not running", "My cron job for {site} (every 15 minutes) has not run since yesterday according to its log. Nothing changed on our side."),
        ("Disk quota warning", "I got a warning that my account is at 95% of its disk quota. What is taking the space? I only have one small site."),
        ("SSH key login not working", "I added my public key in the panel but SSH to {server} still asks for a password. Permission denied (publickey)."),
        ("Domain renewal failed", "The auto-renewal for {site} failed with 'payment declined'. I updated my card; please retry the renewal before it expires."),
        ("Mailbox full", "{mailbox} says the mailbox is full. Can you increase the quota or tell me how to archive old mail?"),
        ("Request to cancel account", "We are closing the business at the end of the month. Please tell me how to cancel and download a full backup first."),
        ("Contact form emails not received", "The contact form on {site} says 'sent' but we never receive the messages at {mailbox}."),
        ("Too many redirects", "{site} fails with ERR_TOO_MANY_REDIRECTS after I enabled HTTPS in the panel."),
        ("Add a second domain", "How do I add another domain as an addon to my account, with its own folder and email?"),
        ("Staging site setup", "Can I create a staging copy of {site} to test a new theme before going live?"),
        ("Webmail login error", "Webmail shows '{code}' when I log in with {mailbox}. The password is correct, it works on my phone."),
        ("Large file upload fails", "Uploading a 200 MB video through WordPress fails with 'exceeds the maximum upload size'. Can the limit be raised?"),
        ("Hacked site?", "Google shows a warning that {site} may be hacked and there are strange Japanese pages in search results. What should I do?"),
        ("Question about bandwidth", "Is there a bandwidth limit on my plan? We expect a traffic peak next week for a product launch."),
        ("Migrate from another host", "We want to move three sites from our current host to you. Do you offer free migration, and how long does it take?"),
    ];

    private static readonly string[] Codes = ["535 5.7.8 Authentication failed", "0x800CCC0E", "421 Too many connections", "IMAP AUTHENTICATE failed", "550 5.1.1 User unknown"];

    private static readonly string[] AgentReplies =
    [
        "Thanks for reaching out. I'm looking into this now and will update you shortly.",
        "I've checked the server and found the cause; it should be resolved now. Could you confirm on your side?",
        "Could you send us a screenshot of the error and the exact time it happened? That will help us find it in the logs.",
        "I've escalated this to our systems team; we'll get back to you as soon as we have an update.",
        "This is done. Let us know if there is anything else we can help with.",
    ];

    private static readonly string[] InternalNotes =
    [
        "Checked logs on the server, nothing unusual in the last hour.",
        "Customer is on an old PHP version; suggested upgrade.",
        "Looks like a local client issue, not server side.",
        "Refund approved by billing.",
    ];

    private static readonly string[] CustomerFollowUps =
    [
        "Thanks, it works again!",
        "Still the same problem here, I'm afraid.",
        "Any update on this? It's affecting our customers.",
        "Screenshot attached. It happened around 09:40.",
    ];

    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Customers.AnyAsync(cancellationToken))
        {
            return;
        }

        var started = time.GetTimestamp();
        var now = time.GetUtcNow().UtcDateTime;
        var random = new Random(20261121);
        var staff = await db.Users.AsNoTracking().Where(u => u.Role != UserRole.Admin).Select(u => u.Id).ToListAsync(cancellationToken);
        db.ChangeTracker.AutoDetectChangesEnabled = false;

        var customers = Enumerable.Range(0, CustomerCount).Select(i => NewCustomer(i, random, now)).ToList();
        db.Customers.AddRange(customers);
        await db.SaveChangesAsync(cancellationToken);

        var tickets = new List<Ticket>(TicketCount);
        for (var i = 0; i < TicketCount; i++)
        {
            tickets.Add(NewTicket(i, customers[random.Next(customers.Count)], staff, random, now));
        }

        db.Tickets.AddRange(tickets);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Demo data: {Customers} customers and {Tickets} tickets in {Elapsed:N0} ms.",
            customers.Count, tickets.Count, time.GetElapsedTime(started).TotalMilliseconds);
    }

    private static Customer NewCustomer(int i, Random random, DateTime now)
    {
        var first = FirstNames[random.Next(FirstNames.Length)];
        var last = LastNames[random.Next(LastNames.Length)];
        // web-101…web-140 are shared hosting; node-201…node-215 are VPS nodes. Each server lives in one datacenter.
        var shared = random.NextDouble() < 0.75;
        var number = shared ? 101 + random.Next(40) : 201 + random.Next(15);
        var datacenter = (number % 3) switch { 0 => "ams1", 1 => "dal1", _ => "sgp1" };
        var plan = shared ? Plans[random.Next(Plans.Length)] : random.NextDouble() < 0.5 ? "pro" : "reseller";
        var username = $"{first[0]}{last}{i}".ToLowerInvariant();
        return new Customer
        {
            Email = $"{first}.{last}.{i}@example.net".ToLowerInvariant(),
            Username = username,
            Name = $"{first} {last}",
            Plan = plan,
            Tier = Tiers[random.Next(Tiers.Length)],
            Server = shared ? $"web-{number}" : $"node-{number}",
            Datacenter = datacenter,
            Region = datacenter switch { "ams1" => "eu-west", "dal1" => "us-central", _ => "ap-southeast" },
            AttributesJson = $$"""{"site":"{{Words[random.Next(Words.Length)]}}{{Words[random.Next(Words.Length)]}}.{{Tlds[random.Next(Tlds.Length)]}}","since":"{{now.AddDays(-random.Next(30, 3000)):yyyy-MM-dd}}"}""",
            CreatedAt = now.AddDays(-random.Next(30, 3000)),
            UpdatedAt = now,
        };
    }

    private static Ticket NewTicket(int i, Customer customer, List<int> staff, Random random, DateTime now)
    {
        var (subject, body) = Templates[random.Next(Templates.Length)];
        var site = customer.AttributesJson!.Split('"')[3];
        string Fill(string text) => text
            .Replace("{site}", site, StringComparison.Ordinal)
            .Replace("{server}", customer.Server, StringComparison.Ordinal)
            .Replace("{mailbox}", $"info@{site}", StringComparison.Ordinal)
            .Replace("{code}", Codes[random.Next(Codes.Length)], StringComparison.Ordinal)
            .Replace("{n}", $"INV-{2026_0000 + random.Next(10_000)}", StringComparison.Ordinal);

        // Spread over the last day, a little busier in (European) office hours.
        var created = now.AddMinutes(-random.Next(24 * 60)).AddSeconds(-random.Next(60));
        if (created.Hour is < 7 or > 19 && random.NextDouble() < 0.4)
        {
            created = created.AddHours(-random.Next(1, 4));
        }

        created = created < now.AddDays(-1) ? now.AddDays(-1).AddMinutes(random.Next(60)) : created;
        var age = now - created;
        var status = age.TotalHours < 1 ? TicketStatus.New : random.NextDouble() switch
        {
            < 0.30 => TicketStatus.New,
            < 0.60 => TicketStatus.Open,
            < 0.75 => TicketStatus.Pending,
            < 0.93 => TicketStatus.Solved,
            _ => TicketStatus.Closed,
        };
        var ticket = new Ticket
        {
            Source = Source,
            ExternalId = $"demo-{i + 1:D4}",
            Channel = Channels[random.Next(Channels.Length)],
            Subject = Fill(subject),
            Body = Fill(body) + $"\n\n{customer.Name}",
            Status = status,
            CreatedAt = created,
            UpdatedAt = created,
            ReceivedAt = created,
            Customer = customer,
            AssigneeId = status != TicketStatus.New && staff.Count > 0 ? staff[random.Next(staff.Count)] : null,
        };

        if (status != TicketStatus.New)
        {
            var at = created;
            var messages = 1 + random.Next(3);
            for (var m = 0; m < messages; m++)
            {
                at = at.AddMinutes(5 + random.Next(90));
                if (at >= now)
                {
                    break;
                }

                var kind = m == 0 ? MessageAuthorKind.Agent : random.NextDouble() < 0.5 ? MessageAuthorKind.Customer : MessageAuthorKind.Agent;
                var isInternal = kind == MessageAuthorKind.Agent && m > 0 && random.NextDouble() < 0.3;
                ticket.Messages.Add(new TicketMessage
                {
                    AuthorKind = kind,
                    AuthorUserId = kind == MessageAuthorKind.Agent ? ticket.AssigneeId : null,
                    IsInternal = isInternal,
                    Body = kind == MessageAuthorKind.Customer ? CustomerFollowUps[random.Next(CustomerFollowUps.Length)]
                        : isInternal ? InternalNotes[random.Next(InternalNotes.Length)]
                        : AgentReplies[random.Next(AgentReplies.Length)],
                    CreatedAt = at,
                });
                ticket.UpdatedAt = at;
            }
        }

        return ticket;
    }
}
