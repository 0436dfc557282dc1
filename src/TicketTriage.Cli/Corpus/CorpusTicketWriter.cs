using System.Text;
using TicketTriage.Cli.Corpus.Banks;
using static TicketTriage.Cli.Corpus.NamePools;

namespace TicketTriage.Cli.Corpus;

internal enum Tone { Neutral, Polite, Angry, Terse, Rambling, NonNative }

internal enum Length { Short, Medium, Long }

/// <summary>
/// Writes one ticket: picks tone and length, draws category sentences (and, for mixed tickets, a second category's),
/// then dresses them for the channel — an e-mail with greeting, pasted error, signature and quoted thread; a web form;
/// a chat transcript; or an agent's phone note — and finally adds the writer's noise.
/// </summary>
internal sealed class CorpusTicketWriter(CorpusOptions options)
{
    public const string ChannelEmail = "email";
    public const string ChannelWebForm = "web_form";
    public const string ChannelChat = "chat";
    public const string ChannelPhone = "phone";

    public static readonly string[] Channels = [ChannelEmail, ChannelWebForm, ChannelChat, ChannelPhone];

    public GeneratedTicket Compose(int id, CategoryBank primary, CategoryBank? secondary, string channel, Random rng)
    {
        var ctx = new TicketContext(rng);
        var tone = PickTone(channel, rng);
        var length = PickLength(tone, channel, rng);
        var writer = new Writer(ctx, rng, tone, TypoRate(tone, channel));

        var content = DrawContent(primary, secondary, length, writer, rng);
        var subject = DrawSubject(primary, secondary, content.Vague, channel, ctx, rng);

        var built = channel switch
        {
            ChannelEmail => BuildEmail(primary, content, writer, ctx, rng),
            ChannelWebForm => BuildWebForm(primary, content, writer, ctx, rng),
            ChannelChat => BuildChat(content, writer, ctx, rng),
            _ => BuildPhone(primary, secondary, content, writer, ctx, rng),
        };

        if (built.Quoted && rng.NextDouble() < 0.85)
        {
            // Replies keep the helpdesk's ticket tag some of the time: "Re: [Ticket #123456] Website down".
            var tag = rng.Next(3) == 0 ? TemplateExpander.Expand("[Ticket {ticket}] ", ctx, rng) : "";
            subject = (rng.Next(5) == 0 ? "RE: " : "Re: ") + tag + subject;
        }
        if (tone == Tone.Angry && rng.NextDouble() < 0.3) subject = subject.ToUpperInvariant() + (rng.Next(2) == 0 ? "!!!" : "");
        else if (tone == Tone.Terse && rng.NextDouble() < 0.5) subject = subject.ToLowerInvariant();
        else if (rng.NextDouble() < 0.08) subject = TitleCase(subject);

        return new GeneratedTicket(
            id, subject, built.Body.TrimEnd(), primary.Id, channel, tone.ToString(), secondary?.Id, content.Vague,
            built.Quoted, built.Signed, content.Error is not null, writer.TypoCount);
    }

    private static string TitleCase(string s) =>
        string.Join(' ', s.Split(' ').Select(w => w.Length > 0 && char.IsLower(w[0]) ? char.ToUpperInvariant(w[0]) + w[1..] : w));

    private static Tone PickTone(string channel, Random rng)
    {
        if (channel == ChannelPhone) return Tone.Neutral; // an agent writes the note
        var r = rng.NextDouble();
        return channel == ChannelChat
            ? r switch { < 0.35 => Tone.Terse, < 0.55 => Tone.Neutral, < 0.70 => Tone.Angry, < 0.85 => Tone.NonNative, < 0.95 => Tone.Polite, _ => Tone.Rambling }
            : r switch { < 0.28 => Tone.Neutral, < 0.48 => Tone.Polite, < 0.62 => Tone.Angry, < 0.75 => Tone.Terse, < 0.88 => Tone.Rambling, _ => Tone.NonNative };
    }

