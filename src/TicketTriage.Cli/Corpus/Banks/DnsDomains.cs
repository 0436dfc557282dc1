namespace TicketTriage.Cli.Corpus.Banks;

internal static class DnsDomains
{
    public static CategoryBank Bank { get; } = new(
        Id: "dns_domains",
        Definition: "Domain names and DNS: records (A, CNAME, MX, TXT), nameservers, propagation, domain not resolving, transfers in/out and EPP codes, renewals and expiry, subdomains pointing elsewhere.",
        Weight: 1.0,
        Subjects:
        [
            "DNS not resolving", "Nameservers", "Domain transfer", "EPP code please", "Add A record",
            "domain expired?", "DNS_PROBE_FINISHED_NXDOMAIN", "Point domain to new server", "Propagation taking ages",
            "subdomain not working", "MX records", "TXT record for Google verification", "Domain not working",
            "Transfer {domain} away", "Change nameservers for {domain}", "DNS zone question", "Domain renewal",
            "Domain not resolving",
            "nameserver change",
            "Add CNAME",
            "transfer code",
            "Domain expired - help",
            "SPF record",
            "www not working",
        ],
        Symptoms:
        [
            "My domain {domain} doesn't resolve anymore, the browser says the site can't be found.",
            "I changed the nameservers to {ns1} and {ns2} {n} days ago and it still shows the old site.",
            "I need the EPP code to transfer {domain} to {registrar}.",
            "I need to add a TXT record for {Google|Microsoft 365|Mailchimp|Stripe} verification but I can't find where.",
            "The subdomain shop.{domain} should point to {ip2} but it doesn't.",
            "The domain transfer from {registrar} has been pending for a week.",
            "My domain expired and now nothing works, I thought it was on auto-renew.",
            "Some people can see the site and some can't, I think it's DNS.",
            "The www version works but without www it doesn't.",
            "I want to point the domain to our new server at {ip2} but keep email here.",
            "The DNS zone in the panel is empty.",
            "We bought {domain2} and want it to show the same site as {domain}.",
            "dns check tools show different IPs for my domain",
            "whois still shows the old registrant details",
            "Email stopped working because the MX records point somewhere else, please fix the DNS.",
            "After moving the site to you, the domain still points to {oldhost}.",
            "The certificate can't be issued because the domain doesn't point to your server yet.",
            "The domain renewal invoice was paid but the domain still shows as expired.",
            "Please add an MX record and an SPF record for the new mail provider.",
            "The site is down because the domain isn't resolving anymore.",
            "{I need|Please add} a CNAME for {www|shop|mail|app}.{domain} pointing to {domain2}.",
            "{domain} {stopped resolving|doesn't resolve|shows NXDOMAIN} {when}.",
            "The nameservers {still show|are still} the old ones at {registrar} even though I changed them.",
            "Our domain {expired|lapsed} and the site and email are both down.",
            "I want to {transfer|move} {domain} {in to you|away to {registrar}}, what do I need?",
            "I need an SPF and DKIM record set up but I don't know what values to use.",
        ],
        Details:
        [
            "The domain is registered at {registrar}.",
            "The A record should be {ip}.",
            "I flushed my DNS and tried on my phone too.",
            "Email also stopped working, which makes sense if DNS is broken.",
            "We use Cloudflare in front of the site.",
            "When I ping it I get {ip2} which is not your server.",
            "The registrar says the problem is on your side.",
            "We need this done before our launch on {weekday}.",
            "I also need the MX to stay pointing at mail.{domain}.",
            "The TTL is 14400, is that why it takes so long?",
            "The renewal invoice was paid, I have the receipt.",
            "The zone has an A record for the root but nothing for www.",
            "Google's DNS and Cloudflare's DNS return different results.",
            "The domain is set to renew every year on {date}.",
            "We also have {domain2} pointing at the same site.",
        ],
        Errors:
        [
            "This site can’t be reached\nCheck if there is a typo in {domain}.\nDNS_PROBE_FINISHED_NXDOMAIN",
            "$ dig {domain} +short\n$ dig NS {domain} +short\n{ns1}.\n{ns2}.",
            "$ nslookup {domain}\nServer:  UnKnown\nAddress:  192.168.1.1\n\n*** UnKnown can't find {domain}: Non-existent domain",
            "Hmm. We’re having trouble finding that site.\nWe can’t connect to the server at {www}.",
            "Transfer status: Pending - Awaiting authorization from losing registrar",
            "Error: The domain is locked (clientTransferProhibited). Please unlock it at your current registrar.",
            "DNS_PROBE_FINISHED_BAD_CONFIG",
            "$ host {domain}\nHost {domain} not found: 3(NXDOMAIN)",
            "Invalid auth code for domain {domain}",
        ],
        Asks:
        [
            "Can you check the DNS zone for me?",
            "Please send me the EPP code.",
            "Please change the A record to {ip2}.",
            "What nameservers should I use?",
            "How long does propagation really take?",
            "Please unlock the domain so I can transfer it.",
        ],
        PhoneNotes:
        [
            "Customer's domain {domain} not resolving. Domain expired {date}; renewed on the call, propagation explained.",
            "Caller wants EPP for {domain}. Verified owner, code sent to registrant email.",
            "Nameservers changed 2 days ago, still old IP at customer's ISP. Told to wait for TTL, checked zone ok.",
            "Cust needs TXT record for verification; added record in zone for them.",
            "CNAME for shop.{domain} added, pointed to customer's SaaS store.",
            "Transfer-in for {domain} stuck; domain locked at {registrar}. Customer to unlock.",
            "Customer's domain expired, in grace period; renewed, DNS restored.",
        ],
        SupportReplies:
        [
            "DNS changes can take up to 24-48 hours to propagate worldwide.",
            "We have updated the DNS zone for your domain as requested.",
            "The EPP code has been sent to the registrant email address.",
        ],
        Neighbours: ["email", "migration", "ssl_certificates", "website_down", "billing"]);
}
