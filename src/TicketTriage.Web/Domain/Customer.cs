namespace TicketTriage.Web.Domain;

/// <summary>
/// A customer account as the ingest API sees it: upserted by <see cref="Email"/> (lower-cased), its metadata refreshed
/// by every ticket that carries it. Server, datacenter, plan and username feed pattern attribute concentration.
/// </summary>
public sealed class Customer
{
    public long Id { get; set; }

    /// <summary>Lower-cased; the upsert key.</summary>
    public string Email { get; set; } = "";

    public string? Username { get; set; }
    public string? Name { get; set; }

    /// <summary>starter, business, pro, reseller, … (free text: each company names its own plans).</summary>
    public string? Plan { get; set; }

    /// <summary>Support tier, e.g. standard, priority, enterprise; the priority score reads it.</summary>
    public string? Tier { get; set; }

    /// <summary>The server or node the account lives on, e.g. web-117 or node-209.</summary>
    public string? Server { get; set; }

    public string? Datacenter { get; set; }
    public string? Region { get; set; }

    /// <summary>Any other customer fields the source sent, as a JSON object (text).</summary>
    public string? AttributesJson { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public List<Ticket> Tickets { get; set; } = [];
}
