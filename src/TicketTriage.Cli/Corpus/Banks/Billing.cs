namespace TicketTriage.Cli.Corpus.Banks;

internal static class Billing
{
    public static CategoryBank Bank { get; } = new(
        Id: "billing",
        Definition: "Money: invoices, charges, double or unexpected payments, refunds, failed card payments, plan changes and prices, cancellations, suspension for non-payment, VAT and receipts.",
        Weight: 1.1,
        Subjects:
        [
            "Invoice question", "Charged twice", "Refund request", "Cancel my account", "Payment failed",
            "Why was I charged {amount}?", "Update credit card", "VAT number", "Account suspended for non payment",
            "Upgrade plan", "Renewal price", "Receipt needed", "Downgrade", "Direct debit", "Wrong amount on {invoice}",
            "billing", "Money taken without permission",
            "Question about my bill",
            "Double payment",
            "Invoice not received",
            "refund?",
            "Price increase",
            "Payment method",
            "Charge on my card",
        ],
        Symptoms:
        [
            "I've been charged twice for the same invoice {invoice}.",
            "I was charged {amount} for a renewal I didn't ask for.",
            "I want to cancel my hosting and get a refund for the unused months.",
            "My card payment keeps failing even though the card is fine.",
            "My account got suspended because of an unpaid invoice, but I paid it on {date}.",
            "The renewal price is much higher than what I paid last year.",
            "I need an invoice with our company name and VAT number on it.",
            "I want to upgrade from {plan} to something with more space.",
            "Please stop the auto-renewal for {domain2}, we don't need it.",
            "The direct debit was taken but the invoice still says unpaid.",
            "I don't recognise this charge from {brand} on my statement.",
            "How do I change the card you have on file? The old one ends in {card}.",
            "I was promised a discount when I signed up and it's not on the invoice.",
            "can i pay by bank transfer instead",
            "The website is down because you suspended the account, the invoice was paid.",
            "I can't log in to pay the invoice, so please take the payment by phone.",
            "I was charged for the migration service but you never moved anything.",
            "Why am I paying for an SSL certificate when Let's Encrypt is free?",
            "The domain renewal charge is double what your website says.",
            "We're moving to another host, please close the account and stop charging us.",
            "{You|Corvid} {charged|billed} {me|us} {twice|two times|again} for {invoice}.",
            "{Why|How come} is the {renewal|invoice|bill} {amount} when {the plan|my plan} {was cheaper|cost less} last year?",
            "I never {received|got} the invoice for {this month|the renewal|{domain}}, can you resend it?",
            "I {want|would like} to cancel {the {plan} plan|my hosting|the domain {domain2}} and {get a refund|stop paying}.",
            "My {card|PayPal payment|direct debit} {failed|bounced|was declined} and now I get reminders.",
            "There are {two|three} charges from {brand} on my {card|statement} this month.",
        ],
        Details:
        [
            "The invoice number is {invoice}.",
            "The amount was {amount} EUR.",
            "I can't log into the client area to check, so I'm emailing.",
            "Our accountant needs this by the end of the month.",
            "The card ending in {card} is the right one.",
            "We're moving everything to another provider anyway.",
            "The site still works so I'm not sure if it's really suspended.",
            "It's for the account {user}.",
            "Our company is {company}, VAT ID {country} {bign}{bign}.",
            "I paid by PayPal.",
            "The email with the invoice went to {personal}, which is an old address.",
            "The charge was on {date}.",
            "We're a charity, do you have a discount?",
            "I'd prefer to pay yearly.",
            "Please send invoices to {email} from now on.",
        ],
        Errors:
        [
            "Payment declined: Your card was declined. (code: card_declined)",
            "Invoice {invoice}\nStatus: Unpaid\nDue date: {date}\nAmount due: {amount} EUR",
            "This account has been suspended.\nPlease contact billing at billing@{brandsite}.",
            "Transaction failed: 3D Secure authentication was not completed.",
            "PayPal: This transaction has already been refunded.",
        ],
        Asks:
        [
            "Please refund the duplicate payment.",
            "Can you send me a corrected invoice?",
            "Please cancel at the end of the current term.",
            "Can you unsuspend the account now that it's paid?",
            "What's the cheapest plan that would still work for us?",
            "{Please|Can you} {refund|credit} {the difference|the extra charge|{amount}}.",
            "{Please|Can you} {cancel|close} {the account|the plan|auto-renew} {now|at the end of the term}.",
            "{Please|Can you} {resend|correct} invoice {invoice}.",
            "{Please|Can you} {switch|move} us to {a cheaper plan|yearly billing|the {plan} plan}.",
            "{Please|Can you} {take the payment now|try the payment again} and lift the suspension.",
        ],
        PhoneNotes:
        [
            "Customer charged twice for {invoice}. Confirmed duplicate, refund issued (5-7 days).",
            "Caller's account suspended for overdue invoice; payment taken on call, unsuspended.",
            "Cust wants to cancel, moving provider. Explained notice period, cancellation requested for end of term.",
            "Caller disputes renewal price; applied loyalty discount, new invoice sent.",
            "Customer didn't receive invoice; emails going to old address. Updated, resent.",
            "Caller asked for yearly billing; switched cycle, prorated credit applied.",
            "Cust disputes two charges: one domain, one hosting. Explained, customer satisfied.",
        ],
        SupportReplies:
        [
            "We have issued a refund for the duplicate payment. It should appear on your statement within 5-7 business days.",
            "Your account was suspended due to an overdue invoice. Once payment is received, it will be reactivated automatically.",
            "You can update your payment method from the Billing section of the client area.",
        ],
        Neighbours: ["account_access", "website_down", "dns_domains", "migration", "how_to_control_panel"]);
}
