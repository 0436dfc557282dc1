namespace TicketTriage.Cli.Corpus.Banks;

internal static class SlowPerformance
{
    public static CategoryBank Bank { get; } = new(
        Id: "slow_performance",
        Definition: "The site or panel works but is slow: long page loads, high time-to-first-byte, CPU/memory/entry-process limits being hit, slow admin, slow queries making pages crawl, intermittent sluggishness.",
        Weight: 1.0,
        Subjects:
        [
            "Website very slow", "slow site", "Pages take forever to load", "Performance issues",
            "Site crawling", "Resource limit reached", "CPU usage at 100%", "Admin panel super slow",
            "slow loading times", "TTFB over 5 seconds", "Site sluggish since migration to new server",
            "Why is my site so slow?", "Speed problem", "Page load times", "website slow again",
            "Slow response times",
            "Website takes 10+ seconds",
            "Why is the admin so slow",
            "Performance dropped",
            "site very slow today",
            "Resource usage warnings",
        ],
        Symptoms:
        [
            "Our site has become really slow, pages take {seconds} seconds to load.",
            "The WordPress admin is painfully slow, saving a post takes forever.",
            "The website is very slow in the mornings and fine at night.",
            "It's not down, but it's so slow customers give up.",
            "The first byte takes like 6 seconds according to GTmetrix.",
            "I keep getting 'Resource Limit Is Reached' messages in {panel}.",
            "The checkout page is extremely slow, sometimes 20+ seconds.",
            "PageSpeed says the server response time is too long.",
            "Our site has been sluggish {when}.",
            "Everything on the site takes ages, even small pages.",
            "The CPU graph in the panel is always at 100%.",
            "Images load really slowly on the site.",
            "search on our shop takes about {seconds} seconds",
            "Since being moved to the new server our site loads much slower than before.",
            "The site doesn't go down but the database queries are so slow that pages take half a minute.",
            "Since the migration the site takes ages to load, it was quick on our old host.",
            "There's a lot of bot traffic hitting the site and it makes everything slow.",
            "The site is slow only over https, http is fine, weird.",
            "The control panel itself is super slow, every click takes a minute.",
            "Backups run every night and the site crawls while they run.",
            "{Pages|Product pages|Blog posts} take {seconds} seconds or more to {open|load|show up}.",
            "The site is {fine|fast} for a few minutes and then {crawls|slows to a crawl|becomes sluggish} again.",
            "Loading the {dashboard|orders page|media library} in the admin takes forever.",
            "Our speed score dropped from 90 to {pct} {when}.",
            "{Visitors|Customers} complain that {adding to cart|checkout|search} is painfully slow.",
            "We keep getting emails that the account hit its {CPU|memory|process} limit.",
        ],
        Details:
        [
            "We have around {bign} products in the database.",
            "I already installed {WP Rocket|W3 Total Cache|LiteSpeed Cache|a caching plugin} for caching, it didn't help much.",
            "The database is about {size}.",
            "We are on the {plan} plan, do we need to upgrade?",
            "It's {cms} with PHP {php}.",
            "The slow query log might show something, I don't know how to read it.",
            "We get maybe {bign} visitors a day, not a lot.",
            "I noticed the wp_options table is huge.",
            "It was fast until about {n} weeks ago.",
            "Other sites on {server} seem slow too.",
            "The server load seems high when I check in the panel.",
            "Our developer says the hosting is the problem, you say it's the site.",
            "Sometimes it's so slow it times out with a 504.",
            "GTmetrix shows most of the time is waiting for the server.",
            "Traffic hasn't gone up, it's the same as always.",
            "It's worse between {clock} and {clock}.",
            "The same site on my laptop with XAMPP is fast.",
        ],
        Errors:
        [
            "Resource Limit Is Reached\nThe website is temporarily unable to service your request as it exceeded resource limit. Please try again later.",
            "# Time: 2026-{n}-1{n}T{time}:{seconds}.{bign}Z\n# User@Host: {dbuser}[{dbuser}] @ localhost []\n# Query_time: {seconds}.{bign}  Lock_time: 0.000{n}  Rows_sent: {bign}  Rows_examined: 48{bign}210\nSELECT option_name, option_value FROM wp_options WHERE autoload = 'yes';",
            "Faults: CPU {pct}% | EP 20/20 | Memory 1024M/1024M | IO 1 MB/s",
            "Reduce initial server response time - Root document took {seconds},{bign} ms",
            "Time to first byte: {seconds}.{n} s\nFully loaded: {bign}.{n} s\nRequests: {bign}",
            "[{logdate}] [core:warn] [pid {pid}] AH00045: child process {pid} still did not exit, sending a SIGTERM",
            "Warning: max_execution_time of 30 seconds exceeded in /home/{user}/public_html/wp-includes/class-wp-query.php",
        ],
        Asks:
        [
            "Can you check whether the server is overloaded?",
            "What can I do to speed it up?",
            "Would moving to a VPS help?",
            "Please check if something on the server is eating resources.",
            "Can you enable Redis or some object cache for us?",
        ],
        PhoneNotes:
        [
            "Customer reports slow site. Account hitting entry process limit, heavy bot traffic. Suggested blocking bots / upgrade.",
            "Caller says admin slow. Large autoloaded options in DB; gave article on cleanup, offered paid optimisation.",
            "Site slow on {server}. Server load high, escalated to sysadmins.",
            "Slow checkout. Uncached WooCommerce pages + slow queries. Recommended object cache, VPS plan quote sent.",
            "Slow admin for {domain}; heartbeat API + cron overlap. Suggested limiting heartbeat.",
            "Customer complaining speed after move to {server}; opcache disabled on new node, enabled.",
            "Site slow under crawler load; added bot rules, monitoring.",
        ],
        SupportReplies:
        [
            "Your account is reaching its CPU and entry process limits, which causes the slowness you are seeing.",
            "We checked the server load and it is within normal limits at the moment.",
            "We recommend enabling caching and optimising your database tables.",
        ],
        Neighbours: ["databases", "website_down", "security_abuse", "migration"]);
}
