namespace TicketTriage.Cli.Corpus.Banks;

internal static class WebsiteDown
{
    public static CategoryBank Bank { get; } = new(
        Id: "website_down",
        Definition: "The site does not load or shows an error: HTTP 500/502/503/403/404 across the site, white screen, PHP fatal errors, 'error establishing a database connection' when the site as a whole is down, timeouts, default or suspended pages.",
        Weight: 1.4,
        Subjects:
        [
            "Website down", "site not loading", "500 error", "{domain} is down!!", "White screen", "Site offline",
            "HTTP ERROR 500", "503 Service Unavailable", "My website shows an error", "Internal server error",
            "Site broken after update", "website not working", "Down again", "403 Forbidden on homepage",
            "critical error on my site", "{domain} unreachable", "Bad gateway", "URGENT website",
        ],
        Symptoms:
        [
            "Our website {domain} is down {when}.",
            "The site shows 'Internal Server Error' on every page.",
            "I just get a white screen, nothing at all, not even an error.",
            "The homepage loads but every other page gives a 404.",
            "After updating {plugin} the whole site says 'There has been a critical error on this website'.",
            "The site says 503 Service Unavailable.",
            "I'm getting a 403 Forbidden when I open the site.",
            "The website times out, the browser just spins and then says the site can't be reached.",
            "The site shows your default page instead of my website.",
            "My site shows 'Error establishing a database connection' and nothing else.",
            "It says 'This account has been suspended' on my website!",
            "Customers are calling to say the website is broken.",
            "The site is up and down every few minutes.",
            "the website is not working",
            "The admin area works but the front page is blank.",
            "Since you did the maintenance last night our site just shows an error page.",
            "Half of our pages give a 502 Bad Gateway.",
            "The site is completely down, it just says error establishing a database connection.",
            "Since the SSL was installed the site doesn't open at all anymore.",
            "Our site has been down since the migration to your new server.",
            "The site went down after I changed a record in the DNS zone, I changed it back and it's still down.",
            "We got hacked last week and now the website won't load at all, just an error.",
            "The site loads slower and slower and now it doesn't load at all.",
        ],
        Details:
        [
            "It's a {cms} site on PHP {php}.",
            "Nothing was changed on our side.",
            "The only thing I did was update {cms} to {wpver}.",
            "I renamed the plugins folder like the guides say, no change.",
            "It's on server {server} I think.",
            "Our other site {domain2} on the same account is fine.",
            "I checked on downforeveryoneorjustme and it's down for everyone.",
            "I tried from my phone on 4G as well, same error.",
            "The error log in {path} is getting huge.",
            "Could the PHP version change have broken it? It was {php2} before.",
            "We're an online shop so every hour down costs us money.",
            "The .htaccess file is the same as before, I haven't touched it.",
            "Maybe the database is full or something?",
        ],
        Errors:
        [
            "Internal Server Error\n\nThe server encountered an internal error or misconfiguration and was unable to complete your request.\n\nPlease contact the server administrator at webmaster@{domain} to inform them of the time this error occurred.\n\nAdditionally, a 500 Internal Server Error error was encountered while trying to use an ErrorDocument to handle the request.",
            "HTTP ERROR 500\nThis page isn't working\n{domain} is currently unable to handle this request.",
            "PHP Fatal error:  Uncaught Error: Call to undefined function create_function() in {path}/wp-content/plugins/old-slider/includes/init.php:{bign}\nStack trace:\n#0 {path}/wp-settings.php({bign}): include_once()\n#1 {{main}}\n  thrown in {path}/wp-content/plugins/old-slider/includes/init.php on line {bign}",
            "There has been a critical error on this website. Please check your site admin email inbox for instructions.",
            "503 Service Unavailable\nNo server is available to handle this request.",
            "502 Bad Gateway\nnginx",
            "Forbidden\nYou don't have permission to access this resource.\nApache Server at {domain} Port 443",
            "[{logdate}] [proxy_fcgi:error] [pid {pid}] [client {ip}:{bign}] AH01071: Got error 'PHP message: PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /home/{user}/public_html/wp-includes/class-wpdb.php on line 2056'",
            "Parse error: syntax error, unexpected '}}' in /home/{user}/public_html/wp-content/themes/child/functions.php on line {bign}",
            "This site can’t be reached\n{domain} took too long to respond.\nERR_CONNECTION_TIMED_OUT",
            "Error establishing a database connection",
            "504 Gateway Time-out\nThe server didn't respond in time.",
            "Warning: require_once(/home/{user}/public_html/wp-load.php): Failed to open stream: No such file or directory in /home/{user}/public_html/index.php on line 17",
        ],
        Asks:
        [
            "Please get it back up as soon as possible!",
            "Can you check the server error log and tell me what's wrong?",
            "Can you roll back whatever you changed?",
            "Is there an outage on {server}?",
            "Please look at it urgently, we're losing sales.",
        ],
        PhoneNotes:
        [
            "Customer's site {domain} returning 500. Error log shows fatal from plugin after update; disabled plugin, site up.",
            "Caller reports site down. Account suspended for unpaid invoice; transferred to billing.",
            "Site showing default page after DNS change by customer. Explained propagation, docroot correct.",
            "Cust says 503 on site since maintenance on {server}. Known issue, linked to incident, customer informed.",
            "Site white screen, PHP memory limit exhausted. Raised limit to 256M, site loads.",
        ],
        SupportReplies:
        [
            "We have checked your website and it is loading correctly from our side. Could you please send a screenshot of the error?",
            "The error is caused by a plugin on your website. We have temporarily disabled it.",
            "We are aware of an issue affecting some websites on this server and our engineers are working on it.",
        ],
        Neighbours: ["databases", "ssl_certificates", "dns_domains", "slow_performance", "security_abuse", "billing"]);
}
