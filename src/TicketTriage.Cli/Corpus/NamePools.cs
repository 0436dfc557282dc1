namespace TicketTriage.Cli.Corpus;

/// <summary>
/// Small pools from which each ticket draws its people, domains, servers and versions. Names are common given names
/// and surnames; domains are compounds of ordinary words, so any resemblance to a real site is incidental.
/// </summary>
internal static class NamePools
{
    public const string Brand = "Corvid";
    public const string BrandSite = "corvidhost.com";

    public static readonly string[] FirstNames =
    [
        "James", "Maria", "Ahmed", "Sofia", "Daniel", "Priya", "Tom", "Elena", "Lukas", "Aisha", "Mark", "Julia",
        "Chen", "Olga", "Pedro", "Hannah", "Ravi", "Claire", "Kwame", "Ingrid", "Mohammed", "Laura", "Jan", "Fatima",
        "Steve", "Nadia", "Oliver", "Yuki", "Carlos", "Emma", "Sanjay", "Bea", "Thomas", "Zainab", "Pieter", "Grace",
        "Ivan", "Lucia", "Dave", "Mei", "Rob", "Anja", "Tunde", "Sarah", "Marco", "Linh", "Gary", "Rosa",
    ];

    public static readonly string[] LastNames =
    [
        "Smith", "Garcia", "Khan", "Rossi", "Müller", "Patel", "O'Brien", "Novak", "Jensen", "Okafor", "Dubois",
        "Kowalski", "Nguyen", "Silva", "Brown", "Schmidt", "Haddad", "Tanaka", "Walsh", "Fischer", "Moreau", "Singh",
        "Petrov", "Costa", "Evans", "Lindqvist", "Mensah", "Romero", "Clarke", "Yilmaz", "de Vries", "Murphy",
    ];

    private static readonly string[] DomainHeads =
    [
        "bluebird", "oak", "riverside", "sunny", "green", "northstar", "copper", "maple", "harbor", "little",
        "urban", "golden", "silver", "redfox", "stone", "bright", "old", "happy", "wild", "true", "swift", "blue",
        "lakeside", "hill", "cedar", "iron", "pixel", "coastal", "city", "family", "mountain", "velvet",
    ];

    private static readonly string[] DomainTails =
    [
        "bakery", "dental", "studio", "plumbing", "law", "photo", "yoga", "garage", "books", "design", "crafts",
        "coffee", "tours", "fitness", "vets", "builders", "media", "farm", "wines", "tailors", "florist", "accounting",
        "print", "cycles", "realty", "academy", "kitchen", "clinic", "events", "outdoors", "pets", "games",
    ];

    private static readonly string[] Tlds =
        [".com", ".com", ".com", ".net", ".org", ".co.uk", ".de", ".nl", ".shop", ".io", ".com.au", ".fr", ".es", ".ca"];

    public static readonly string[] Mailboxes = ["info", "office", "sales", "admin", "contact", "hello", "bookings", "accounts", "shop", "support", "orders"];

    private static readonly string[] FreeMail = ["gmail.com", "outlook.com", "yahoo.com", "hotmail.co.uk", "icloud.com", "gmx.de", "proton.me"];

    public static readonly string[] CompanySuffixes = ["Ltd", "LLC", "GmbH", "& Co", "Inc.", "B.V.", "", "", ""];

    public static readonly string[] Cms =
        ["WordPress", "WordPress", "WordPress", "WooCommerce", "Joomla", "Drupal", "Magento", "PrestaShop", "Laravel", "OpenCart", "custom PHP"];

    public static readonly string[] Plugins =
    [
        "Elementor", "WooCommerce", "Yoast SEO", "Contact Form 7", "Wordfence", "WP Rocket", "UpdraftPlus",
        "Jetpack", "WPML", "Akismet", "Really Simple SSL", "W3 Total Cache", "Divi Builder", "WP Mail SMTP",
    ];

