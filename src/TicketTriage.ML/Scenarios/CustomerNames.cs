using System.Globalization;

namespace TicketTriage.ML.Scenarios;

/// <summary>
/// Usernames, domains and contact names for generated customers. Control panels derive the username from the
/// domain (its first eight letters, a digit on collision) far more often than customers pick one, so most usernames
/// here start like the business name does — which gives username initials the uneven spread real fleets have.
/// </summary>
internal static class CustomerNames
{
    private static readonly string[] First =
    [
        "james", "mary", "robert", "patricia", "john", "jennifer", "michael", "linda", "david", "elizabeth", "william",
        "barbara", "richard", "susan", "joseph", "jessica", "thomas", "sarah", "chris", "karen", "daniel", "lisa",
        "matthew", "nancy", "anthony", "betty", "mark", "sandra", "donald", "ashley", "steven", "kim", "paul", "emily",
        "andrew", "donna", "joshua", "michelle", "kenneth", "carol", "kevin", "amanda", "brian", "melissa", "george",
        "deborah", "tim", "stephanie", "ron", "rebecca", "ed", "laura", "jason", "helen", "jeff", "amy", "ryan",
        "angela", "jacob", "anna", "gary", "brenda", "nick", "pamela", "eric", "nicole", "jon", "ruth", "larry",
        "katherine", "justin", "sam", "scott", "christine", "frank", "debra", "ben", "rachel", "greg", "carolyn",
        "raymond", "janet", "alex", "maria", "pat", "heather", "jack", "diane", "dennis", "julie", "jerry", "joyce",
        "tyler", "victoria", "aaron", "kelly", "jose", "christina", "adam", "lauren", "nathan", "joan", "henry",
        "evelyn", "doug", "olivia", "zach", "judith", "peter", "megan", "kyle", "cheryl", "walter", "andrea", "ethan",
        "hannah", "jeremy", "martha", "harold", "jacqueline", "keith", "frances", "carl", "gloria", "arthur", "ann",
        "terry", "teresa", "roger", "kathryn", "noah", "sara", "gerald", "janice", "austin", "jean", "sean", "alice",
        "luis", "madison", "bruce", "doris", "dylan", "abigail", "vincent", "julia", "bobby", "judy", "wayne", "grace",
        "ralph", "denise", "roy", "amber", "eugene", "marilyn", "louis", "beverly", "philip", "danielle", "johnny",
        "theresa", "bill", "sophia", "carlos", "marie", "russell", "diana", "randy", "brittany", "howard", "natalie",
        "fred", "isabella", "oscar", "quinn", "ursula", "yolanda", "xavier", "irene", "ivan", "omar", "olga", "ula",
    ];

    private static readonly string[] Last =
    [
        "smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez", "martinez",
        "hernandez", "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor", "moore", "jackson", "martin", "lee",
        "perez", "thompson", "white", "harris", "sanchez", "clark", "ramirez", "lewis", "robinson", "walker", "young",
        "allen", "king", "wright", "scott", "torres", "nguyen", "hill", "flores", "green", "adams", "nelson", "baker",
        "hall", "rivera", "campbell", "mitchell", "carter", "roberts", "gomez", "phillips", "evans", "turner", "diaz",
        "parker", "cruz", "edwards", "collins", "reyes", "stewart", "morris", "morales", "murphy", "cook", "rogers",
        "gutierrez", "ortiz", "morgan", "cooper", "peterson", "bailey", "reed", "kelly", "howard", "ramos", "kim",
        "cox", "ward", "richardson", "watson", "brooks", "chavez", "wood", "james", "bennett", "gray", "mendoza",
        "ruiz", "hughes", "price", "alvarez", "castillo", "sanders", "patel", "myers", "long", "ross", "foster",
        "jimenez", "powell", "jenkins", "perry", "russell", "sullivan", "bell", "coleman", "butler", "henderson",
        "barnes", "gonzales", "fisher", "vasquez", "simmons", "romero", "jordan", "patterson", "alexander", "hamilton",
        "graham", "reynolds", "griffin", "wallace", "moreno", "west", "cole", "hayes", "bryant", "herrera", "gibson",
        "ellis", "tran", "medina", "aguilar", "stevens", "murray", "ford", "castro", "marshall", "owens", "harrison",
    ];

