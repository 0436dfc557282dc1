using System.Text;
using TicketTriage.Cli.Corpus.Banks;
using static TicketTriage.Cli.Corpus.NamePools;

namespace TicketTriage.Cli.Corpus;

// Dressing the drawn content for its channel: an e-mail (greeting, pasted error, signature, quoted thread), a web
// form, a chat transcript or an agent's phone note.
internal sealed partial class CorpusTicketWriter
{
    private sealed record Built(string Body, bool Quoted, bool Signed);

    private Built BuildEmail(CategoryBank primary, Content content, Writer writer, TicketContext ctx, Random rng)
    {
        var tone = writer.Tone;
        var quoted = rng.NextDouble() < options.QuotedThreadRate;
        var signed = rng.NextDouble() < options.SignatureRate;
        var body = new StringBuilder();

        if (tone != Tone.Terse || rng.Next(3) == 0)
        {
            var greetings = tone == Tone.NonNative ? SharedPhrases.NonNativeGreetings : SharedPhrases.EmailGreetings;
            body.Append(TemplateExpander.Expand(Pick(rng, greetings), ctx, rng)).Append("\n\n");
        }

        var sentences = new List<string>();
        if (quoted && rng.Next(2) == 0) sentences.Add(writer.Prose(Pick(rng, SharedPhrases.FollowUps)));
        sentences.AddRange(Openers(writer, rng));
        sentences.AddRange(content.Lead.Select(writer.Prose));
        var afterError = new List<string>();
        foreach (var s in content.More) (rng.Next(2) == 0 ? sentences : afterError).Add(writer.Prose(s));
        afterError.AddRange(Extras(writer, rng));
        if (content.Ask is not null) afterError.Add(writer.Prose(content.Ask));

        AppendParagraphs(body, sentences, rng);
        if (content.Error is not null) AppendError(body, content.Error, writer, rng, email: true);
        AppendParagraphs(body, afterError, rng);

        // A signature that opens with its own sign-off ("Regards,") replaces the closing line.
        var signOff = signed && rng.Next(2) == 0;
        var signature = signed ? Pick(rng, signOff ? SharedPhrases.SignOffSignatures : SharedPhrases.BareSignatures) : null;
        var closing = signOff ? null : Closing(writer, rng);
        if (closing is not null) body.Append(closing).Append(signed ? ",\n" : "\n\n");
        if (signature is not null) body.Append(TemplateExpander.Expand(signature, ctx, rng)).Append("\n\n");
        else if (closing is not null && rng.Next(2) == 0) body.Length -= 1;

        if (quoted) body.Append('\n').Append(QuotedThread(primary, writer, ctx, rng));
        return new Built(body.ToString(), quoted, signed);
    }

    private Built BuildWebForm(CategoryBank primary, Content content, Writer writer, TicketContext ctx, Random rng)
    {
        var body = new StringBuilder();
        if (rng.NextDouble() < 0.6)
        {
            body.Append("Name: ").Append(ctx.FullName).Append('\n')
                .Append("Email: ").Append(rng.Next(2) == 0 ? ctx.PersonalEmail : ctx.Mailbox).Append('\n');
            if (rng.Next(3) > 0) body.Append("Domain: ").Append(rng.Next(6) == 0 ? "" : ctx.Domain).Append('\n');
            // Customers pick the department themselves: usually the right one, not always.
            var department = rng.NextDouble() < 0.7
                ? (primary.Id == "billing" ? "Billing" : "Technical Support")
                : Pick(rng, SharedPhrases.Departments);
            body.Append("Department: ").Append(department).Append('\n')
                .Append("Priority: ").Append(Pick(rng, SharedPhrases.Priorities)).Append("\n\n")
                .Append(rng.Next(2) == 0 ? "Message:\n" : "Describe your issue:\n");
        }
        var sentences = new List<string>();
        sentences.AddRange(Openers(writer, rng));
        sentences.AddRange(content.Lead.Select(writer.Prose));
        sentences.AddRange(content.More.Select(writer.Prose));
        sentences.AddRange(Extras(writer, rng));
        if (content.Ask is not null) sentences.Add(writer.Prose(content.Ask));
        AppendParagraphs(body, sentences, rng);
        if (content.Error is not null) AppendError(body, content.Error, writer, rng);
        var closing = Closing(writer, rng);
        if (closing is not null && rng.Next(2) == 0) body.Append(closing).Append('\n');
        return new Built(body.ToString(), false, false);
    }