    public static readonly string[] PhpVersions = ["7.4", "8.0", "8.1", "8.2", "8.3", "5.6"];
    public static readonly string[] WordPressVersions = ["6.4.3", "6.5.2", "6.6.1", "6.7", "6.8.1", "5.9"];
    public static readonly string[] MailClients = ["Outlook", "Outlook 365", "Thunderbird", "Apple Mail", "the Mail app on my iPhone", "Gmail app", "Windows Mail", "eM Client"];
    public static readonly string[] Browsers = ["Chrome", "Firefox", "Safari", "Edge", "Chrome on Android", "Safari on iPad"];
    public static readonly string[] Registrars = ["GoDaddy", "Namecheap", "123-reg", "Gandi", "IONOS", "Tucows", "Cloudflare", "Network Solutions", "OVH"];
    public static readonly string[] OldHosts = ["GoDaddy", "Bluehost", "HostGator", "SiteGround", "1&1", "our old provider", "a local company", "Hetzner", "DreamHost", "Wix"];
    public static readonly string[] Plans = ["Starter", "Business", "Business Plus", "Pro", "Reseller 50", "VPS 2", "VPS 4", "Managed WordPress"];
    public static readonly string[] Panels = ["cPanel", "the control panel", "the new panel", "Roost", "the dashboard", "Plesk", "the client area"];
    public static readonly string[] Weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    public static readonly string[] WeekdaysLong = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    public static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    public static readonly string[] WhenPhrases =
        ["since this morning", "since yesterday", "since last night", "for two days now", "since about an hour ago", "since the weekend", "since {weekday}", "since around {time}", "all day today", "on and off this week"];
    public static readonly string[] Tables = ["wp_options", "wp_posts", "wp_postmeta", "orders", "customers", "oc_product", "jos_users", "sessions", "wp_woocommerce_sessions"];
    public static readonly string[] Files = ["index.php", ".htaccess", "wp-config.php", "config.php", "functions.php", "logo.png", "invoice.pdf", "style.css", "settings.inc.php", "backup.zip"];
    public static readonly string[] Dirs = ["public_html", "public_html/wp-content/uploads", "public_html/images", "public_html/shop", "mail", "public_html/wp-content/plugins", "www", "httpdocs"];
    public static readonly string[] Countries = ["Germany", "the UK", "Spain", "Nigeria", "India", "Brazil", "Australia", "Canada", "the Netherlands", "Poland"];
    public static readonly string[] OperatingSystems = ["Windows 11", "Windows 10", "macOS", "my Mac", "Ubuntu", "my phone"];

    public static string Domain(Random rng)
    {
        var head = Pick(rng, DomainHeads);
        var tail = Pick(rng, DomainTails);
        var joiner = rng.NextDouble() < 0.2 ? "-" : "";
        return head + joiner + tail + Pick(rng, Tlds);
    }

    public static string FreeMailAddress(Random rng, string first, string last)
    {
        var local = rng.Next(3) switch
        {
            0 => first + "." + last,
            1 => first[0] + last + rng.Next(10, 99),
            _ => first + rng.Next(1960, 2005),
        };
        return Ascii(local).ToLowerInvariant() + "@" + Pick(rng, FreeMail);
    }

    public static string Username(Random rng, string domain, string first, string last)
    {
        var stem = Ascii(domain.Split('.')[0].Replace("-", ""));
        return rng.Next(4) switch
        {
            0 => Ascii(first + last).ToLowerInvariant()[..Math.Min(8, first.Length + last.Length)],
            1 => stem[..Math.Min(8, stem.Length)] + rng.Next(1, 99),
            _ => stem[..Math.Min(8, stem.Length)],
        };
    }

    public static string Server(Random rng) => rng.Next(6) switch
    {
        0 => $"node-{rng.Next(100, 320)}",
        1 => $"web{rng.Next(1, 40)}.{Pick(rng, ["ams", "lon", "fra", "nyc", "sgp"])}{rng.Next(1, 4)}",
        2 => $"cp-{Pick(rng, ["ams", "lon", "fra", "dal"])}-{rng.Next(1, 30):00}",
        3 => $"s{rng.Next(100, 600)}.{BrandSite}",
        4 => $"shared{rng.Next(1, 90)}",
        _ => $"vps{rng.Next(1000, 9999)}.{BrandSite}",
    };

    public static string Ip(Random rng) => rng.Next(4) switch
    {
        0 => $"203.0.113.{rng.Next(2, 254)}",
        1 => $"198.51.100.{rng.Next(2, 254)}",
        2 => $"192.0.2.{rng.Next(2, 254)}",
        _ => $"{Pick(rng, ["81.2", "92.40", "185.12", "45.77", "77.104"])}.{rng.Next(0, 255)}.{rng.Next(2, 254)}",
    };

    public static T Pick<T>(Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    private static string Ascii(string s) => s.Replace("ü", "u").Replace("'", "").Replace(" ", "");
}
