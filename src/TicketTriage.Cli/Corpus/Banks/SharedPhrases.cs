namespace TicketTriage.Cli.Corpus.Banks;

/// <summary>
/// Phrases every category uses: greetings, small talk, urgency, background, closings, signatures and the scaffolding
/// of chats and phone notes. Shared on purpose: they carry no category signal, as in real tickets.
/// </summary>
internal static class SharedPhrases
{
    public static readonly string[] VagueSubjects =
    [
        "Help", "Urgent", "Problem", "Issue with my account", "Question", "Please help", "{domain}", "Support request",
        "Problem with {domain}", "Not working", "URGENT!!!", "Hi", "Follow up", "Still not fixed", "(no subject)",
        "Need assistance", "Account {user}", "Something is wrong", "Re: your ticket {ticket}", "Complaint",
    ];

    public static readonly string[] EmailGreetings =
    [
        "Hi,", "Hello,", "Hi there,", "Hello support,", "Dear Sir/Madam,", "Dear {brand} team,", "Hey,", "Good morning,",
        "Good afternoon,", "Hi team,", "To whom it may concern,", "Hello {brand} Support,", "Hiya,", "Dear support team,",
    ];

    public static readonly string[] NonNativeGreetings =
        ["Dear Sir,", "Respected team,", "Hello dear support,", "Dear,", "Good day,", "Hello Sir/Madam,"];

    public static readonly string[] PoliteOpeners =
    [
        "I hope you're well.", "Hope you are having a good day.", "Sorry to bother you again.",
        "I hope this is the right place to ask.", "Thanks for your help last time.",
    ];

    public static readonly string[] AngryLines =
    [
        "This is the third time I'm contacting you about this.", "This is completely unacceptable.",
        "I've been a customer for {n} years and I've never had service this bad.", "I'm paying for this and it doesn't work.",
        "Nobody has answered my last ticket.", "If this isn't fixed today I'm moving to another host.",
        "I want to speak to a manager.", "Why does nobody at {brand} reply??", "Fix it NOW.",
        "I am losing money every minute this goes on!", "Your status page says everything is fine, it is NOT.",
    ];

    public static readonly string[] Background =
    [
        "I'm not very technical, my nephew set all this up.", "Our web designer is on holiday so I'm trying to sort it out myself.",
        "We're a small business and the website is how customers find us.", "I manage the site for a local charity.",
        "I'm the office manager, not an IT person.", "I've been with you for years and never had problems before.",
        "We have a big event on {weekday} so the timing is terrible.", "I run {n} sites with you.",
        "I only took over this account last month from my colleague {first}.", "We're a {n}-person team, I'm the only one who touches the website.",
        "Our agency manages {bign} client sites on this reseller account.",
    ];

    public static readonly string[] Tried =
    [
        "I already restarted my computer and router.", "I tried a different browser.", "I cleared the cache.",
        "I tried from my phone as well.", "I checked your status page, it says all systems operational.",
        "I searched your knowledge base but couldn't find anything.", "I waited a few hours in case it fixes itself.",
        "I asked in the chat but the bot couldn't help.", "I tried again this morning, no change.",
    ];

    public static readonly string[] Urgency =
    [
        "It's quite urgent.", "Please treat this as urgent.", "No rush, whenever you get a chance.",
        "We have customers waiting.", "Can you look at it today?", "This is affecting our business.",
        "Please get back to me asap.", "It's not critical but it's annoying.", "We have a deadline on {weekday}.",
    ];

    public static readonly string[] RamblingAsides =
    [
        "Anyway, sorry for the long email.", "I don't know if that's related but I thought I'd mention it.",
        "Not sure if this matters, but we also changed our internet provider last month.",
        "My colleague thinks it might be something on our end but I doubt it.",
        "Also, unrelated, the new panel looks nice.", "I might be explaining this badly.",
        "Last time something like this happened it fixed itself after a day, but not this time.",
        "We also have an app that talks to the site, not sure if that's relevant.",
        "To give you some background, we've been with you for {n} years and the site was built by a freelancer who has since moved to {country}, so I'm doing my best to explain.",
        "I first noticed it when a customer phoned me on {weekday} to say something was off, and I thought it was their computer, but then my colleague saw the same thing at home.",
        "I spent most of the evening reading forum posts and trying things, some of which I probably shouldn't have, so apologies if I made it worse.",
        "We had a similar problem about a year ago and one of your colleagues fixed it quickly, I wish I'd written down what he did.",
        "I also rang the number on your website but the line was busy, so I'm writing instead.",
        "Our busiest time of the year starts next week so I'm getting a bit nervous about all this.",
    ];

