namespace TicketTriage.Cli.Corpus.Banks;

internal static class SslCertificates
{
    public static CategoryBank Bank { get; } = new(
        Id: "ssl_certificates",
        Definition: "HTTPS and certificates: 'not secure' warnings, expired or mismatched certificates, AutoSSL/Let's Encrypt not issuing or renewing, installing a bought certificate, mixed content, redirect loops after forcing HTTPS.",
        Weight: 1.0,
        Subjects:
        [
            "SSL expired", "Not secure warning", "Certificate error", "NET::ERR_CERT_DATE_INVALID",
            "Let's Encrypt not renewing", "https not working", "Install SSL certificate", "Your connection is not private",
            "AutoSSL failed", "padlock missing", "SSL for subdomain", "Mixed content warnings", "cert mismatch",
            "Too many redirects after enabling https", "ERR_SSL_PROTOCOL_ERROR on {domain}",
            "SSL not valid",
            "site says not secure",
            "certificate expired yesterday",
            "HTTPS error",
            "Let's Encrypt failed",
            "SSL on new domain",
        ],
        Symptoms:
        [
            "Our site shows 'Your connection is not private' in {browser}.",
            "The SSL certificate on {domain} expired and it didn't renew automatically.",
            "Visitors get a security warning when they open the site.",
            "The padlock is gone and it says 'Not secure' next to the address.",
            "AutoSSL keeps failing for {domain} but works for the other domains.",
            "I bought a certificate from {registrar} and I don't know how to install it.",
            "When I force HTTPS the site goes into a redirect loop.",
            "The certificate is for {server} instead of my domain.",
            "https://{www} gives an error but https://{domain} works.",
            "Chrome says ERR_SSL_PROTOCOL_ERROR when I open the site.",
            "Some images load over http and the browser complains about mixed content.",
            "Our mail client gives a certificate warning every time it checks mail.",
            "the ssl on my site is not working",
            "Our payment provider says our certificate chain is incomplete.",
            "The site shows an error since the certificate expired on {date}.",
            "After we moved DNS to Cloudflare the certificate doesn't match anymore.",
            "Where in the new panel do I install my own SSL certificate?",
            "The certificate for mail.{domain} expired so Outlook won't connect.",
            "We migrated the site and now it shows a security warning.",
            "Google says the site isn't secure and our visitors think we've been hacked.",
            "{Chrome|Firefox|Safari|Every browser} {shows|gives} a {certificate|security|privacy} warning on {domain}.",
            "The {SSL|certificate|https} for {domain} {expired|ran out} {when} and {didn't renew|hasn't been renewed}.",
            "My new domain {domain2} has no certificate, it's been {n} days.",
            "The certificate shows {server} instead of {domain}, so browsers block it.",
            "Half the page loads over http and the padlock has a warning triangle.",
            "{Our|The} {shop|checkout|login page} shows 'not secure' {and customers won't pay|so customers are worried}.",
        ],
        Details:
        [
            "The domain points to {ip} which I think is correct.",
            "We're behind Cloudflare with SSL set to Full.",
            "It worked until {date}.",
            "I ran the SSL checker and it says the intermediate is missing.",
            "The site is {cms} and I changed the site URL to https.",
            "It's only on the shop.{domain} subdomain.",
            "Our customers can't pay because the checkout page shows the warning.",
            "I tried the 'Run AutoSSL' button {n} times.",
            "We moved the DNS to {registrar} last month, could that be it?",
            "The private key and the CSR were generated in {panel}.",
            "SSL Labs gives us a grade T because of the chain.",
            "We don't use Cloudflare.",
            "The certificate was issued by Let's Encrypt.",
            "The .well-known folder is there.",
        ],
        Errors:
        [
            "Your connection is not private\nAttackers might be trying to steal your information from {domain} (for example, passwords, messages, or credit cards).\nNET::ERR_CERT_DATE_INVALID",
            "This site can’t provide a secure connection\n{domain} sent an invalid response.\nERR_SSL_PROTOCOL_ERROR",
            "NET::ERR_CERT_COMMON_NAME_INVALID\nThis server could not prove that it is {domain}; its security certificate is from *.{brandsite}.",
            "AutoSSL: The domain \"{domain}\" failed domain control validation: 403 (Forbidden) at http://{domain}/.well-known/acme-challenge/{hex}",
            "Warning: Potential Security Risk Ahead\nSEC_ERROR_EXPIRED_CERTIFICATE",
            "Mixed Content: The page at 'https://{domain}/' was loaded over HTTPS, but requested an insecure image 'http://{domain}/wp-content/uploads/{file}'. This content should also be served over HTTPS.",
            "ERR_TOO_MANY_REDIRECTS\n{domain} redirected you too many times.",
            "curl: (60) SSL certificate problem: unable to get local issuer certificate",
            "Let's Encrypt: Error creating new order :: too many certificates already issued for exact set of domains",
        ],
        Asks:
        [
            "Can you renew the certificate manually?",
            "Please install the certificate for me, I've attached the files.",
            "How do I fix the mixed content?",
            "Why doesn't AutoSSL work for this domain?",
            "Please fix the SSL today, customers are scared off by the warning.",
        ],
        PhoneNotes:
        [
            "Customer reports cert warning on {domain}. AutoSSL failing DCV due to .htaccess block; fixed rule, reissued.",
            "Caller's cert expired, Cloudflare proxy prevented validation. Advised DNS-only temporarily, cert issued.",
            "Cust bought third-party cert, needed help installing. Installed CRT + CA bundle.",
            "Redirect loop after forcing https, Cloudflare Flexible mode. Advised Full (strict).",
            "Cert for new domain {domain2} not issued; DNS not pointed yet. Explained, will auto-issue.",
            "Padlock warning caused by mixed content; gave search-replace instructions.",
            "Certificate expired on {domain}; AutoSSL blocked by CAA record. Customer updated CAA.",
        ],
        SupportReplies:
        [
            "We have re-run AutoSSL for your domain and a new certificate has been issued.",
            "The certificate could not be validated because your domain points to a different server.",
            "Please make sure the intermediate certificate (CA bundle) is installed along with your certificate.",
        ],
        Neighbours: ["website_down", "dns_domains", "email", "how_to_control_panel"]);
}