    private static Length PickLength(Tone tone, string channel, Random rng) => tone switch
    {
        Tone.Terse => rng.NextDouble() < 0.8 ? Length.Short : Length.Medium,
        Tone.Rambling => Length.Long,
        _ when channel == ChannelChat => rng.NextDouble() < 0.5 ? Length.Short : Length.Medium,
        _ => rng.NextDouble() switch { < 0.35 => Length.Short, < 0.78 => Length.Medium, _ => Length.Long },
    };

    private double TypoRate(Tone tone, string channel)
    {
        var multiplier = tone switch
        {
            Tone.Terse => 2.0, Tone.Angry => 1.6, Tone.NonNative => 1.4, Tone.Polite => 0.6, Tone.Rambling => 1.0, _ => 1.0,
        };
        if (channel == ChannelChat) multiplier *= 1.8;
        if (channel == ChannelPhone) multiplier *= 0.4;
        return options.TypoRatePerWord * multiplier;
    }

    /// <summary>The category-bearing sentences of a ticket, before any channel dressing.</summary>
    private sealed record Content(List<string> Lead, List<string> More, string? Error, string? Ask, bool Vague);

    private Content DrawContent(CategoryBank primary, CategoryBank? secondary, Length length, Writer writer, Random rng)
    {
        if (secondary is not null && rng.Next(2) == 0) return AskLedContent(primary, secondary, writer, rng);

        var vague = secondary is null && rng.NextDouble() < options.VagueRate;
        var lead = new List<string> { writer.Fill(vague ? VagueSymptom(primary, rng) : Pick(rng, primary.Symptoms)) };
        var more = new List<string>();
        var details = length switch { Length.Short => rng.Next(4) == 0 ? 1 : 0, Length.Medium => rng.Next(1, 3), _ => rng.Next(2, 6) };
        if (vague || secondary is not null) details = Math.Max(0, details - 1);
        foreach (var d in Distinct(primary.Details, details, rng)) more.Add(writer.Fill(d));

        if (secondary is not null)
        {
            // The second concern weighs about as much as the first: its own symptom and a detail, sometimes told
            // first ("first the mail broke, now the site…"). The label stays the primary intent.
            var second = writer.Fill(Pick(rng, secondary.Symptoms));
            if (rng.Next(3) == 0) lead.Insert(0, second);
            else more.Insert(rng.Next(more.Count + 1), Pick(rng, SharedPhrases.AlsoConnectors) + Decapitalize(second));
            if (rng.Next(3) > 0) more.Add(writer.Fill(Pick(rng, secondary.Details)));
        }
        else
        {
            // Cross-talk: a neighbouring category's detail, as when a slow site mentions its database.
            var crossTalk = rng.NextDouble() switch { < 0.35 => 0, < 0.8 => 1, _ => 2 };
            for (var k = 0; k < crossTalk; k++)
            {
                var neighbour = CategoryBanks.ById(Pick(rng, primary.Neighbours));
                more.Insert(rng.Next(more.Count + 1), writer.Fill(Pick(rng, neighbour.Details)));
            }
        }

        string? error = null;
        if (primary.Errors.Length > 0 && rng.NextDouble() < options.ErrorBlockRate)
        {
            error = TemplateExpander.Expand(Pick(rng, primary.Errors), writer.Context, rng);
        }

        var ask = (length == Length.Short || vague) && rng.Next(5) < 3 ? null : writer.Fill(Pick(rng, primary.Asks));
        return new Content(lead, more, error, ask, vague);
    }

