using System.Globalization;
using Microsoft.EntityFrameworkCore;
using System.Text.Json;
using TicketTriage.ML.Engine;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Features.Triage;

/// <summary>
/// What triage reads of a stored ticket (the engine's input and the priority's), loaded untracked: the worker writes
/// the results with its own UPDATE (<see cref="TriageTicketWriter"/>), so nothing needs EF's change tracking.
/// </summary>
internal sealed record TriageTicket(long Id, string Subject, string Body, TicketStatus Status, DateTime CreatedAt, DateTime ReceivedAt,
    string? AttributesJson, Customer? Customer)
{
    public static IQueryable<TriageTicket> Project(IQueryable<Ticket> tickets) =>
        tickets.AsNoTracking().Select(t => new TriageTicket(t.Id, t.Subject, t.Body, t.Status, t.CreatedAt, t.ReceivedAt, t.AttributesJson, t.Customer));

    public static TriageTicket Of(Ticket t) => new(t.Id, t.Subject, t.Body, t.Status, t.CreatedAt, t.ReceivedAt, t.AttributesJson, t.Customer);
}

/// <summary>A stored ticket as the engine sees it: its text, its time and its raw attributes.</summary>
internal static class EngineTickets
{
    /// <summary>
    /// The engine's clock is the customer's time (<c>createdAt</c>, arrival when the source gave none), so a replay
    /// of old tickets is triaged on its own timeline; a time in the future is taken as the arrival time.
    /// </summary>
    public static EngineTicket From(Ticket ticket) => From(TriageTicket.Of(ticket));

    /// <inheritdoc cref="From(Ticket)"/>
    public static EngineTicket From(TriageTicket ticket)
    {
        var time = ticket.CreatedAt > ticket.ReceivedAt ? ticket.ReceivedAt : ticket.CreatedAt;
        return new EngineTicket(ticket.Id, TriageText.Compose(ticket.Subject, ticket.Body),
            new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)), Attributes(ticket.Customer, ticket.AttributesJson));
    }

    /// <summary>Customer fields and attributes, then the ticket's own attributes (they win: they describe this ticket's
    /// moment, e.g. the product version the server ran when it was written).</summary>
    private static Dictionary<string, string> Attributes(Customer? customer, string? ticketAttributesJson)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (customer is { } c)
        {
            Put(attributes, "email", c.Email);
            Put(attributes, "username", c.Username);
            Put(attributes, "plan", c.Plan);
            Put(attributes, "tier", c.Tier);
            Put(attributes, "server", c.Server);
            Put(attributes, "datacenter", c.Datacenter);
            Put(attributes, "region", c.Region);
            AddJson(attributes, c.AttributesJson);
        }

        AddJson(attributes, ticketAttributesJson);
        return attributes;
    }

    private static void Put(Dictionary<string, string> attributes, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            attributes[key] = value;
        }
    }

    private static void AddJson(Dictionary<string, string> attributes, string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                var value = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Number => property.Value.GetRawText(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => null, // objects, arrays, null: not an attribute value
                };
                Put(attributes, property.Name, value);
            }
        }
        catch (JsonException)
        {
            // Stored attributes were validated as JSON on ingest; a hand-edited row must not stop triage.
        }
    }

    public static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
