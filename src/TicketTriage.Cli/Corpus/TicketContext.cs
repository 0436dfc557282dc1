using System.Globalization;
using static TicketTriage.Cli.Corpus.NamePools;

namespace TicketTriage.Cli.Corpus;

/// <summary>
/// The facts of one ticket (who writes, about which domain, on which server), drawn once so that every sentence of
/// the ticket names the same domain and user; numbers and times are drawn fresh at each use.
/// </summary>
internal sealed class TicketContext
{
    public string First { get; }
    public string Last { get; }
    public string Company { get; }
    public string Domain { get; }
    public string Domain2 { get; }
    public string Mailbox { get; }
    public string PersonalEmail { get; }
    public string User { get; }
    public string Server { get; }
    public string Ip { get; }
    public string Php { get; }
    public string Cms { get; }
    public string Plan { get; }

    private readonly string _db;
    private readonly string _oldHost;
    private readonly string _registrar;
    private readonly string _plugin;
    private readonly string _client;

    public TicketContext(Random rng)
    {
        First = Pick(rng, FirstNames);
        Last = Pick(rng, LastNames);
        Domain = NamePools.Domain(rng);
        Domain2 = NamePools.Domain(rng);
        var companyStem = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(Domain.Split('.')[0].Replace('-', ' '));
        Company = (companyStem + " " + Pick(rng, CompanySuffixes)).Trim();
        Mailbox = Pick(rng, Mailboxes) + "@" + Domain;
        PersonalEmail = FreeMailAddress(rng, First, Last);
        User = Username(rng, Domain, First, Last);
        Server = NamePools.Server(rng);
        Ip = NamePools.Ip(rng);
        Php = Pick(rng, PhpVersions);
        Cms = Pick(rng, NamePools.Cms);
        Plan = Pick(rng, Plans);
        _db = User + "_" + Pick(rng, new[] { "wp", "wp1", "shop", "db", "main", "joomla", "live" });
        _oldHost = Pick(rng, OldHosts);
        _registrar = Pick(rng, Registrars);
        _plugin = Pick(rng, Plugins);
        _client = Pick(rng, MailClients);
    }

    public string FullName => First + " " + Last;

    /// <summary>The value of a named slot, or null when the name is not a slot.</summary>
    public string? Slot(string name, Random rng) => name switch
    {
        "name" => FullName,
        "first" => First,
        "last" => Last,
        "company" => Company,
        "domain" => Domain,
        "domain2" => Domain2,
        "www" => "www." + Domain,
        "url" => (rng.Next(3) == 0 ? "http://" : "https://") + (rng.Next(2) == 0 ? "www." : "") + Domain,
        "email" => Mailbox,
        "email2" => Pick(rng, Mailboxes) + "@" + Domain,
        "personal" => PersonalEmail,
        "user" => User,
        "server" => Server,
        "ip" => Ip,
        "ip2" => NamePools.Ip(rng),
        "php" => Php,
        "php2" => Pick(rng, PhpVersions),
        "cms" => Cms,
        "wpver" => Pick(rng, WordPressVersions),
        "plugin" => _plugin,
        "db" => _db,
        "dbuser" => _db + (rng.Next(2) == 0 ? "" : "_usr"),
        "table" => Pick(rng, Tables),
        "file" => Pick(rng, Files),
        "dir" => Pick(rng, Dirs),
        "path" => $"/home/{User}/{Pick(rng, Dirs)}",
        "registrar" => _registrar,
        "oldhost" => _oldHost,
        "client" => _client,
        "browser" => Pick(rng, Browsers),
        "os" => Pick(rng, OperatingSystems),
        "plan" => Plan,
        "panel" => Pick(rng, Panels),
        "brand" => Brand,
        "agent" => Pick(rng, Banks.SharedPhrases.AgentNames),
        "brandsite" => BrandSite,
        "ns1" => "ns1." + BrandSite,
        "ns2" => "ns2." + BrandSite,
        "invoice" => "INV-" + rng.Next(100000, 999999).ToString(CultureInfo.InvariantCulture),
        "amount" => (rng.Next(4, 400) + 0.99).ToString("0.00", CultureInfo.InvariantCulture),
        "card" => rng.Next(1000, 9999).ToString(CultureInfo.InvariantCulture),
        "ticket" => "#" + rng.Next(100000, 999999).ToString(CultureInfo.InvariantCulture),
        "n" => rng.Next(2, 10).ToString(CultureInfo.InvariantCulture),
        "bign" => rng.Next(12, 500).ToString(CultureInfo.InvariantCulture),
        "pct" => rng.Next(40, 100).ToString(CultureInfo.InvariantCulture),
        "size" => (rng.Next(2, 190) / 10.0).ToString("0.0", CultureInfo.InvariantCulture) + (rng.Next(3) == 0 ? " MB" : " GB"),
        "seconds" => rng.Next(8, 60).ToString(CultureInfo.InvariantCulture),
        "port" => Pick(rng, new[] { "21", "22", "25", "465", "587", "993", "995", "3306", "2083", "8443" }),
        "time" => $"{rng.Next(0, 24):00}:{rng.Next(0, 60):00}",
        "clock" => $"{rng.Next(1, 13)}{Pick(rng, new[] { "am", "pm", " am", " pm", ":30pm", ":15am" })}",
        "weekday" => Pick(rng, WeekdaysLong),
        "month" => Pick(rng, Months),
        "date" => $"{rng.Next(1, 29)} {Pick(rng, Months)} 2026",
        "logdate" => $"{Pick(rng, Weekdays)} {Pick(rng, Months)} {rng.Next(1, 29):00} {rng.Next(0, 24):00}:{rng.Next(0, 60):00}:{rng.Next(0, 60):00}.{rng.Next(100000, 999999)} 2026",
        "when" => TemplateExpander.Expand(Pick(rng, WhenPhrases), this, rng),
        "country" => Pick(rng, Countries),
        "phone" => $"+{Pick(rng, new[] { "44", "49", "31", "1", "34", "61" })} {rng.Next(100, 999)} {rng.Next(100, 999)} {rng.Next(1000, 9999)}",
        "pid" => rng.Next(1200, 65000).ToString(CultureInfo.InvariantCulture),
        "hex" => rng.Next(0x10000000, int.MaxValue).ToString("x8", CultureInfo.InvariantCulture),
        _ => null,
    };
}
