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
internal sealed partial class CorpusTicketWriter(CorpusOptions options)
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
