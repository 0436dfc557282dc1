namespace TicketTriage.Cli.Corpus.Banks;

internal static class FtpSshPermissions
{
    public static CategoryBank Bank { get; } = new(
        Id: "ftp_ssh_permissions",
        Definition: "FTP/SFTP/SSH access and file permissions: connection refused or timing out, login rejected, SSH keys, enabling shell access, ownership and chmod problems, 'permission denied' when uploading or writing files.",
        Weight: 0.9,
        Subjects:
        [
            "FTP not connecting", "SSH access", "Permission denied (publickey)", "FileZilla error", "Can't upload files",
            "Enable SSH please", "SFTP login fails", "chmod problem", "Wrong file owner", "FTP account",
            "Connection timed out on port {port}", "Upload fails - permission denied", "SSH key not accepted",
            "ftp password not working", "Need shell access",
            "FTP login failed",
            "Can't connect with FileZilla",
            "SSH refused",
            "Permission denied when uploading",
            "file permissions",
            "SFTP access",
        ],
        Symptoms:
        [
            "FileZilla can't connect, it times out after 'Connecting to {ip}:21...'.",
            "SSH says Permission denied (publickey) even though I added my key in the panel.",
            "I can log in via FTP but uploading any file fails with permission denied.",
            "WordPress can't write to the uploads folder, it says the folder isn't writable.",
            "My FTP user {user}@{domain} doesn't work anymore.",
            "I need SSH access enabled for my account to run composer.",
            "All my files now belong to another user, I can't edit them.",
            "SFTP on port 22 refuses the connection.",
            "I set a folder to 777 by mistake and now the site gives errors.",
            "The FTP connection drops when listing big directories.",
            "I can't delete some files, they show as owned by root.",
            "ssh connection refused on my vps",
            "Git pull on the server fails with permission denied.",
            "After the migration all files are owned by the wrong user and the site can't write anything.",
            "I can't log in with FTP since the password reset.",
            "Where do I create an FTP account in the new panel?",
            "The site shows 403 Forbidden after I changed the folder permissions.",
            "My SSH key was rejected, is my account locked?",
            "I can't upload the backup file via SFTP, it stops at 2 GB.",
            "{FileZilla|WinSCP|Cyberduck|My FTP client} {won't connect|times out|says login incorrect} {when}.",
            "Uploading {a file|images|the theme} {fails|gives an error} with '{permission denied|553|access denied}'.",
            "I {can't|cannot} {connect|log in} over {SSH|SFTP} on port {22|2222}, {connection refused|it hangs}.",
            "{The site|WordPress|Our app} {can't write to|has no permission for} {the cache folder|uploads|{dir}}.",
            "My {SSH key|public key} {isn't accepted|gets rejected} even though it's in authorized_keys.",
            "I changed permissions on {dir} and now {things are broken|the site shows errors}.",
        ],
        Details:
        [
            "I'm using FileZilla on {os}.",
            "Host is ftp.{domain}, port 21, plain FTP.",
            "I tried SFTP on port 22 too.",
            "My IP is {ip2} in case it's blocked by the firewall.",
            "The key is an ed25519 key, I pasted the .pub file contents.",
            "I reset the FTP password in {panel} twice.",
            "It worked from my home but not from the office.",
            "The folder is {path}.",
            "The permissions show 644 for files and 755 for folders.",
            "This started after you moved us to {server}.",
            "Our developer in {country} needs access too.",
            "The FTP username is {user}.",
            "Passive mode is on.",
            "It says 'Connection established, waiting for welcome message...' and stops.",
            "I'm on a VPN sometimes, maybe the IP changes.",
        ],
        Errors:
        [
            "{user}@{server}: Permission denied (publickey).",
            "Status:\tConnecting to {ip}:21...\nError:\tConnection timed out after 20 seconds of inactivity\nError:\tCould not connect to server",
            "Status:\tConnected to {server}\nError:\t530 Login authentication failed\nError:\tCould not connect to server",
            "553 Can't open that file: Permission denied",
            "ssh: connect to host {domain} port 22: Connection refused",
            "Unable to create directory wp-content/uploads/2026/{month}. Is its parent directory writable by the server?",
            "Warning: fopen({path}/cache/{file}): Failed to open stream: Permission denied in {path}/lib/Cache.php on line {bign}",
            "Error:\tGnuTLS error -15 in gnutls_record_recv: An unexpected TLS packet was received.\nError:\tCould not read from socket: ECONNRESET - Connection reset by peer",
            "rsync: [receiver] mkstemp \"/home/{user}/{dir}/.{file}.{hex}\" failed: Permission denied (13)",
            "fatal: could not open '.git/FETCH_HEAD' for writing: Permission denied",
        ],
        Asks:
        [
            "Can you enable SSH on my account?",
            "Please fix the ownership of my files.",
            "Can you unblock my IP in the firewall?",
            "What are the correct FTP settings?",
            "Can you create an FTP account just for the {dir} folder?",
        ],
        PhoneNotes:
        [
            "Customer can't connect FTP, IP {ip2} blocked by firewall after failed logins. Unblocked.",
            "Caller needs SSH for composer. Enabled jailed shell, explained key upload.",
            "Files owned by wrong user after migration on {server}; fixed ownership recursively.",
            "SSH publickey denied; customer pasted private key into panel. Explained, now working.",
            "FTP client using port 22 with FTP protocol; switched to SFTP, connected.",
            "Uploads failing, account over disk quota. Explained, customer cleaned up.",
            "Permissions on {dir} set to 777 by customer; reset to 755/644, site ok.",
        ],
        SupportReplies:
        [
            "Your IP address had been blocked by our firewall due to failed login attempts. We have removed the block.",
            "We have corrected the file ownership and permissions in your account.",
            "SSH access has been enabled for your account. Please use port 22 and key authentication.",
        ],
        Neighbours: ["account_access", "website_down", "migration", "security_abuse", "how_to_control_panel"]);
}
