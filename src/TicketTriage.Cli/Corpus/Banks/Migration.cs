namespace TicketTriage.Cli.Corpus.Banks;

internal static class Migration
{
    public static CategoryBank Bank { get; } = new(
        Id: "migration",
        Definition: "Moving sites, mail or databases into or out of the hosting, or between our servers/plans: free transfer requests, migrations in progress, what broke after a move, timing the DNS switch, importing from another host.",
        Weight: 0.9,
        Subjects:
        [
            "Migration request", "Move my site from {oldhost}", "Free transfer", "Transfer website to you",
            "Migration status?", "Moving from shared to VPS", "After migration problems", "Import site",
            "Moving email accounts", "When will my site be moved?", "Moving {domain} to new server",
            "Transfer from another host", "cPanel backup from old host", "migrate",
            "Moving to Corvid",
            "Site transfer request",
            "Please migrate",
            "Migration went wrong",
            "Switch from {oldhost}",
            "Move to VPS",
        ],
        Symptoms:
        [
            "We'd like to move our website and emails from {oldhost} to you.",
            "Can you migrate {domain} for us? We have a full cPanel backup.",
            "You moved our account to the new server and now {the contact form|the shop checkout|the image uploads|the cron jobs} no longer work.",
            "The migration was supposed to be done {weekday} but nothing has happened.",
            "I want to upgrade from shared hosting to a VPS and move everything over.",
            "I uploaded the files from my old host but the site doesn't work here.",
            "We need to move {n} mailboxes without losing any emails.",
            "When should I change the nameservers, before or after you copy the site?",
            "We're moving away from you, how do I get everything out?",
            "The site was moved but it still shows the old content.",
            "Half our emails are on the old server and half on the new one after the move.",
            "I'd like to move from {plan} to a bigger plan, will the site go down?",
            "my migration ticket {ticket} has no update",
            "We're moving from {oldhost}, when do I change the nameservers?",
            "The site was moved to you but some images are missing on the new server.",
            "Please move our mail from {oldhost} and keep the emails.",
            "We want to move the database to your server, it's about {size}.",
            "Can you transfer our site and then restore last week's backup of the old host?",
            "The site needs its SSL set up again after the move.",
            "{Can you|Could you|Would you} {move|transfer|migrate} {our site|our sites|{domain}} from {oldhost} {to you|over}?",
            "{After|Since} the {migration|move|transfer} {the site|some pages|the shop} {isn't|aren't} working {properly|right}.",
            "We're {moving|switching} {from {oldhost}|to your VPS} and {need|want} {help|someone to do it} {this week|before {date}}.",
            "The migration {you did|of our account} {missed|didn't include} {the emails|the database|a subdomain}.",
            "What's the {best|safest} order to move the site, the email and the domain?",
            "Our {old hosting|contract with {oldhost}} ends on {date}, we need to be moved before then.",
        ],
        Details:
        [
            "The site is {cms} with a database of about {size}.",
            "Our old host is {oldhost} and the contract ends on {date}.",
            "The domain is registered at {registrar} and we'd like to keep it there.",
            "I can give you the FTP and database logins for the old host.",
            "We can't have more than an hour of downtime.",
            "The old server runs PHP {php2}, yours {php}.",
            "The backup file is {size}.",
            "Our emails use IMAP so they should copy across, right?",
            "Some files had wrong permissions after the copy.",
            "I already pointed the DNS at {ip} before the move was finished.",
            "The database export gives an error about collation.",
            "We have {n} sites on the old account.",
            "The old host gives us a cPanel backup.",
            "We'd like to keep the old site running until the new one is checked.",
            "We don't have SSH on the old host.",
        ],
        Errors:
        [
            "Transfer Session ID: {hex}\nStatus: Failed\nError: Account \"{user}\" could not be restored: Domain \"{domain}\" already exists on this server.",
            "cpmove-{user}.tar.gz ({size})",
            "Warning: The migration tool could not connect to the source server {ip2}: Authentication failed.",
            "#1273 - Unknown collation: 'utf8mb4_0900_ai_ci'",
            "Error establishing a database connection",
            "imapsync: Host1 failure: Error login on [{ip2}] with user [{email}] auth [LOGIN]: 2 NO [AUTHENTICATIONFAILED] Authentication failed.",
        ],
        Asks:
        [
            "Please schedule the migration for the weekend.",
            "What do you need from me to start the transfer?",
            "Is the migration free on our plan?",
            "Please let me know when I can switch the DNS.",
            "Can you finish the move today?",
            "{Please|Can you} {start|schedule} the {migration|transfer|move} {this week|on {weekday}|as soon as possible}.",
            "{Please|Can you} {move|copy} {the emails|the database|everything} {over|across} {too|as well}.",
            "{What|Which} {details|logins} do you need from {oldhost}?",
            "{Please|Can you} {check|fix} {what|everything that} broke {after|in} the move.",
            "{When|How soon} {can|will} you {finish|complete} the {migration|transfer}?",
        ],
        PhoneNotes:
        [
            "Customer requests free migration from {oldhost}. Collected details, migration ticket created.",
            "Caller's site broken after move to {server}; PHP version differed, set to old version.",
            "Cust asks about moving to VPS; explained process and downtime, sent quote.",
            "Emails split between old and new server after DNS switch; ran mailbox sync again.",
            "Migration from {oldhost} scheduled for weekend; customer to lower TTL beforehand.",
            "Post-migration: subdomain missing. Added and copied files.",
            "Customer unsure of order for move; explained site first, DNS last.",
        ],
        SupportReplies:
        [
            "Your website has been migrated to our servers. Please check it using the temporary URL before changing your DNS.",
            "Our migration team will start the transfer within 24 hours.",
            "Please send us the login details for your previous hosting provider so we can start the migration.",
        ],
        Neighbours: ["dns_domains", "missing_data", "email", "databases", "website_down", "backup_restore"]);
}