    private Built BuildChat(Content content, Writer writer, TicketContext ctx, Random rng)
    {
        var body = new StringBuilder();
        var hour = rng.Next(7, 23);
        var minute = rng.Next(0, 50);
        var customer = rng.Next(2) == 0 ? "Visitor" : ctx.First;
        var agent = Pick(rng, SharedPhrases.AgentNames);
        void Line(string who, string text)
        {
            body.Append('[').Append($"{hour:00}:{minute:00}").Append("] ").Append(who).Append(": ").Append(text).Append('\n');
            minute = Math.Min(59, minute + rng.Next(0, 3));
        }

        var lower = rng.NextDouble() < 0.5;
        string Say(string s) => writer.Chat(s, lower);

        if (rng.Next(3) > 0) Line(agent, TemplateExpander.Expand(SharedPhrases.ChatWelcome.Replace("{agent}", agent), ctx, rng));
        if (rng.Next(2) == 0) Line(customer, Say(Pick(rng, (string[])["hi", "hello", "hey", "Hi there", "good morning"])));
        foreach (var s in content.Lead) Line(customer, Say(s));
        var agentTurns = rng.Next(1, 4);
        var more = new Queue<string>(content.More.Concat(Extras(writer, rng)));
        for (var t = 0; t < agentTurns; t++)
        {
            Line(agent, TemplateExpander.Expand(Pick(rng, SharedPhrases.ChatAgentLines), ctx, rng));
            if (more.Count > 0) Line(customer, Say(more.Dequeue()));
            else Line(customer, Say(TemplateExpander.Expand(Pick(rng, SharedPhrases.ChatCustomerFollowups), ctx, rng)));
            if (t == 0 && content.Error is not null)
            {
                Line(customer, content.Error.Split('\n')[0] + (content.Error.Contains('\n') ? " " + content.Error.Split('\n')[^1] : ""));
            }
        }
        while (more.Count > 0) Line(customer, Say(more.Dequeue()));
        if (content.Ask is not null) Line(customer, Say(content.Ask));
        if (rng.Next(2) == 0) Line(agent, Pick(rng, SharedPhrases.ChatAgentClosings));
        return new Built(body.ToString(), false, false);
    }

    private static Built BuildPhone(CategoryBank primary, CategoryBank? secondary, Content content, Writer writer, TicketContext ctx, Random rng)
    {
        var body = new StringBuilder();
        body.Append(TemplateExpander.Expand(Pick(rng, SharedPhrases.PhoneHeaders), ctx, rng)).Append('\n');
        body.Append(writer.Prose(writer.Fill(Pick(rng, primary.PhoneNotes)))).Append('\n');
        if (rng.Next(3) == 0) body.Append("Customer said: \"").Append(content.Lead[^1]).Append("\"\n");
        if (secondary is not null)
        {
            body.Append(rng.Next(2) == 0 ? "Also mentioned: " : "Also asked about ")
                .Append(TemplateExpander.Expand(Pick(rng, secondary.Subjects), ctx, rng).ToLowerInvariant()).Append(".\n");
        }
        if (content.Error is not null && rng.Next(4) == 0) body.Append("Error on screen: ").Append(content.Error.Split('\n')[0]).Append('\n');
        body.Append(Pick(rng, SharedPhrases.PhoneFollowups)).Append('\n');
        return new Built(body.ToString(), false, false);
    }

    private static IEnumerable<string> Openers(Writer writer, Random rng)
    {
        if (writer.Tone == Tone.Polite && rng.Next(3) > 0) yield return writer.Prose(Pick(rng, SharedPhrases.PoliteOpeners));
        if (writer.Tone == Tone.Rambling || (writer.Tone != Tone.Terse && rng.NextDouble() < 0.12))
            yield return writer.Prose(writer.Fill(Pick(rng, SharedPhrases.Background)));
    }

    /// <summary>Category-free sentences: what was tried, urgency, tone-specific lines.</summary>
    private static IEnumerable<string> Extras(Writer writer, Random rng)
    {
        var tone = writer.Tone;
        if (tone == Tone.Terse) yield break;
        if (rng.NextDouble() < (tone == Tone.Rambling ? 0.8 : 0.25)) yield return writer.Prose(Pick(rng, SharedPhrases.Tried));
        if (tone == Tone.Rambling)
        {
            foreach (var aside in Distinct(SharedPhrases.RamblingAsides, rng.Next(1, 4), rng)) yield return writer.Prose(writer.Fill(aside));
        }
        if (tone == Tone.Angry)
        {
            foreach (var line in Distinct(SharedPhrases.AngryLines, rng.Next(1, 3), rng)) yield return writer.Prose(writer.Fill(line));
        }
        if (tone == Tone.NonNative) yield return writer.Prose(Pick(rng, SharedPhrases.NonNativePhrases));
        if (rng.NextDouble() < 0.3) yield return writer.Prose(writer.Fill(Pick(rng, SharedPhrases.Urgency)));
    }

