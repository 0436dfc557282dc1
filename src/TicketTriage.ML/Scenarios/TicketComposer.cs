using System.Globalization;
using System.Text;

namespace TicketTriage.ML.Scenarios;

/// <summary>The words of one topic: subjects, opening statements of the problem, and details some writers add.</summary>
public sealed record Phrasing(IReadOnlyList<string> Subjects, IReadOnlyList<string> Openings, IReadOnlyList<string> Details);

/// <summary>
/// Writes a ticket the way customers do: a subject (sometimes shouted, sometimes lower case, sometimes "Re:"), a
/// greeting or none, the problem, a detail or two, an ask, a signature, now and then the quoted auto-reply of an
/// earlier ticket, and the occasional typo. The variety is what makes a pattern hard to see by exact wording.
/// </summary>
internal sealed class TicketComposer(Random random)
{
    private static readonly string[] Greetings =
    [
        "Hi,", "Hello,", "Hi there,", "Hello support,", "Dear Support Team,", "Hey guys,", "Good morning,", "Hi team,",
        "To whom it may concern,", "Support,", "Hello again,", "Hiya,",
    ];

    private static readonly string[] Asks =
    [
        "Can you please look into this?", "Please advise.", "Please fix ASAP.", "How long until this is fixed?",
        "Any help appreciated.", "This is costing me business.", "I need this working today.",
        "Please let me know what is going on.", "Is this on your end or mine?", "Thanks in advance for your help.",
        "Please call me back if you need anything.", "What do I need to do?", "Could someone get back to me quickly?",
        "I have a client meeting in an hour, please hurry.", "Is there an ETA?",
    ];

    private static readonly string[] Times =
    [
        "this morning", "since about {localtime}", "an hour ago", "since last night", "today", "for the last 20 minutes",
        "since around {localtime}", "all day", "just now", "a few minutes ago",
    ];

    private static readonly string[] Files =
    [
        "index.html", "index.php", "wp-config.php", "images/logo.gif", "cgi-bin/formmail.pl", ".htaccess",
        "contact.php", "gallery/photos.html", "shop/cart.php", "about.htm", "css/style.css", "downloads/catalog.pdf",
    ];

    private static readonly string[] Lists = ["news", "members", "announce", "parents", "customers", "volunteers", "newsletter"];

    public (string Subject, string Body) Compose(Phrasing phrasing, ScenarioCustomer customer, IReadOnlyDictionary<string, string> slots)
    {
        var subject = Fill(phrasing.Subjects[random.Next(phrasing.Subjects.Count)], slots);
        var roll = random.NextDouble();
        subject = roll switch
        {
            < 0.12 => subject.ToLowerInvariant(),
            < 0.16 => subject.ToUpperInvariant(),
            < 0.21 => "URGENT: " + subject,
            < 0.26 => "Re: " + subject,
            < 0.30 => subject + "!!!",
            < 0.36 => $"{subject} - {slots["domain"]}",
            _ => subject,
        };

        var body = new StringBuilder();
        if (random.NextDouble() < 0.7)
        {
            body.Append(Greetings[random.Next(Greetings.Length)]).Append("\n\n");
        }

        body.Append(Typos(Fill(phrasing.Openings[random.Next(phrasing.Openings.Count)], slots)));
        if (phrasing.Details.Count > 0)
        {
            var details = random.NextDouble() switch { < 0.45 => 1, < 0.65 => 2, _ => 0 };
            var first = random.Next(phrasing.Details.Count);
            for (var i = 0; i < Math.Min(details, phrasing.Details.Count); i++)
            {
                body.Append(' ').Append(Typos(Fill(phrasing.Details[(first + i) % phrasing.Details.Count], slots)));
            }
        }

        if (random.NextDouble() < 0.55)
        {
            body.Append(random.NextDouble() < 0.5 ? " " : "\n\n").Append(Asks[random.Next(Asks.Length)]);
        }

        if (random.NextDouble() < 0.75)
        {
            body.Append("\n\n").Append(Signature(customer));
        }

        if (random.NextDouble() < 0.08)
        {
            body.Append("\n\n> On ").Append(slots["localtime"]).Append(", Support <support@helpdesk.example> wrote:\n")
                .Append("> Thank you for contacting support. Your request has been received and is in the queue.\n")
                .Append("> Please do not reply to this message with a new issue.");
        }

        return (subject, body.ToString());
    }

    private string Signature(ScenarioCustomer customer)
    {
        var firstName = customer.ContactName.Split(' ')[0];
        return random.Next(7) switch
        {
            0 => $"Thanks,\n{firstName}",
            1 => $"Regards,\n{customer.ContactName}\n{customer.Domain}",
            2 => "Sent from my iPhone",
            3 => $"Thank you\n{customer.Username}",
            4 => $"Cheers,\n{firstName}",
            5 => $"--\n{customer.ContactName}\nOwner, {customer.Domain}\n(555) {random.Next(200, 999)}-{random.Next(1000, 9999)}",
            _ => $"{firstName}",
        };
    }

    private string Fill(string template, IReadOnlyDictionary<string, string> slots)
    {
        if (!template.Contains('{', StringComparison.Ordinal))
        {
            return template;
        }

        var result = new StringBuilder(template.Length + 32);
        for (var i = 0; i < template.Length; i++)
        {
            var close = template[i] == '{' ? template.IndexOf('}', i) : -1;
            if (close < 0)
            {
                result.Append(template[i]);
                continue;
            }

            var name = template[(i + 1)..close];
            result.Append(name switch
            {
                "time" => Fill(Times[random.Next(Times.Length)], slots),
                "file" => Files[random.Next(Files.Length)],
                "list" => Lists[random.Next(Lists.Length)],
                "ip" => $"198.51.100.{random.Next(2, 254)}",
                "n" => random.Next(2, 40).ToString(CultureInfo.InvariantCulture),
                _ when slots.TryGetValue(name, out var value) => value,
                _ => "{" + name + "}",
            });
            i = close;
        }

        return result.ToString();
    }

    // About one word in forty gets a typo (swap or dropped letter); words with digits or symbols are left alone —
    // nobody mistypes a pasted error code.
    private string Typos(string text)
    {
        var words = text.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            var w = words[i];
            if (w.Length < 4 || !w.All(char.IsLetter) || random.NextDouble() >= 0.025)
            {
                continue;
            }

            var at = random.Next(1, w.Length - 1);
            words[i] = random.NextDouble() < 0.5
                ? w[..at] + w[at + 1] + w[at] + w[(at + 2)..]
                : w[..at] + w[(at + 1)..];
        }

        return string.Join(' ', words);
    }
}