    public static readonly string[] NonNativePhrases =
    [
        "Kindly do the needful.", "Please revert back soon.", "I am having one doubt.", "Kindly check and update me.",
        "Please to help me in this matter.", "It is very urgent for our business, kindly resolve.",
        "I am waiting your reply.", "Please do it fastly.", "Same problem is coming again.",
    ];

    public static readonly string[] FollowUps =
    [
        "Still not working.", "Any update on this?", "I tried what you suggested, same problem.", "It's happening again.",
        "Sorry, I forgot to say:", "Following up on the below.", "No reply yet?", "This is still an issue.",
        "Thanks, but that didn't help.", "It worked for a day and now it's back.",
    ];

    /// <summary>How a second, related concern is brought in.</summary>
    public static readonly string[] AlsoConnectors =
        ["Also, ", "And ", "On top of that, ", "Not sure if related but ", "Another thing: ", "Plus ", "Oh and ", "Maybe connected: "];

    public static readonly string[] Closings =
    [
        "Thanks", "Thank you", "Thanks in advance", "Many thanks", "Cheers", "Thanks for your help",
        "Thank you very much", "Looking forward to your reply", "Appreciate it", "Thx",
    ];

    public static readonly string[] AngryClosings = ["Waiting for an answer", "Sort it out", "Regards", "Fix it", "I expect a reply today"];

    public static readonly string[] ForwardHeaders =
    [
        "---------- Forwarded message ---------\nFrom: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nDate: {weekday}, {date} at {time}\nSubject: Delivery Status Notification (Failure)\nTo: <{email}>",
        "---------- Forwarded message ---------\nFrom: {first} <{personal}>\nDate: {weekday}, {date}\nSubject: Fwd: your website\nTo: {email}\n\nHi, I tried to use your site and got this:",
        "Begin forwarded message:\n\nFrom: Mail Delivery System <MAILER-DAEMON@{server}>\nSubject: Undelivered Mail Returned to Sender\nDate: {date} {time}",
        "-------- Original Message --------\nSubject: Problem\nFrom: my web developer\n\nHe sent me this:",
    ];

    public static readonly string[] ErrorIntros =
    [
        "This is the error:", "Here's the exact message:", "I get this:", "Error message:", "It says:",
        "Copy of what I see:", "The log says:", "Screenshot text below (copied):", "Output:", "This is what it shows:",
        "", "See below.",
    ];

    /// <summary>Signatures that open with their own sign-off ("Regards," …): no separate closing line before them.</summary>
    public static readonly string[] SignOffSignatures =
    [
        "Regards,\n{first}",
        "Kind regards,\n\n{name}\n{company}",
        "Best,\n{first}",
        "Thanks,\n{first} {last}\nOffice Manager, {company}",
        "Cheers\n{first}",
        "Best regards,\n{name}",
        "Many thanks,\n{first}\n\nSent from my iPad",
        "Regards\n[image: {company} logo]\n{name}",
    ];

    /// <summary>Signatures without a sign-off: a closing line may precede them.</summary>
    public static readonly string[] BareSignatures =
    [
        "--\n{name}\n{company}\n{phone}",
        "Sent from my iPhone",
        "Sent from my Samsung Galaxy smartphone.",
        "--\n{name} | {company}\nT: {phone}\nW: {www}",
        "{name}\nDirector\n{company}\n\nThis email and any attachments are confidential and intended solely for the addressee.",
        "Get Outlook for Android",
        "{first}\n\nSent from Mail for Windows",
        "{name}",
        "{first}",
        "--\n{name}\n[cid:image001.png@01DB{hex}]\n{company}",
    ];

    /// <summary>
    /// Symptoms too vague to name their category, shared by the categories a support agent would have to rule out.
    /// The label comes from what the agent found; the text alone often cannot tell.
    /// </summary>
    public static readonly string[] VagueSite =
    [
        "Something is wrong with {domain}, can you have a look?", "Our website isn't working properly {when}.",
        "People tell me they can't get on our site.", "The site is acting strange.", "my site is broken",
        "Our website has a problem again.", "Customers say the site doesn't work for them.",
        "I'm getting an error on the website.", "The website looks wrong and I don't know why.",
    ];

