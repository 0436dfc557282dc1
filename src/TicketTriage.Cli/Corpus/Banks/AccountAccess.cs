namespace TicketTriage.Cli.Corpus.Banks;

internal static class AccountAccess
{
    public static CategoryBank Bank { get; } = new(
        Id: "account_access",
        Definition: "Cannot log in to the client area or control panel: forgotten or rejected passwords, 2FA lost or failing, locked or suspended logins, password-reset mails that never arrive, changing the account owner.",
        Weight: 1.0,
        Subjects:
        [
            "Can't log in", "cannot login to {panel}", "Locked out of my account", "Password reset not working",
            "2FA problem", "Lost my phone - two factor", "login loop", "Account locked?", "Forgot password",
            "Reset link expired", "I can't get into {panel}", "Access to client area", "login for {domain}",
            "Too many failed attempts", "Change account owner", "Authenticator code rejected", "Can't access my account",
        ],
        Symptoms:
        [
            "I can't log in to {panel}, it keeps saying my password is wrong even though I {just reset it|copied it from my password manager|know it's correct}.",
            "I've been locked out of my account after too many attempts{| and the lockout hasn't cleared after an hour}.",
            "The password reset email never arrives, I've checked spam and everything.",
            "I changed phones and now I don't have my authenticator app anymore, so I can't get past the two-factor step.",
            "Every time I log in it just sends me back to the login page, like a loop.",
            "The 2FA code from my app is always rejected as invalid{|, I've checked the time on my phone}.",
            "I clicked the reset link but it says the link has expired or is invalid.",
            "I can't get into the client area to {pay my bill|update my card|manage my domains|open a ticket properly}.",
            "My login for {panel} stopped working {when}.",
            "It says my account is suspended when I try to sign in, but I don't know why.",
            "The person who set up our account left the company and we don't know the login.",
            "I don't remember which email address I used to register the account.",
            "I need to get access to the hosting account for {domain}, our previous web designer has the login.",
            "After the upgrade to the new panel my old username doesn't work anymore.",
            "The SMS code for login never comes to my phone.",
            "When I log in it says 'session expired' straight away.",
            "My account was suspended and now I can't log in to see why or pay anything.",
            "Someone changed the email on my account and now the reset links go to them.",
            "The SFTP password works but I can't log in to the panel with the same details.",
            "I can't log in to webmail or the panel since the password change, is it the same password for both?",
            "I need my login details for the new panel, I only ever had the old cPanel ones.",
            "I got an invoice email but I can't get into the billing area to look at it.",
        ],
        Details:
        [
            "The account is under {personal}, the domain is {domain}.",
            "My username should be {user}.",
            "I tried in {browser} and also in a private window, same thing.",
            "I've cleared cookies and cache already.",
            "I reset the password {n} times today.",
            "I can still get email on {email} so it's only the login that's broken.",
            "We need to get in to renew {domain} before it expires on {date}.",
            "The website itself is working fine, I just can't get into the admin side of the hosting.",
            "I can prove ownership, I have the last invoice ({invoice}) and the card ends in {card}.",
            "I think my IP {ip} might be blocked because I tried so many times.",
            "I was logged in fine last {weekday}.",
            "It might be related to the password change you forced last week.",
            "My colleague {first} can log in with the same details but I can't.",
        ],
        Errors:
        [
            "Invalid login credentials. Please try again.",
            "Your account has been temporarily locked due to multiple failed login attempts. Please try again in 30 minutes.",
            "The verification code you entered is invalid or has expired.",
            "This password reset link is invalid or has expired.",
            "Error 403 - Access denied. Your IP address {ip} has been blocked.",
            "Login failed: account suspended. Please contact billing.",
            "CSRF token mismatch. Please reload the page and try again.",
            "Too many requests (429). Please slow down.",
        ],
        Asks:
        [
            "Can you please reset my password?",
            "Please disable two-factor so I can log back in and set it up again.",
            "Can you unlock the account?",
            "How do I prove I'm the owner so you can give me access?",
            "Please send the reset link to {personal} instead.",
            "Please whitelist my IP {ip}.",
            "Can you change the account email to {email}?",
        ],
        PhoneNotes:
        [
            "Customer locked out of client area after failed logins. Verified via {security question|last 4 of card|invoice number}, cleared lockout.",
            "Caller lost access to 2FA device (new phone). Identity check passed, 2FA reset, advised to set it up again.",
            "Cust says reset emails not arriving. Checked: sent to old address. Updated contact email to {personal}.",
            "Caller cannot log in to panel since upgrade, username changed format. Gave new login format, works now.",
            "Previous designer holds login for {domain}. Explained ownership transfer process, sent form.",
        ],
        SupportReplies:
        [
            "For security reasons we can only reset two-factor authentication after verifying your identity.",
            "We have sent a password reset link to the email address on file.",
            "Your account was locked after repeated failed login attempts. It will unlock automatically after 30 minutes.",
        ],
        Neighbours: ["billing", "security_abuse", "how_to_control_panel", "ftp_ssh_permissions", "email"]);
}
