using System.Globalization;
using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Scenarios;

/// <summary>One thing to send to a running app, at <see cref="Time"/> on the scenario's (shifted) clock.</summary>
public abstract record FeedItem(DateTimeOffset Time);

/// <summary>A change, as <c>POST /api/changes</c> takes it; sent when it starts.</summary>
public sealed record FeedChange(
    DateTimeOffset Time, string Source, string ExternalId, string Name, string Kind, DateTimeOffset Start, DateTimeOffset? End,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Targets, string? Series = null) : FeedItem(Time);

/// <summary>
/// A ticket, as <c>POST /api/tickets</c> takes it: the customer's stable fields on the customer (upserted by email),
/// what describes the moment (the product version the server ran, when it last changed) on the ticket.
/// <see cref="Incident"/> is the truth, never sent.
/// </summary>
public sealed record FeedTicket(
    DateTimeOffset Time, string Source, string ExternalId, string Subject, string Body,
    string Email, IReadOnlyDictionary<string, string> Customer, IReadOnlyDictionary<string, string> Attributes,
    string? Incident) : FeedItem(Time);

/// <summary>
/// A generated scenario as the requests a replay sends, in time order (a change before the tickets of its start
/// minute). Used by <c>triage replay</c> over HTTP and by the app's <c>Demo:Replay</c> in process: one mapping.
/// </summary>
public static class ScenarioFeed
{
    /// <summary>Ticket attributes that describe the ticket's moment rather than the customer.</summary>
    public static readonly IReadOnlySet<string> TicketLevel = new HashSet<string>(StringComparer.Ordinal)
    {
        AttributeKeys.ProductVersion, AttributeKeys.ServerChangedAt,
    };

    /// <param name="shift">Added to every time (0: the scenario's own dates).</param>
    public static IReadOnlyList<FeedItem> Build(GeneratedScenario generated, string source, TimeSpan shift = default)
    {
        var name = generated.Scenario.Name;
        var items = new List<FeedItem>(generated.Tickets.Count + generated.Changes.Count);
        foreach (var c in generated.Changes)
        {
            items.Add(new FeedChange(c.Start + shift, source, c.Id, c.Title, c.Kind, c.Start + shift, c.End + shift, c.Targets, c.Series));
        }

        for (var i = 0; i < generated.Tickets.Count; i++)
        {
            var t = generated.Tickets[i];
            var customer = new Dictionary<string, string>(StringComparer.Ordinal);
            var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in t.Attributes)
            {
                if (key == AttributeKeys.Email)
                {
                    continue; // the customer's address, sent as the ticket's email below
                }

                if (key == AttributeKeys.ServerChangedAt && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at))
                {
                    attributes[key] = (at + shift).ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
                }
                else
                {
                    (TicketLevel.Contains(key) ? attributes : customer)[key] = value;
                }
            }

            var username = t.Attributes.GetValueOrDefault(AttributeKeys.Username, "customer" + i.ToString(CultureInfo.InvariantCulture));
            var domain = t.Attributes.GetValueOrDefault("domain", "example.com");
            var email = t.Attributes.GetValueOrDefault(AttributeKeys.Email, username + "@" + domain).ToLowerInvariant();
            items.Add(new FeedTicket(t.Time + shift, source, name + "-" + t.Id.ToString(CultureInfo.InvariantCulture), t.Subject, t.Body,
                email, customer, attributes, generated.Truth[i].Incident));
        }

        // Stable: changes were added first, so a change precedes tickets of the same instant.
        return [.. items.Select((item, index) => (item, index)).OrderBy(x => x.item.Time).ThenBy(x => x.index).Select(x => x.item)];
    }
}