    private static string? Closing(Writer writer, Random rng) => writer.Tone switch
    {
        Tone.Terse => rng.Next(3) == 0 ? "thx" : null,
        Tone.Angry => Pick(rng, SharedPhrases.AngryClosings),
        Tone.NonNative => rng.Next(2) == 0 ? "Thanks and regards" : "Thanking you",
        _ => rng.Next(5) == 0 ? null : Pick(rng, SharedPhrases.Closings),
    };

    private static void AppendParagraphs(StringBuilder body, List<string> sentences, Random rng)
    {
        var i = 0;
        while (i < sentences.Count)
        {
            var take = Math.Min(sentences.Count - i, rng.Next(1, 4));
            body.Append(string.Join(' ', sentences.Skip(i).Take(take))).Append("\n\n");
            i += take;
        }
    }

    private static void AppendError(StringBuilder body, string error, Writer writer, Random rng, bool email = false)
    {
        if (email && rng.Next(6) == 0)
        {
            // Forwarded rather than copied: the notice arrives with its own headers.
            body.Append(TemplateExpander.Expand(Pick(rng, SharedPhrases.ForwardHeaders), writer.Context, rng)).Append("\n\n")
                .Append(error).Append("\n\n");
            return;
        }
        var intro = TemplateExpander.Expand(Pick(rng, SharedPhrases.ErrorIntros), writer.Context, rng);
        if (intro.Length > 0) body.Append(intro).Append(rng.Next(3) == 0 ? "\n\n" : "\n");
        var fenced = rng.Next(8) == 0;
        if (fenced) body.Append("```\n");
        body.Append(rng.Next(6) == 0 ? string.Join('\n', error.Split('\n').Select(l => "    " + l)) : error).Append('\n');
        if (fenced) body.Append("```\n");
        body.Append('\n');
    }

    private static string QuotedThread(CategoryBank primary, Writer writer, TicketContext ctx, Random rng)
    {
        var earlier = new List<string>();
        var fromSupport = rng.NextDouble() < 0.6;
        string sender;
        if (fromSupport)
        {
            sender = $"{Brand} Support <support@{BrandSite}>";
            earlier.Add("Hello " + ctx.First + ",");
            earlier.Add("");
            earlier.Add(TemplateExpander.Expand(SharedPhrases.GenericSupportReplies[0], ctx, rng));
            if (rng.Next(2) == 0) earlier.Add(TemplateExpander.Expand(Pick(rng, primary.SupportReplies), ctx, rng));
            else earlier.Add(TemplateExpander.Expand(Pick(rng, SharedPhrases.GenericSupportReplies), ctx, rng));
            if (rng.Next(2) == 0) earlier.Add(TemplateExpander.Expand(Pick(rng, SharedPhrases.GenericSupportReplies), ctx, rng));
            earlier.Add("");
            earlier.AddRange(TemplateExpander.Expand(Pick(rng, SharedPhrases.SupportSignoffs), ctx, rng).Split('\n'));
        }
        else
        {
            sender = $"{ctx.FullName} <{(rng.Next(2) == 0 ? ctx.PersonalEmail : ctx.Mailbox)}>";
            earlier.Add(writer.Prose(writer.Fill(Pick(rng, primary.Symptoms))));
            if (rng.Next(2) == 0) earlier.Add(writer.Prose(writer.Fill(Pick(rng, primary.Details))));
        }

        var quoted = new StringBuilder();
        if (rng.Next(4) == 0)
        {
            // Outlook style: a header block and the earlier message unindented.
            quoted.Append("-----Original Message-----\n")
                .Append("From: ").Append(sender).Append('\n')
                .Append("Sent: ").Append(TemplateExpander.Expand("{weekday}, {date} {time}", ctx, rng)).Append('\n')
                .Append("To: ").Append(fromSupport ? ctx.Mailbox : $"support@{BrandSite}").Append('\n')
                .Append("Subject: ").Append(TemplateExpander.Expand(Pick(rng, primary.Subjects), ctx, rng)).Append("\n\n");
            foreach (var line in earlier) quoted.Append(line).Append('\n');
        }
        else
        {
            var day = Pick(rng, Weekdays);
            quoted.Append("On ").Append(day).Append(", ").Append(TemplateExpander.Expand("{date} at {time}", ctx, rng))
                .Append(", ").Append(sender).Append(" wrote:\n");
            foreach (var line in earlier) quoted.Append(line.Length == 0 ? ">" : "> " + line).Append('\n');
        }
        return quoted.ToString();
    }
}