    public static readonly string[] VagueMail =
    [
        "Email isn't working right.", "We're having trouble with our emails again.", "Something is wrong with the mail on {domain}.",
        "Our email is playing up {when}.", "There's a problem with {email}.",
    ];

    public static readonly string[] VagueAccount =
    [
        "I need help with my account.", "I can't do anything in my account.", "Something is wrong with my account {user}.",
        "I have a question about my hosting account.", "There's an issue with the account, please call me back on {phone}.",
    ];

    public static readonly string[] VagueFiles =
    [
        "Something has happened to our files.", "Some stuff is gone from the site.", "The site is showing old stuff.",
        "Things look different on the server since {when}.", "Our content is messed up.",
    ];

    public static readonly Dictionary<string, string[][]> VagueByCategory = new()
    {
        ["account_access"] = [VagueAccount],
        ["email"] = [VagueMail],
        ["website_down"] = [VagueSite],
        ["slow_performance"] = [VagueSite],
        ["missing_data"] = [VagueFiles, VagueSite],
        ["backup_restore"] = [VagueFiles],
        ["dns_domains"] = [VagueSite, VagueMail],
        ["ssl_certificates"] = [VagueSite],
        ["databases"] = [VagueSite],
        ["ftp_ssh_permissions"] = [VagueFiles, VagueAccount],
        ["billing"] = [VagueAccount, VagueSite],
        ["how_to_control_panel"] = [VagueAccount],
        ["security_abuse"] = [VagueSite, VagueMail, VagueFiles],
        ["migration"] = [VagueSite, VagueFiles, VagueMail],
    };

    public static readonly string[] GenericSupportReplies =
    [
        "Thank you for contacting {brand} Support.",
        "Could you please provide more details, such as the exact error message and when it started?",
        "We have escalated your ticket to our system administrators.",
        "We are looking into this and will update you as soon as possible.",
        "Could you please confirm the domain name and the username of the account?",
        "Please try clearing your browser cache and let us know if the problem persists.",
        "We apologise for the inconvenience caused.",
        "Our team has checked the server and we could not see any issues at the moment.",
    ];

    public static readonly string[] SupportSignoffs = ["Kind regards,\n{brand} Support", "Best regards,\n{agent}", "{brand} Support Team"];

    public static readonly string[] AgentNames = ["Alex", "Sam", "Jordan", "Morgan", "Chris", "Taylor", "Riley", "Jamie"];

    public const string ChatWelcome = "Thanks for contacting {brand}, you're chatting with {agent}. How can I help?";

    public static readonly string[] ChatAgentLines =
    [
        "Let me check that for you, one moment please.",
        "Could you confirm the domain name please?",
        "Thanks for waiting.",
        "Can you confirm the email address on the account?",
        "I'm sorry to hear that. When did this start?",
        "Can you tell me what you see on the screen?",
        "OK, I'm looking at your account now.",
    ];

    public static readonly string[] ChatAgentClosings =
    [
        "I'll create a ticket for our technical team and they'll email you.",
        "I've escalated this, you'll get an update by email.",
        "Is there anything else I can help with?",
        "Thanks for your patience, I've passed this to the right team.",
    ];

    public static readonly string[] ChatCustomerFollowups =
        ["ok", "thanks", "yes", "{domain}", "its {email}", "how long will it take?", "ok thx", "no that's all", "still the same", "??"];

    public static readonly string[] PhoneHeaders =
    [
        "Inbound call from {name} ({user}).", "Call from {first} at {company}, account {user}.", "Phone - {name}, cb {phone}.",
        "Caller: {name}. Account: {user}. Verified.", "Customer called in ({domain}).",
    ];

    public static readonly string[] PhoneFollowups =
    [
        "Customer happy to wait for email update.", "Escalated to L2.", "Told customer we'd follow up by email.",
        "Callback requested tomorrow morning.", "Resolved on call.", "Ticket left open pending customer confirmation.",
        "Customer was upset about wait time.", "Sent KB link by email.",
    ];

    public static readonly string[] Departments = ["Technical Support", "Technical Support", "Technical Support", "Billing", "Sales", "General"];
    public static readonly string[] Priorities = ["Low", "Medium", "Medium", "High", "Urgent"];
}
