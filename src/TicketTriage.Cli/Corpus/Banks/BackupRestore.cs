namespace TicketTriage.Cli.Corpus.Banks;

internal static class BackupRestore
{
    public static CategoryBank Bank { get; } = new(
        Id: "backup_restore",
        Definition: "Asking for or troubleshooting backups: restore a site/database/mailbox to a date, restore failing or stuck, where backups are, downloading a full backup, backup retention and schedules.",
        Weight: 0.9,
        Subjects:
        [
            "Restore request", "Please restore my site", "Restore from backup", "Backup failed",
            "restore not working", "Need yesterday's backup", "Full backup download", "How long do you keep backups?",
            "Restore stuck at 0%", "Roll back database", "restore mailbox", "backup question",
            "Can you restore {domain} to {weekday}", "JetBackup error", "Restore failed for my account",
            "Need a restore urgently",
            "Backup download link broken",
            "Restore a single file",
            "restore database please",
            "Backup of {date}",
            "Are backups running?",
        ],
        Symptoms:
        [
            "Please restore {domain} to how it was on {date}.",
            "I tried to restore my account from the backup tool but it fails straight away.",
            "The restore has been stuck at 0% for {n} hours.",
            "Can you restore just the database {db} from {weekday} night?",
            "I need the backup from before the update, our site is messed up.",
            "The backup section in the panel shows no backups at all for my account.",
            "I want to download a full backup of my account but the link doesn't work.",
            "We need the mailbox {email} restored to last week.",
            "My restore finished but nothing changed on the site.",
            "I accidentally deleted a folder, can you bring it back from a backup?",
            "The nightly backup email says 'failed' every day this week.",
            "How far back do your backups go?",
            "The restore finished with errors and now half the site is old and half new.",
            "pls restore my files from last backup",
            "Files are missing from {dir}, please restore them from last night's backup.",
            "The site was hacked, please restore it to a clean backup from before {date}.",
            "We broke the database during an update, please roll it back from the backup.",
            "Please restore the website files but not the database.",
            "Before you migrate us, can you take a full backup we can keep?",
            "Can you restore the DNS zone from the backup? I deleted records by mistake.",
            "{Please|Could you} restore {the site|the database|the whole account|public_html} from {last night|{weekday}|before {date}}.",
            "I {need|want} to {download|get a copy of} the backup from {date} but {the link fails|it says not found|the button does nothing}.",
            "I only need one file back, {file}, from {yesterday's|last week's} backup.",
            "Our own backups stopped running {when} and I'd like to know if yours still work.",
            "The restore wizard says it completed but the files are still the old ones.",
            "The restore of my account keeps failing with an error.",
        ],
        Details:
        [
            "The last good version was {weekday} morning.",
            "It's only the {dir} folder that needs restoring, not the whole site.",
            "Please don't overwrite the emails, only the website files.",
            "The account is {user} on {server}.",
            "Our own {plugin} backups were stored on the same account, so they're gone too.",
            "The backup is about {size}.",
            "I'm happy to pay for the restore if needed.",
            "We made a lot of changes since then, so only the database please.",
            "I ran the restore twice.",
            "I was told backups are daily on our plan ({plan}).",
            "The newest backup I can see is from {date}.",
            "We'd like email left as it is.",
            "Ideally the restore happens tonight, outside business hours.",
            "We're on {server}.",
        ],
        Errors:
        [
            "Restore failed: Unable to restore account {user}: destination disk quota exceeded.",
            "[{time}] Restoring files for {user}...\n[{time}] ERROR: Failed to extract archive: tar: Unexpected EOF in archive\n[{time}] Restore process finished with errors",
            "JetBackup: Restore job #{bign} failed - Snapshot not found on destination",
            "Backup for account {user} FAILED: mysqldump: Got error: 1044: Access denied for user '{dbuser}'@'localhost' to database '{db}' when using LOCK TABLES",
            "The requested backup could not be found. It may have been removed by the retention policy.",
            "Restore status: Queued ({n} jobs ahead)",
        ],
        Asks:
        [
            "Can you do the restore for me?",
            "How much does a restore cost?",
            "Please let me know when it's done so I can check.",
            "Can you put the backup in my home folder so I can pick the files myself?",
            "Please restore it as soon as you can.",
            "{Please|Can you} {restore|roll back} {it|the site|the account} to {the last good backup|{weekday}'s backup}.",
            "{Please|Can you} {restore|bring back} just {the database|{dir}|the emails} from backup.",
            "{How|Where} do I {download|get} the backup {myself|from the panel}?",
            "{Please|Can you} {run|retry} the restore {for me|again}.",
            "{How far back|How many days} can you restore?",
        ],
        PhoneNotes:
        [
            "Customer requests restore of {domain} to {date}. Restore started from daily snapshot, ETA 30 min.",
            "Caller's restore failing with quota error. Temporarily raised quota, restore completed.",
            "Cust asks for DB-only restore of {db}. Restored to separate DB so they can compare.",
            "Restore for {user} failing after node issue; backups for that node being recovered, escalated.",
            "Single-file restore of {file} requested; restored to /restored folder for customer.",
            "Customer's own backups failing (disk quota). Explained, offered upgrade.",
            "Restore of {domain} to {date} requested; done, customer confirmed.",
        ],
        SupportReplies:
        [
            "We have restored your account from the backup taken on {date}. Please check and let us know.",
            "Backups are kept for 14 days on your plan. You can restore them yourself from the Backups section.",
            "We have placed the backup archive in your home directory.",
        ],
        Neighbours: ["missing_data", "databases", "migration", "website_down", "security_abuse"]);
}