    /// <summary>
    /// A mixed ticket whose visible symptom (and pasted error) belongs to the neighbouring category while what the
    /// customer asks for names the primary one — "the site says the account is suspended … please take the payment".
    /// These are the genuinely ambiguous tickets; they are labeled by the request.
    /// </summary>
    private Content AskLedContent(CategoryBank primary, CategoryBank secondary, Writer writer, Random rng)
    {
        var lead = new List<string> { writer.Fill(Pick(rng, secondary.Symptoms)) };
        var more = new List<string>();
        if (rng.Next(2) == 0) more.Add(writer.Fill(Pick(rng, secondary.Details)));
        if (rng.Next(2) == 0) more.Add(writer.Fill(Pick(rng, primary.Details)));
        var error = secondary.Errors.Length > 0 && rng.NextDouble() < options.ErrorBlockRate
            ? TemplateExpander.Expand(Pick(rng, secondary.Errors), writer.Context, rng)
            : null;
        return new Content(lead, more, error, writer.Fill(Pick(rng, primary.Asks)), Vague: false);
    }

    private static string Decapitalize(string s) =>
        s.Length > 1 && char.IsUpper(s[0]) && !char.IsUpper(s[1]) && !s.StartsWith("I ", StringComparison.Ordinal) ? char.ToLowerInvariant(s[0]) + s[1..] : s;

    private static string VagueSymptom(CategoryBank primary, Random rng)
    {
        var families = SharedPhrases.VagueByCategory[primary.Id];
        return Pick(rng, Pick(rng, families));
    }

    private static string DrawSubject(CategoryBank primary, CategoryBank? secondary, bool vague, string channel, TicketContext ctx, Random rng)
    {
        if (channel == ChannelChat && rng.NextDouble() < 0.6)
        {
            return TemplateExpander.Expand(Pick(rng, (string[])["Chat transcript - {name}", "Live chat {ticket}", "Chat with {first}", "Offline chat message", "Chat: {domain}"]), ctx, rng);
        }
        if (channel == ChannelPhone && rng.NextDouble() < 0.5)
        {
            return TemplateExpander.Expand(Pick(rng, (string[])["Phone call - {name}", "Call note {ticket}", "Callback: {domain}", "Phone support {user}"]), ctx, rng);
        }
        var r = rng.NextDouble();
        var template = r switch
        {
            < 0.25 => Pick(rng, SharedPhrases.VagueSubjects),
            < 0.6 when vague => Pick(rng, SharedPhrases.VagueSubjects),
            < 0.45 when secondary is not null => Pick(rng, secondary.Subjects),
            _ => Pick(rng, primary.Subjects),
        };
        return TemplateExpander.Expand(template, ctx, rng);
    }

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

    private static IEnumerable<string> Distinct(string[] items, int count, Random rng)
    {
        count = Math.Min(count, items.Length);
        var chosen = new HashSet<int>();
        while (chosen.Count < count)
        {
            var k = rng.Next(items.Length);
            if (chosen.Add(k)) yield return items[k];
        }
    }

    /// <summary>Applies one writer's habits (tone, typo rate) to every prose sentence of a ticket.</summary>
    private sealed class Writer(TicketContext context, Random rng, Tone tone, double typoRate)
    {
        public TicketContext Context => context;
        public Tone Tone => tone;
        public int TypoCount { get; private set; }

        public string Fill(string template) => TemplateExpander.Expand(template, context, rng);

        public string Prose(string sentence)
        {
            var s = sentence;
            switch (tone)
            {
                case Tone.Angry:
                    if (rng.Next(3) == 0) s = TextNoise.Exclaim(s, rng);
                    if (rng.Next(10) == 0) s = TextNoise.Shout(s);
                    break;
                case Tone.Terse:
                    s = TextNoise.Unpunctuate(s);
                    if (rng.Next(2) == 0) s = TextNoise.Lower(s);
                    break;
                case Tone.NonNative:
                    s = TextNoise.NonNative(s, 0.6, rng);
                    break;
            }
            return Typo(s);
        }

        public string Chat(string sentence, bool lower)
        {
            var s = TextNoise.Unpunctuate(sentence);
            if (lower) s = TextNoise.Lower(s);
            if (tone == Tone.NonNative) s = TextNoise.NonNative(s, 0.6, rng);
            return Typo(s);
        }

        private string Typo(string s)
        {
            var (text, typos) = TextNoise.Typos(s, typoRate, rng);
            TypoCount += typos;
            return text;
        }
    }
}