    private static readonly string[] BusinessFirst =
    [
        "blue", "red", "green", "golden", "silver", "sunny", "happy", "little", "big", "bright", "north", "south",
        "east", "west", "river", "lake", "mountain", "valley", "oak", "pine", "maple", "cedar", "eagle", "hawk",
        "fox", "bear", "wolf", "lion", "tiger", "rose", "lily", "ivy", "sage", "coastal", "urban", "rustic", "prairie",
        "summit", "harbor", "bay", "stone", "iron", "copper", "crystal", "diamond", "pearl", "star", "moon", "sun",
        "sky", "cloud", "rain", "snow", "spring", "autumn", "winter", "first", "prime", "true", "pure", "fresh",
        "wild", "quiet", "swift", "royal", "grand", "classic", "modern", "vintage", "mighty", "smart", "clever",
        "tiny", "zen", "yellow", "kinder", "lucky", "magic", "nova", "omega", "alpha", "apex", "atlas", "beacon",
        "birch", "bluebird", "cardinal", "dakota", "echo", "elm", "falcon", "garden", "heritage", "horizon", "juniper",
        "keystone", "legacy", "liberty", "meadow", "orchard", "pioneer", "quail", "raven", "redwood", "sierra",
        "timber", "unity", "vista", "willow", "xtreme", "yukon", "zephyr",
    ];

    private static readonly string[] BusinessSecond =
    [
        "bakery", "designs", "photo", "photography", "studio", "consulting", "realty", "homes", "law", "dental",
        "clinic", "auto", "motors", "books", "crafts", "gifts", "boutique", "cafe", "grill", "pizza", "farms",
        "gardens", "landscaping", "roofing", "plumbing", "electric", "media", "web", "tech", "solutions", "systems",
        "supply", "outfitters", "tours", "travel", "church", "ministries", "academy", "school", "fitness", "yoga",
        "spa", "salon", "pets", "vet", "insurance", "accounting", "tax", "music", "records", "films", "press",
        "news", "shop", "store", "market", "trading", "imports", "jewelry", "knits", "quilts", "wines", "brewing",
        "coffee", "tea", "candles", "soap", "art", "gallery", "events", "weddings", "rentals", "storage", "cleaning",
    ];

    private static readonly string[] Tlds = ["com", "com", "com", "com", "net", "net", "org", "biz", "us", "info"];

    public static (string Username, string Domain, string Contact) Next(Random random, HashSet<string> used)
    {
        var first = First[random.Next(First.Length)];
        var last = Last[random.Next(Last.Length)];
        var contact = $"{Capitalize(first)} {Capitalize(last)}";
        var tld = Tlds[random.Next(Tlds.Length)];
        string domainName;
        string baseName;
        var style = random.NextDouble();
        if (style < 0.55)
        {
            domainName = BusinessFirst[random.Next(BusinessFirst.Length)] + BusinessSecond[random.Next(BusinessSecond.Length)];
            baseName = domainName;
        }
        else if (style < 0.75)
        {
            domainName = first + last;
            baseName = domainName;
        }
        else if (style < 0.9)
        {
            domainName = last + BusinessSecond[random.Next(BusinessSecond.Length)];
            baseName = domainName;
        }
        else
        {
            // The customer chose the username.
            domainName = BusinessFirst[random.Next(BusinessFirst.Length)] + BusinessSecond[random.Next(BusinessSecond.Length)];
            baseName = random.NextDouble() < 0.5 ? first[0] + last : first + last[0];
        }

        var username = baseName.Length > 8 ? baseName[..8] : baseName;
        var candidate = username;
        for (var n = 1; !used.Add(candidate); n++)
        {
            var suffix = n.ToString(CultureInfo.InvariantCulture);
            candidate = (username.Length + suffix.Length > 8 ? username[..(8 - suffix.Length)] : username) + suffix;
        }

        return (candidate, $"{domainName}.{tld}", contact);
    }

    public static string Capitalize(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];
}
