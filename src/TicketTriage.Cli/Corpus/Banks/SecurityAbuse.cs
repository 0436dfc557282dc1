namespace TicketTriage.Cli.Corpus.Banks;

internal static class SecurityAbuse
{
    public static CategoryBank Bank { get; } = new(
        Id: "security_abuse",
        Definition: "Hacked sites and accounts, malware and spam redirects, phishing pages, compromised mailboxes sending spam, brute-force and DDoS traffic, abuse and blacklist notices, and reports about someone else's site hosted here.",
        Weight: 0.9,
        Subjects:
        [
            "Site hacked", "Malware on my website", "Abuse report", "Phishing site on your network",
            "My email is sending spam", "Google says site is dangerous", "Strange redirects", "DDoS?",
            "Account compromised", "Blacklisted", "Suspicious files in public_html", "Brute force attack",
            "Spam from {domain}", "Deceptive site ahead", "Virus warning on {domain}",
            "Hacked website",
            "Suspicious activity on account",
            "Spam complaint",
            "Malware warning",
            "Our site redirects to casino",
            "Report abuse",
        ],
        Symptoms:
        [
            "Our site redirects visitors to a spam page, but only on mobile.",
            "Google shows 'This site may be hacked' under our search results.",
            "I found PHP files with random names in {dir} that I didn't put there.",
            "Somebody is sending spam from {email}, we got thousands of bounces.",
            "Chrome shows a red 'Deceptive site ahead' warning for {domain}.",
            "There is a phishing page hosted on your network impersonating our bank login.",
            "Our login page is being hammered by thousands of requests from different IPs.",
            "A new admin user appeared in {cms} that nobody here created.",
            "Our antivirus flagged the site as containing malware.",
            "I received an abuse notice saying my account is sending spam.",
            "Someone changed my password and the email on my account.",
            "The site is getting huge traffic from bots and is barely usable.",
            "There's weird Japanese text in our Google results.",
            "i think we got hacked",
            "Our website is down and the index page now says 'hacked by' something.",
            "Someone logged into our account from {country} and changed the password.",
            "Our mail server is on a blacklist because one mailbox was sending spam.",
            "Files appeared in our folders that we didn't upload, and some of ours are gone.",
            "The site is very slow because of thousands of login attempts.",
            "We keep getting certificate warnings on a page that looks like ours but isn't.",
            "{Our|My} {site|website|shop} {redirects|sends visitors} to {a casino|a pharmacy|a fake prize} site {when visiting from Google|on phones|sometimes}.",
            "{Google Search Console|Our antivirus|A customer} {warns|says|told us} that {domain} {contains malware|is dangerous|has been hacked}.",
            "{Strange|Unknown|Suspicious} {PHP files|admin users|cron jobs} {appeared|showed up} on {our account|the site} {when}.",
            "{email} {is sending|has been sending} {spam|phishing|hundreds of emails} that we didn't write.",
            "I want to report {a phishing page|a scam site|spam} coming from {domain2}, which is hosted with you.",
            "Somebody logged into our {WordPress|panel|account} from an IP in {country} that isn't us.",
        ],
        Details:
        [
            "The files were modified on {date} at {time}.",
            "We're running {cms} with {plugin}, which had a vulnerability.",
            "The access log shows lots of POST requests to xmlrpc.php from {ip2}.",
            "I changed all passwords already.",
            "Wordfence found {n} infected files.",
            "Our customers are getting emails from us we didn't send.",
            "The site shows normal for me but my customers see the redirect.",
            "The phishing URL is https://{domain2}/secure/login/.",
            "Our mail server IP {ip} is now on Spamhaus.",
            "We don't have a recent clean backup, I think.",
            "The index.php was replaced with a defacement page.",
            "The malware scanner in the panel flagged {n} files.",
            "The hacker changed the admin email to a gmail address.",
            "We updated all plugins after it happened.",
            "Our hosting password was the same as on another site, I know, I know.",
        ],
        Errors:
        [
            "Deceptive site ahead\nAttackers on {domain} may trick you into doing something dangerous like installing software or revealing your personal information.",
            "{ip2} - - [{n}/{month}/2026:{time}:{seconds} +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 403 \"-\" \"Mozilla/5.0\"\n{ip2} - - [{n}/{month}/2026:{time}:{seconds} +0000] \"POST /wp-login.php HTTP/1.1\" 200 4521 \"-\" \"Mozilla/5.0\"",
            "<?php @eval(base64_decode($_POST['{hex}'])); ?>",
            "Detected: Backdoor.PHP.WebShell ({path}/{hex}.php)",
            "Abuse report #{bign}: Spam originating from {ip}, Return-Path: <{email}>, {bign} complaints received in 24h.",
            "The following IP is listed: {ip} - listed in SBL/XBL (zen.spamhaus.org)",
            "Warning: This site may harm your computer.",
        ],
        Asks:
        [
            "Please take the phishing page down.",
            "Can you scan my account for malware?",
            "Can you help clean the site?",
            "Please block these IPs.",
            "Please lock the account until we figure out what happened.",
            "{Please|Can you} {clean|scan} {the site|our account} {for malware|and remove the hack}.",
            "{Please|Can you} {take down|remove|disable} {the page|the phishing site|that content}.",
            "{Please|Can you} {block|stop} the {attack|bots|traffic} {on our site|from these IPs}.",
            "{Please|Can you} {secure|lock down} {the account|our mailbox} {asap|now}.",
            "{Please|Can you} help us get {off the blacklist|the warning removed}.",
        ],
        PhoneNotes:
        [
            "Customer's site redirecting to spam. Malware scan found injected JS in theme files; quarantined, advised plugin updates.",
            "Caller reports phishing page on {domain2}. Ticketed to abuse team with URL.",
            "Mailbox {email} compromised, sending spam. Password reset, outbound queue cleared.",
            "Brute force on wp-login for {domain}; enabled rate limiting.",
            "Customer reports redirect hack; infected .htaccess and wp-config injection found, cleaned, passwords rotated.",
            "Abuse report about phishing on {domain2}; forwarded to abuse team, page disabled.",
            "Unknown cron job mining crypto on account; removed, SSH keys rotated.",
        ],
        SupportReplies:
        [
            "Our malware scanner has found infected files in your account, listed below.",
            "We have suspended outgoing mail for this mailbox because it was sending spam.",
            "Thank you for your report. Our abuse team will investigate and take appropriate action.",
        ],
        Neighbours: ["website_down", "email", "account_access", "missing_data", "slow_performance"]);
}
