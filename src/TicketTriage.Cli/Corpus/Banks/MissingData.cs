namespace TicketTriage.Cli.Corpus.Banks;

internal static class MissingData
{
    public static CategoryBank Bank { get; } = new(
        Id: "missing_data",
        Definition: "Files, pages, images, posts, orders or e-mails that were there and are gone, without the customer asking first for a restore: disappeared uploads, emptied folders, lost content after an upgrade, reverted changes.",
        Weight: 0.8,
        Subjects:
        [
            "Files missing", "My images are gone", "Where are my files?", "Folder empty!", "Pages disappeared",
            "Lost data", "uploads folder empty", "Posts missing from site", "Everything I did yesterday is gone",
            "Emails disappeared from inbox", "Orders missing", "Site reverted to old version", "Missing content",
            "files vanished after upgrade", "public_html empty??",
            "Images missing on site",
            "files deleted?",
            "Where is my data?",
            "Everything gone",
            "Half my products are missing",
            "Contacts disappeared",
        ],
        Symptoms:
        [
            "All the images in our media library are gone, just grey boxes.",
            "The {dir} folder is empty, there were hundreds of files in it.",
            "The changes I made yesterday have disappeared, the site looks like it did last month.",
            "Several of our blog posts are missing, they're not even in the trash.",
            "All my emails from before {date} have vanished from the inbox.",
            "Orders from the last {n} days are missing in the shop admin.",
            "Some of the files I uploaded by FTP are just not there anymore.",
            "I logged in and my whole public_html is empty apart from a cgi-bin folder.",
            "Our customer database is missing about half of the entries.",
            "The PDF downloads on our site are all broken links now, the files are gone.",
            "Since your server upgrade some of our files are missing.",
            "Our product photos disappeared overnight.",
            "A whole folder of documents is gone from the account.",
            "my website lost all the pages i created",
            "Files are missing from {dir} and I don't know if there's even a backup.",
            "After you moved us to the new server some of our images are missing.",
            "Some database tables seem to have disappeared, the site shows half the products.",
            "The restore you did last week seems to have wiped the posts we added since.",
            "After we got hacked a lot of our files were deleted.",
            "Emails from the last month disappeared from the server.",
            "{Half|Most|All} of the {images|product photos|PDFs|uploads} on {domain} are {gone|missing|broken} {when}.",
            "Our {blog posts|pages|products|customer records} from {the last month|this year|the last few weeks} are {gone|missing}.",
            "I can't find {the folder|a folder} I {uploaded|created} {last week|yesterday} anywhere in the file manager.",
            "The inbox for {email} is suddenly empty, years of mail gone.",
            "Someone or something deleted files from our account, we did nothing.",
            "Our site looks like it went back in time, recent changes are not there.",
        ],
        Details:
        [
            "Nobody else has access to the account.",
            "I didn't delete anything, I'm sure.",
            "The file manager shows the folder as {size} but it's empty when I open it.",
            "It happened after the maintenance on {server}.",
            "We only noticed today but it could have been {n} days ago.",
            "The files were in {path}.",
            "The database tables are still there but the {table} table looks empty.",
            "I use {client} and it's set to IMAP, so maybe it deleted them?",
            "Our developer says he didn't touch anything.",
            "Was the account moved to another server? Some things look different.",
            "I can see the files in an old FTP listing I saved.",
            "It's a {cms} site.",
            "The disk usage in the panel dropped from {size} to almost nothing.",
            "We didn't get any warning.",
            "I can still see thumbnails but the full images are gone.",
            "Our theme settings are also reset.",
        ],
        Errors:
        [
            "Warning: include(/home/{user}/public_html/wp-content/uploads/{file}): Failed to open stream: No such file or directory",
            "404 Not Found\nThe requested URL /wp-content/uploads/2026/0{n}/{file} was not found on this server.",
            "Status:\tRetrieving directory listing of \"/{dir}\"...\nStatus:\tDirectory listing of \"/{dir}\" successful\nStatus:\t0 files, 0 folders",
            "total 0\ndrwxr-x--- 2 {user} nobody 4096 {month} {n} 03:12 .\ndrwx--x--x 9 {user} {user} 4096 {month} {n} 03:12 ..",
            "Not Found\nThe requested URL was not found on this server.",
        ],
        Asks:
        [
            "Where did they go?",
            "Can you find out what happened to the files?",
            "Can you check the logs to see who deleted them?",
            "Is there any way to get them back?",
            "Please check whether this was caused by something on your side.",
            "{Please|Can you} {find out|check} {where|what happened to} {the files|our data|the images}.",
            "Were the files {deleted|removed} on your side?",
            "{Please|Can you} {tell me|check} {who|what} {deleted|removed} {them|the files}.",
            "Please {investigate|look into} how the {data|files} {disappeared|went missing}.",
            "Is anyone else {reporting|seeing} missing files?",
        ],
        PhoneNotes:
        [
            "Customer reports media files missing on {domain}. Uploads dir empty since OS upgrade on {server}. Escalated.",
            "Caller says posts gone. Found in trash of another user; restored from WP trash.",
            "Cust missing old emails, IMAP client deleted them after sync. Explained options.",
            "public_html empty for {user}. Linked to incident on {server}, customer updated.",
            "Caller's product images missing; uploads moved by plugin to CDN folder. Explained, customer to check plugin.",
            "Mailbox {email} emptied; IMAP client on shared PC deleted messages. Offered restore from backup.",
            "Customer reports files missing after {server} upgrade; added to incident, escalated.",
        ],
        SupportReplies:
        [
            "We have checked the file system and the directory you mentioned is currently empty.",
            "Our logs show the files were removed via FTP from the IP address {ip2}.",
            "We are investigating reports of missing files on this server following the recent upgrade.",
        ],
        Neighbours: ["backup_restore", "migration", "security_abuse", "email", "website_down"]);
}
