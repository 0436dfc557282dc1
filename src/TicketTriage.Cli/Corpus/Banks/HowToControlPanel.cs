namespace TicketTriage.Cli.Corpus.Banks;

internal static class HowToControlPanel
{
    public static CategoryBank Bank { get; } = new(
        Id: "how_to_control_panel",
        Definition: "How do I … questions, mostly about the new control panel after the upgrade: where a feature moved, how to create a mailbox, install an app, change PHP version, add a cron job, set up a redirect or a subdomain, use the file manager.",
        Weight: 1.0,
        Subjects:
        [
            "How do I ...", "Question about new panel", "Where is the file manager now?", "How to change PHP version",
            "Setting up a cron job", "New control panel - can't find anything", "How to add email account",
            "Install WordPress", "Redirect question", "Where did {the backups page|the email settings|the stats} go?",
            "Quick question", "Help with panel", "How to create subdomain", "Softaculous missing?", "Tutorial?",
            "Can't find setting",
            "Where is phpMyAdmin?",
            "New dashboard question",
            "How do I add a user",
            "How to set up forwarder",
            "Question about Roost",
        ],
        Symptoms:
        [
            "Since you switched to the new panel I can't find where to {create an email account|change the PHP version|add a cron job|see my disk usage|manage DNS}.",
            "How do I set up a redirect from {domain2} to {domain}?",
            "Where do I change the PHP version for just one site?",
            "Is there a guide for the new control panel? Everything has moved.",
            "How can I install WordPress on a subdomain?",
            "I'd like to add a cron job that runs a PHP script every 15 minutes, how?",
            "Where can I see how much disk space I'm using?",
            "How do I give my web designer access without giving him my password?",
            "The old cPanel had a button for {the file manager|email forwarders|Softaculous|the error log}, where is it now?",
            "Can I change my primary domain to {domain2}?",
            "How do I password protect a folder?",
            "how to make new email adress",
            "What's the difference between an addon domain and a parked domain in the new panel?",
            "Can I increase upload_max_filesize myself?",
            "How do I add an MX record in the new panel?",
            "How do I restore a backup myself in the new control panel?",
            "Where do I see the error logs for my site now?",
            "How do I create a new database and user in the new panel?",
            "How do I turn on the free SSL for a new domain?",
            "Where do I change my FTP password now?",
            "{Where|How} do I {find|get to} {the file manager|phpMyAdmin|the DNS editor|email forwarders|the backups} in {the new panel|Roost|the new dashboard}?",
            "{How|Can you tell me how} {do I|to} {add|set up|create} {a subdomain|an email forwarder|a cron job|an FTP account} {now|in the new panel}?",
            "I used to {change the PHP version|look at the stats|add redirects} in cPanel, {what's the equivalent now|where do I do that now}?",
            "Is there a way to {see the access logs|install an SSL myself|clone the site to staging} in the new panel?",
            "How do I {invite|add} {a colleague|my developer} to the account with limited access?",
            "What does the '{Isolation|Resources|Site Tools}' section in the new panel do?",
        ],
        Details:
        [
            "I'm not very technical so step by step would be great.",
            "I looked in the knowledge base but the screenshots show the old panel.",
            "I used to do this in cPanel all the time.",
            "The account is {user}.",
            "I'm on the {plan} plan, not sure if that matters.",
            "The menu on the left doesn't have it anymore.",
            "It's for {domain}.",
            "I want to do it myself rather than bother you each time.",
            "I clicked around for half an hour.",
            "The new design is nice but it's confusing.",
            "A screenshot of where to click would be perfect.",
            "I'm on my phone mostly, so the mobile view would help.",
            "The search box in the panel doesn't find it.",
            "I'm an agency and we have {n} clients asking the same.",
        ],
        Errors:
        [
            "The feature you requested is not available on your plan.",
            "Error: Invalid cron expression '*/15 * * *'",
            "php_value upload_max_filesize 64M\nphp_value post_max_size 64M",
            "0 */2 * * * /usr/local/bin/php /home/{user}/public_html/cron.php >/dev/null 2>&1",
        ],
        Asks:
        [
            "Could you send me instructions?",
            "Is there a video tutorial?",
            "Can you do it for me this time and show me how?",
            "Is it possible at all on my plan?",
            "Where is the documentation for the new panel?",
            "{Could|Can} you {point me to|send} {a guide|the article|instructions} for {this|that}?",
            "{Please|Can you} {explain|show me} {how|where} {to do it|it is} {step by step|in the new panel}.",
            "Is there a {help page|tutorial|video} for {the new panel|Roost}?",
            "{Could|Can} you {walk me through|guide me through} it on {a call|chat}?",
            "Is this {possible|available} on the {plan} plan?",
        ],
        PhoneNotes:
        [
            "Customer couldn't find email account creation in new panel; walked through Mail > Accounts.",
            "Caller asked how to change PHP version per domain; showed PHP Selector.",
            "Cust wanted cron job for script; set up with them on the call.",
            "General questions about new panel layout, sent KB link for migration guide.",
            "Caller couldn't find phpMyAdmin in new panel; under Databases > Tools. Shown.",
            "Customer asked how to invite developer; walked through Users & Access.",
            "Question about staging in new panel; explained clone feature.",
        ],
        SupportReplies:
        [
            "You can find this option under Websites > PHP Settings in the new control panel.",
            "Here is a step-by-step guide from our knowledge base: https://{brandsite}/kb/{bign}",
            "You can create additional users with limited access from the Users & Access page.",
        ],
        Neighbours: ["email", "dns_domains", "ssl_certificates", "databases", "account_access", "ftp_ssh_permissions"]);
}
