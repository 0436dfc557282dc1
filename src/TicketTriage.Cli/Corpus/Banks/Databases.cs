namespace TicketTriage.Cli.Corpus.Banks;

internal static class Databases
{
    public static CategoryBank Bank { get; } = new(
        Id: "databases",
        Definition: "MySQL/MariaDB/PostgreSQL themselves: cannot connect, access denied for a user, phpMyAdmin errors and import limits, corrupt or crashed tables, too many connections, creating users and grants, remote access, version questions.",
        Weight: 0.9,
        Subjects:
        [
            "Database connection error", "phpMyAdmin not working", "Can't import SQL file", "Access denied for user",
            "Too many connections", "Table crashed", "MySQL error", "remote MySQL access", "Database user permissions",
            "SQLSTATE error", "Import too big", "Database size limit", "MariaDB version", "Create database user",
            "Can't connect to MySQL server",
            "MySQL down?",
            "database error",
            "phpMyAdmin timeout",
            "Need a new database",
            "Database import failed",
            "Error 1045",
        ],
        Symptoms:
        [
            "My application can't connect to the database anymore.",
            "phpMyAdmin gives an error when I try to open the database {db}.",
            "I'm trying to import a {size} SQL dump but phpMyAdmin times out.",
            "I get 'Access denied for user' even though the password is right.",
            "Our {table} table is marked as crashed and should be repaired.",
            "We're getting 'Too many connections' errors at busy times.",
            "I need to connect to the database remotely from my office IP {ip2}.",
            "I created a new database user but it can't see the database.",
            "Queries that used to work now fail after the MySQL upgrade.",
            "The database {db} is using way more space than it should.",
            "Our script gets 'MySQL server has gone away' randomly.",
            "i cant find where to make a new database",
            "The wp_options table seems corrupted, the site gives a database error.",
            "Which MySQL version are you running? Our software needs 8.0.",
            "The site shows 'Error establishing a database connection' but only on the admin pages, can you check the MySQL user?",
            "Our database is huge and the queries are timing out, can you check the server?",
            "After the migration the database import failed halfway.",
            "I need to restore one table from the database backup, how?",
            "I can't find phpMyAdmin in the new panel.",
            "The database user lost its privileges after the server upgrade.",
            "{Our app|The site|My script} {can't connect to|loses the connection to|gets refused by} MySQL {when}.",
            "{phpMyAdmin|The database tool} {shows|throws} {error #1045|an access denied error|a timeout} when I {log in|open {db}|run a query}.",
            "The import of our {size} dump {stops|fails} {halfway|at line {bign}|with an error}.",
            "{A table|Our {table} table|The {table} table} {crashed|got corrupted|is marked as crashed}.",
            "I need a second database and user for a staging copy.",
            "Queries on {table} have {started timing out|got very slow} and the app shows database errors.",
        ],
        Details:
        [
            "The database name is {db} and the user is {dbuser}.",
            "The host in the config is localhost.",
            "I checked wp-config.php and the details match.",
            "It's a {cms} install with PHP {php}.",
            "The dump came from {oldhost}.",
            "The error started after the server upgrade on {date}.",
            "We have about {bign} tables.",
            "I can log in to phpMyAdmin with the same user, strange.",
            "The site is down because of it.",
            "The collation is utf8mb4_unicode_520_ci.",
            "I'm connecting from MySQL Workbench on port 3306.",
            "The database user has ALL PRIVILEGES as far as I can see.",
            "We connect with PDO.",
            "The dump uses utf8mb4.",
            "The {table} table has about {bign} thousand rows.",
        ],
        Errors:
        [
            "SQLSTATE[HY000] [2002] Connection refused",
            "SQLSTATE[HY000] [1045] Access denied for user '{dbuser}'@'localhost' (using password: YES)",
            "Warning: mysqli_connect(): (HY000/2002): No such file or directory in /home/{user}/public_html/includes/db.php on line {bign}",
            "#1044 - Access denied for user '{dbuser}'@'localhost' to database '{db}'",
            "ERROR 1040 (HY000): Too many connections",
            "Table './{db}/{table}' is marked as crashed and should be repaired",
            "#1273 - Unknown collation: 'utf8mb4_0900_ai_ci'",
            "SQLSTATE[HY000]: General error: 2006 MySQL server has gone away",
            "Error Code: 2003. Can't connect to MySQL server on '{server}' (110)",
            "You probably tried to upload a file that is too large. Please refer to documentation for a workaround for this limit.",
            "ERROR 1114 (HY000) at line {bign}: The table '{table}' is full",
            "PDOException: SQLSTATE[42S02]: Base table or view not found: 1146 Table '{db}.{table}' doesn't exist",
        ],
        Asks:
        [
            "Can you repair the table for me?",
            "Please import the dump for me, I've put it in my home folder.",
            "Can you allow remote access from {ip2}?",
            "Can you raise max_connections?",
            "How do I give the user all privileges?",
        ],
        PhoneNotes:
        [
            "Customer's app gets access denied for {dbuser}. User not assigned to DB after recreate; added privileges.",
            "Caller can't import {size} dump via phpMyAdmin; imported over SSH for them.",
            "Crashed table {table} in {db}; ran repair, site back.",
            "Remote MySQL requested from {ip2}; added to allowed hosts.",
            "Caller gets #1045 in phpMyAdmin; password changed in app but not DB user. Synced password.",
            "Dump import failing on collation; converted collation, imported.",
            "Too many connections on {db}; app not closing connections. Advised persistent connection fix.",
        ],
        SupportReplies:
        [
            "We have repaired the table and your database is working again.",
            "Remote MySQL access is available from the Remote MySQL section of your control panel.",
            "The maximum import size in phpMyAdmin is 256 MB; larger files can be imported over SSH.",
        ],
        Neighbours: ["website_down", "slow_performance", "backup_restore", "migration", "how_to_control_panel"]);
}
