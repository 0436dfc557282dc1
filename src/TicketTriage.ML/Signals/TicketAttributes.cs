using System.Globalization;

namespace TicketTriage.ML.Signals;

/// <summary>
/// Attribute names shared by ingest, scenarios and signals. Raw ones come with the ticket (customer metadata);
/// derived ones are computed once, at the ticket's arrival, by <see cref="TicketAttributes.Derive"/> — "server
/// changed in the last 24 h" is a fact about the moment the customer wrote, not about the moment we look.
/// </summary>
public static class AttributeKeys
{
    public const string Username = "username";
    public const string Server = "server";
    public const string Plan = "plan";
    public const string Datacenter = "datacenter";
    public const string ProductVersion = "productVersion";

    /// <summary>ISO-8601 date the account was created.</summary>
    public const string AccountCreated = "accountCreated";

    /// <summary>ISO-8601 instant of the last change (upgrade, deploy, maintenance) applied to the customer's server.</summary>
    public const string ServerChangedAt = "serverChangedAt";

    /// <summary>Derived: first letter of the username ("a" … "z", "#" for a digit or anything else).</summary>
    public const string UsernameInitial = "usernameInitial";

    /// <summary>Derived: "&lt; 30 days", "30–365 days", "1–3 years", "&gt; 3 years".</summary>
    public const string AccountAge = "accountAge";

    /// <summary>Raw: the customer's e-mail address (identifying; its domain is derived).</summary>
    public const string Email = "email";

    /// <summary>
    /// Derived: the part of the e-mail address after the "@", lower case ("outlook.com", "acme-corp.com"): a mail
    /// provider that starts rejecting our mail, or one business customer's seats.
    /// </summary>
    public const string EmailDomain = "emailDomain";

    /// <summary>Derived: "yes" when the server changed in the 24 h before the ticket, otherwise "no".</summary>
    public const string ServerChangedWithin24h = "serverChangedWithin24h";

    /// <summary>
    /// Derived by the engine from the changes it knows: the change whose targets hold the ticket (its rollout, for a
    /// batch of one) and that started within the change look-back before it — "from the servers of upgrade batch 2",
    /// "from the auth shard the config push reached". Empty of meaning as a concentration (the change link says it).
    /// </summary>
    public const string ChangeTarget = "changeTarget";
}

/// <summary>Computes the derived attributes of a ticket from its raw ones.</summary>
public static class TicketAttributes
{
    /// <summary>
    /// Raw attributes that identify one ticket or one instant rather than a group; concentration on them means
    /// nothing, so <see cref="AttributeConcentration"/> skips them by default.
    /// </summary>
    public static readonly IReadOnlySet<string> Identifying = new HashSet<string>(StringComparer.Ordinal)
    {
        AttributeKeys.Username, AttributeKeys.AccountCreated, AttributeKeys.ServerChangedAt, "customerId", "email", "domain",
    };

    /// <summary>
    /// Keys no concentration is looked for on: the identifying ones, and the change a ticket came from (the likely
    /// change reports that, with its timing; as a concentration it would also gate a pattern on a window that expires).
    /// </summary>
    public static readonly IReadOnlySet<string> NotConcentrations = new HashSet<string>(Identifying, StringComparer.Ordinal)
    {
        AttributeKeys.ChangeTarget,
    };

    /// <summary>A copy of <paramref name="raw"/> with the derived attributes added, as of <paramref name="at"/>.</summary>
    public static Dictionary<string, string> Derive(IReadOnlyDictionary<string, string> raw, DateTimeOffset at)
    {
        var result = new Dictionary<string, string>(raw, StringComparer.Ordinal);
        if (raw.TryGetValue(AttributeKeys.Username, out var username) && username.Length > 0)
        {
            result[AttributeKeys.UsernameInitial] = UsernameInitial(username);
        }

        if (raw.TryGetValue(AttributeKeys.Email, out var email) && EmailDomain(email) is { } domain)
        {
            result[AttributeKeys.EmailDomain] = domain;
        }

        if (raw.TryGetValue(AttributeKeys.AccountCreated, out var created) && TryParseInstant(created, out var createdAt))
        {
            result[AttributeKeys.AccountAge] = AccountAgeBand(at - createdAt);
        }

        if (raw.TryGetValue(AttributeKeys.ServerChangedAt, out var changed) && TryParseInstant(changed, out var changedAt))
        {
            var since = at - changedAt;
            result[AttributeKeys.ServerChangedWithin24h] = since >= TimeSpan.Zero && since <= TimeSpan.FromHours(24) ? "yes" : "no";
        }
        else if (raw.ContainsKey(AttributeKeys.Server))
        {
            result[AttributeKeys.ServerChangedWithin24h] = "no";
        }

        return result;
    }

    public static string UsernameInitial(string username)
    {
        var c = char.ToLowerInvariant(username[0]);
        return c is >= 'a' and <= 'z' ? c.ToString() : "#";
    }

    /// <summary>The domain of an e-mail address, lower case; null when there is none ("name@", no "@").</summary>
    public static string? EmailDomain(string email)
    {
        var at = email.LastIndexOf('@');
        var domain = at < 0 ? "" : email[(at + 1)..].Trim().TrimEnd('.', '>');
        return domain.Length == 0 ? null : domain.ToLowerInvariant();
    }

    public static string AccountAgeBand(TimeSpan age) => age.TotalDays switch
    {
        < 30 => "< 30 days",
        < 365 => "30–365 days",
        < 3 * 365 => "1–3 years",
        _ => "> 3 years",
    };

    private static bool TryParseInstant(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
}
