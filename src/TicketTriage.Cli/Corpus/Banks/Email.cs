namespace TicketTriage.Cli.Corpus.Banks;

internal static class Email
{
    public static CategoryBank Bank { get; } = new(
        Id: "email",
        Definition: "Mailboxes on the hosting: mail not arriving or bouncing, cannot send (SMTP), mail client setup and password prompts, webmail, quota full, forwarders, mail landing in spam.",
        Weight: 1.3,
        Subjects:
        [
            "Emails not arriving", "Can't send email", "Bounce back", "Outlook keeps asking for password",
            "mail not working", "Undeliverable: {RE: quote|invoice {invoice}|meeting tomorrow}", "Emails going to spam", "mailbox full",
            "Webmail won't load", "no emails since {weekday}", "SMTP error", "Mail delivery failed",
            "emails to gmail rejected", "Forwarder not working", "{email} not receiving", "Outgoing mail stuck in outbox",
            "Email problem", "Customers say my emails bounce",
        ],
        Symptoms:
        [
            "We're not receiving any emails on {email} {when}.",
            "I can receive emails but I can't send anything, they just sit in the outbox.",
            "{client} keeps popping up asking for my password{| over and over}.",
            "Every email I send to Gmail addresses bounces back.",
            "Customers tell me their emails to {email} are bounced with an error.",
            "All our outgoing mail is ending up in people's spam folders.",
            "Webmail just shows a blank page after I log in.",
            "My mailbox says it's full but I deleted loads of messages.",
            "The forwarder from {email} to {personal} stopped working.",
            "I'm getting emails hours late, sometimes the next day.",
            "I can't set up my email on my new phone, it says it can't connect to the server.",
            "Some emails arrive and some don't, there's no pattern.",
            "When I send email to {domain2} it comes back undeliverable.",
            "The contact form on our website doesn't send emails anymore.",
            "I lost all my emails in {client} after it synced.",
            "Our newsletter mails are rejected by Microsoft addresses.",
            "i have no incoming mail at all today",
            "Since we changed the DNS our emails have stopped coming in.",
            "Our mailbox got hacked and now it's sending spam, and we can't send normal mail anymore.",
            "After the migration to the new server half the mailboxes don't receive anything.",
            "I can't find where to change the mailbox password in the new panel and Outlook won't connect.",
            "Outlook says the certificate for the mail server is not valid and won't send.",
            "The website contact form used to email us and now nothing arrives.",
        ],
        Details:
        [
            "I'm using {client} on {os}.",
            "Incoming server is mail.{domain}, IMAP port 993, outgoing port 465 with SSL.",
            "The settings haven't changed, it was working fine {weekday}.",
            "I tried port 587 and 25 as well, same result.",
            "It happens with {email} and {email2}.",
            "The mailbox is about {size}.",
            "We use the domain {domain} for everything.",
            "My password works in webmail so it's not the password.",
            "This is affecting the whole office, {n} people.",
            "I think the MX records might be wrong since we changed something with the domain.",
            "I checked the spam folder and the quarantine, nothing there.",
            "Is my domain on a blacklist? Someone said the server IP {ip} is listed.",
            "We have SPF set but I'm not sure about DKIM.",
            "The certificate warning on mail.{domain} comes up too.",
        ],
        Errors:
        [
            "Delivery to the following recipient failed permanently:\n\n     {personal}\n\nTechnical details of permanent failure:\n550 5.1.1 <{email}>: Recipient address rejected: User unknown in virtual mailbox table",
            "This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its recipients. This is a permanent error.\n\n  {personal}\n    host gmail-smtp-in.l.google.com [142.250.27.26]\n    SMTP error from remote mail server after end of data:\n    550-5.7.26 This mail is unauthenticated, which poses a security risk to the\n    550 5.7.26 sender and Gmail user.",
            "Sending of the message failed.\nThe message could not be sent because the connection to Outgoing server (SMTP) mail.{domain} timed out. Try again.",
            "554 5.7.1 Service unavailable; Client host [{ip}] blocked using zen.spamhaus.org",
            "The server responded: 535 5.7.8 Error: authentication failed: UGFzc3dvcmQ6",
            "452 4.2.2 The email account that you tried to reach is over quota.",
            "421 4.7.0 Try again later, closing connection. (EHLO)",
            "Your message did not reach some or all of the intended recipients.\n  Subject: RE: order {invoice}\n  Sent: {date} {time}\nThe following recipient(s) cannot be reached:\n  {personal} on {date} {time}\n      550 5.4.1 Recipient address rejected: Access denied",
            "Mail quota exceeded for {email} (1024 MB of 1024 MB used)",
            "Cannot get mail. The connection to the server mail.{domain} was reset.",
            "IMAP server error: [AUTHENTICATIONFAILED] Authentication failed.",
        ],
        Asks:
        [
            "Can you check the mail logs for {email}?",
            "Please tell me the correct settings for {client}.",
            "Can you increase the mailbox quota?",
            "Can you get the server off the blacklist?",
            "Please check what's happening with our mail, it's our main way of getting orders.",
            "How do I set up DKIM so Gmail accepts our mail?",
        ],
        PhoneNotes:
        [
            "Cust not receiving mail on {email}. Mailbox at quota, cleared trash via webmail, mail flowing.",
            "Caller can't send from {client}, SMTP auth off in client settings. Walked through enabling it.",
            "Customer reports bounces to Gmail. SPF missing include, DKIM not enabled. Enabled DKIM, advised on SPF.",
            "Webmail blank after login for {email}. Asked to clear cache / try other browser, escalated if persists.",
            "Mail delayed several hours for {domain}, queue backlog on {server}. Told customer we're monitoring.",
        ],
        SupportReplies:
        [
            "We have checked the mail server and can see the messages being delivered to your mailbox.",
            "Please make sure your outgoing server requires authentication and uses port 465 with SSL/TLS.",
            "Your mailbox has reached its quota. Please delete some messages or upgrade your plan.",
        ],
        Neighbours: ["dns_domains", "ssl_certificates", "security_abuse", "account_access", "migration"]);
}
