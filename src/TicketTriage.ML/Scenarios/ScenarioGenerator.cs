using System.Globalization;
using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Scenarios;

public sealed record ScenarioServer(string Name, string Datacenter, string InitialProductVersion, double Weight);

public sealed record ScenarioCustomer(
    int Id,
    string Username,
    string Domain,
    string ContactName,
    string Plan,
    string Server,
    DateTimeOffset AccountCreated,
    IReadOnlyDictionary<string, string> Extra,
    string Email = "")
{
    /// <summary>The address the customer writes from (username@domain unless the fleet gives mail providers).</summary>
    public string Address => Email.Length > 0 ? Email : $"{Username}@{Domain}";
}

/// <summary>One generated ticket, as the engine sees it: no truth attached.</summary>
/// <param name="Attributes">Raw customer metadata at the ticket's time (see <see cref="AttributeKeys"/>).</param>
public sealed record ScenarioTicket(long Id, DateTimeOffset Time, string Subject, string Body, IReadOnlyDictionary<string, string> Attributes)
{
    public string Text => TicketTriage.ML.Engine.TriageText.Compose(Subject, Body);
}

/// <summary>The truth kept aside: the incident a ticket belongs to (null: background) and its topic.</summary>
public sealed record TicketTruth(long TicketId, string? Incident, string Topic);

/// <summary>A scenario turned into a time-ordered ticket stream, with its truth and its changes in signal form.</summary>
public sealed record GeneratedScenario(
    Scenario Scenario,
    IReadOnlyList<ScenarioTicket> Tickets,
    IReadOnlyList<TicketTruth> Truth,
    IReadOnlyList<ChangeEvent> Changes,
    IReadOnlyList<ScenarioServer> Servers,
    IReadOnlyList<ScenarioCustomer> Customers);

/// <summary>
/// Turns a <see cref="Scenario"/> into a ticket stream, deterministically for its random seed: arrivals are
/// non-homogeneous Poisson processes (background following the daily rhythm, each incident ramping up to its peak
/// and decaying), drawn by thinning; each ticket's text is composed from the category's or incident's phrasings.
/// </summary>
public static class ScenarioGenerator
{
    private static readonly double[] OfficeHours =
    [
        0.25, 0.18, 0.15, 0.15, 0.2, 0.35, 0.6, 1.0, 1.5, 1.8, 1.85, 1.75,
        1.55, 1.65, 1.7, 1.6, 1.45, 1.25, 1.05, 0.95, 0.85, 0.7, 0.5, 0.35,
    ];

    public static GeneratedScenario Generate(Scenario scenario, int? seedOverride = null)
    {
        var random = new Random(seedOverride ?? scenario.RandomSeed);
        var servers = BuildServers(scenario);
        var customers = BuildCustomers(scenario, servers, random);
        var serverByName = servers.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var history = ServerHistory.Build(scenario, servers);
        var composer = new TicketComposer(random);

        var drafts = new List<(DateTimeOffset Time, string Subject, string Body, ScenarioCustomer Customer, string? Incident, string Topic)>();

        // Background: one stream, categories drawn by weight.
        var categories = (scenario.Background.Categories.Count > 0
                ? scenario.Background.Categories.Where(c => c.Value > 0).Select(c => (c.Key, c.Value))
                : BackgroundCatalog.Categories.Keys.Select(k => (k, 1.0)))
            .OrderBy(c => c.Item1, StringComparer.Ordinal)
            .ToArray();
        var rhythm = Normalize(scenario.Background.HourlyRhythm.Count == 24 ? scenario.Background.HourlyRhythm : OfficeHours);
        var weekly = scenario.Background.WeeklyRhythm.Count == 7 ? Normalize(scenario.Background.WeeklyRhythm) : [1.0, 1, 1, 1, 1, 1, 1];
        var peakBackground = scenario.Background.TicketsPerHour * rhythm.Max() * weekly.Max();
        var categoriesByWeekday = Enumerable.Range(0, 7).Select(day => categories
            .Select(c => (c.Item1, c.Item2 * (scenario.Background.CategoryWeekdays.TryGetValue(c.Item1, out var m) ? m[day] : 1)))
            .ToArray()).ToArray();
        foreach (var time in Arrivals(random, scenario.Start, scenario.End, peakBackground,
                     t => scenario.Background.TicketsPerHour * RhythmAt(rhythm, t, scenario.UtcOffsetHours) * weekly[Weekday(t, scenario.UtcOffsetHours)]))
        {
            var category = Pick(random, categoriesByWeekday[Weekday(time, scenario.UtcOffsetHours)]);
            var customer = customers[random.Next(customers.Count)];
            var (subject, body) = composer.Compose(BackgroundCatalog.Categories[category], customer, Slots(customer, time, scenario));
            drafts.Add((time, subject, body, customer, null, category));
        }

        // Incidents: each its own process over its affected customers.
        foreach (var incident in scenario.Incidents)
        {
            var affected = Affected(scenario, incident, customers, servers, random);
            if (affected.Count == 0)
            {
                throw new InvalidOperationException($"Incident '{incident.Name}' affects no customer.");
            }

            var end = incident.Onset + TimeSpan.FromHours(incident.DurationHours);
            var phrasing = new Phrasing(incident.Symptoms.Subjects, incident.Symptoms.Openings, incident.Symptoms.Details);
            var hitFrom = incident.FollowsRollout ? RolloutReach(scenario, incident, affected, servers) : null;
            Func<DateTimeOffset, double> rate = hitFrom is null
                ? t => IncidentRate(incident, t)
                : t => IncidentRate(incident, t) * ReachedShare(hitFrom, t);
            foreach (var time in Arrivals(random, incident.Onset, end, incident.TicketsPerHour, rate))
            {
                var reached = hitFrom is null ? affected.Count : ReachedCount(hitFrom, time);
                if (reached == 0)
                {
                    continue;
                }

                // Customers sorted by when the rollout reached them: the first `reached` are hit by now.
                var customer = hitFrom is null ? affected[random.Next(affected.Count)] : hitFrom[random.Next(reached)].Customer;
                var (subject, body) = composer.Compose(phrasing, customer, Slots(customer, time, scenario));
                drafts.Add((time, subject, body, customer, incident.Name, incident.Name));
            }
        }

        // Stable order: by time, then by generation order (background first), so a seed always yields one stream.
        var ordered = drafts.Select((d, i) => (d, i)).OrderBy(x => x.d.Time).ThenBy(x => x.i).Select(x => x.d).ToList();
        var tickets = new List<ScenarioTicket>(ordered.Count);
        var truth = new List<TicketTruth>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            var d = ordered[i];
            var id = i + 1L;
            var server = serverByName[d.Customer.Server];
            var (version, changedAt) = history.At(server, d.Time);
            var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["customerId"] = d.Customer.Id.ToString(CultureInfo.InvariantCulture),
                [AttributeKeys.Username] = d.Customer.Username,
                [AttributeKeys.Email] = d.Customer.Address,
                ["domain"] = d.Customer.Domain,
                [AttributeKeys.Plan] = d.Customer.Plan,
                [AttributeKeys.Server] = server.Name,
                [AttributeKeys.Datacenter] = server.Datacenter,
                [AttributeKeys.AccountCreated] = d.Customer.AccountCreated.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            };
            if (version.Length > 0)
            {
                attributes[AttributeKeys.ProductVersion] = version;
            }

            if (changedAt is { } at)
            {
                attributes[AttributeKeys.ServerChangedAt] = at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
            }

            foreach (var (key, value) in d.Customer.Extra)
            {
                attributes[key] = value;
            }

            tickets.Add(new ScenarioTicket(id, d.Time, d.Subject, d.Body, attributes));
            truth.Add(new TicketTruth(id, d.Incident, d.Topic));
        }

        return new GeneratedScenario(scenario, tickets, truth, ToChangeEvents(scenario, servers), servers, customers);
    }

    /// <summary>The scenario's changes as the signals see them: targets keyed by ticket attribute.</summary>
    public static IReadOnlyList<ChangeEvent> ToChangeEvents(Scenario scenario, IReadOnlyList<ScenarioServer> servers) =>
        scenario.Changes.Select(c =>
        {
            var targets = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            var targetServers = TargetServers(c.Targets, servers);
            if (targetServers.Count > 0)
            {
                targets[AttributeKeys.Server] = targetServers.Order(StringComparer.Ordinal).ToList();
            }

            if (c.Targets.Plans.Count > 0)
            {
                targets[AttributeKeys.Plan] = c.Targets.Plans.ToList();
            }

            foreach (var (key, values) in c.Targets.Attributes)
            {
                targets[key] = values.ToList();
            }

            return new ChangeEvent(c.Id, c.Title, c.Kind, c.Start, c.End, targets) { Series = c.Series };
        }).ToList();

    public static IReadOnlyList<ScenarioServer> BuildServers(Scenario scenario) =>
        scenario.Fleet.ServerGroups.SelectMany(g =>
            (g.Names.Count > 0 ? g.Names : Enumerable.Range(g.From, g.Count).Select(n => g.Prefix + n.ToString(new string('0', Math.Max(1, g.Digits)), CultureInfo.InvariantCulture)))
            .Select(name => new ScenarioServer(name, g.Datacenter, g.ProductVersion, g.Weight)))
            .ToList();

    internal static HashSet<string> TargetServers(TargetSpec targets, IReadOnlyList<ScenarioServer> servers) =>
        servers.Where(s => targets.Servers.Contains(s.Name) || targets.Datacenters.Contains(s.Datacenter))
            .Select(s => s.Name)
            .ToHashSet(StringComparer.Ordinal);

    private static List<ScenarioCustomer> BuildCustomers(Scenario scenario, IReadOnlyList<ScenarioServer> servers, Random random)
    {
        var fleet = scenario.Fleet;
        var plans = fleet.Plans.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)).ToArray();
        var serverWeights = servers.Select(s => (s.Name, s.Weight)).ToArray();
        var extras = fleet.CustomerAttributes.OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => (a.Key, Values: a.Value.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => (v.Key, v.Value)).ToArray()))
            .ToArray();
        var providers = fleet.EmailProviders.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)).ToArray();
        var usernames = new HashSet<string>(StringComparer.Ordinal);
        var customers = new List<ScenarioCustomer>(fleet.Customers);
        for (var i = 0; i < fleet.Customers; i++)
        {
            var (username, domain, contact) = CustomerNames.Next(random, usernames);
            var ageDays = fleet.AccountAgeMinDays + random.NextDouble() * (fleet.AccountAgeMaxDays - fleet.AccountAgeMinDays);
            var extra = extras.ToDictionary(e => e.Key, e => Pick(random, e.Values), StringComparer.Ordinal);
            var created = new DateTimeOffset((scenario.Start - TimeSpan.FromDays(ageDays)).UtcDateTime.Date, TimeSpan.Zero);
            var plan = Pick(random, plans);
            var server = Pick(random, serverWeights);

            // Drawn only when the fleet names providers, so older scenario files keep their streams.
            var provider = providers.Length > 0 ? Pick(random, providers) : OwnDomain;
            var email = provider == OwnDomain ? "" : $"{Mailbox(contact, i)}@{provider}";
            customers.Add(new ScenarioCustomer(i + 1, username, domain, contact, plan, server, created, extra, email));
        }

        return customers;
    }

    /// <summary>The key of <see cref="FleetSpec.EmailProviders"/> for an address at the customer's own domain.</summary>
    public const string OwnDomain = "own";

    // "Dana Whitfield", customer 17 → "dana.whitfield17": webmail addresses are names, often with a number.
    private static string Mailbox(string contact, int index)
    {
        var name = new string(contact.ToLowerInvariant().Select(ch => char.IsLetter(ch) ? ch : '.').ToArray()).Trim('.');
        return (name.Length == 0 ? "customer" : name) + (index % 100).ToString(CultureInfo.InvariantCulture);
    }

    private static int Weekday(DateTimeOffset t, double utcOffsetHours) =>
        ((int)(t + TimeSpan.FromHours(utcOffsetHours)).UtcDateTime.DayOfWeek + 6) % 7; // Monday 0 … Sunday 6

    private static List<ScenarioCustomer> Affected(
        Scenario scenario, IncidentSpec incident, List<ScenarioCustomer> customers, IReadOnlyList<ScenarioServer> servers, Random random)
    {
        var a = incident.Affected;
        var datacenterOf = servers.ToDictionary(s => s.Name, s => s.Datacenter, StringComparer.Ordinal);
        HashSet<string>? changedServers = null;
        HashSet<string>? changedPlans = null;
        HashSet<(string Key, string)>? changedAttributes = null;
        if (a.TargetsOfChanges.Count > 0)
        {
            var changes = scenario.Changes.Where(c => a.TargetsOfChanges.Contains(c.Id)).ToList();
            changedServers = changes.SelectMany(c => TargetServers(c.Targets, servers)).ToHashSet(StringComparer.Ordinal);
            changedPlans = changes.SelectMany(c => c.Targets.Plans).ToHashSet(StringComparer.Ordinal);
            changedAttributes = changes.SelectMany(c => c.Targets.Attributes)
                .SelectMany(kv => kv.Value.Select(v => (kv.Key, v)))
                .ToHashSet();
        }

        var serverOf = servers.ToDictionary(s => s.Name, StringComparer.Ordinal);
        bool TargetedByAttribute(ScenarioCustomer c) =>
            changedAttributes!.Any(t => CustomerAttribute(c, serverOf[c.Server], t.Key) == t.Item2);

        var matching = customers.Where(c =>
            (a.Servers.Count == 0 || a.Servers.Contains(c.Server)) &&
            (a.Datacenters.Count == 0 || a.Datacenters.Contains(datacenterOf[c.Server])) &&
            (a.Plans.Count == 0 || a.Plans.Contains(c.Plan)) &&
            (changedServers is null || changedServers.Contains(c.Server) || changedPlans!.Contains(c.Plan) || TargetedByAttribute(c)) &&
            (a.EmailDomains.Count == 0 || a.EmailDomains.Contains(TicketAttributes.EmailDomain(c.Address) ?? "")) &&
            (a.UsernameInitials.Length == 0 || a.UsernameInitials.Contains(char.ToLowerInvariant(c.Username[0]))) &&
            a.CustomerAttributes.All(kv => c.Extra.TryGetValue(kv.Key, out var v) && kv.Value.Contains(v)))
            .ToList();

        // Share < 1: a fixed random subset of them is hit (drawn once, so the same customers write again).
        return a.Share >= 1 ? matching : matching.Where(_ => random.NextDouble() < a.Share).ToList();
    }

    // A customer's value of an attribute a change may target (the server's initial product version: versions a
    // change sets are its effect, not its target).
    private static string? CustomerAttribute(ScenarioCustomer c, ScenarioServer server, string key) => key switch
    {
        AttributeKeys.Plan => c.Plan,
        AttributeKeys.Server => c.Server,
        AttributeKeys.Datacenter => server.Datacenter,
        AttributeKeys.ProductVersion => server.InitialProductVersion,
        AttributeKeys.EmailDomain => TicketAttributes.EmailDomain(c.Address),
        _ => c.Extra.GetValueOrDefault(key),
    };

    // When each affected customer's batch has run as long as the first batch had at the onset; sorted by that time.
    private static List<(DateTimeOffset From, ScenarioCustomer Customer)> RolloutReach(
        Scenario scenario, IncidentSpec incident, List<ScenarioCustomer> affected, IReadOnlyList<ScenarioServer> servers)
    {
        var changes = scenario.Changes.Where(c => incident.Affected.TargetsOfChanges.Contains(c.Id)).OrderBy(c => c.Start).ToList();
        var lag = incident.Onset - changes[0].Start;
        var serverOf = servers.ToDictionary(s => s.Name, StringComparer.Ordinal);
        return affected
            .Select(c => (From: changes.FirstOrDefault(ch =>
                    TargetServers(ch.Targets, servers).Contains(c.Server) || ch.Targets.Plans.Contains(c.Plan) ||
                    ch.Targets.Attributes.Any(a => a.Value.Contains(CustomerAttribute(c, serverOf[c.Server], a.Key) ?? "\0")))
                ?.Start + lag ?? DateTimeOffset.MaxValue, Customer: c))
            .OrderBy(x => x.From).ThenBy(x => x.Customer.Id)
            .ToList();
    }

    private static int ReachedCount(List<(DateTimeOffset From, ScenarioCustomer Customer)> hitFrom, DateTimeOffset t)
    {
        var n = 0;
        while (n < hitFrom.Count && hitFrom[n].From <= t)
        {
            n++;
        }

        return n;
    }

    private static double ReachedShare(List<(DateTimeOffset From, ScenarioCustomer Customer)> hitFrom, DateTimeOffset t) =>
        (double)ReachedCount(hitFrom, t) / hitFrom.Count;

    private static double IncidentRate(IncidentSpec incident, DateTimeOffset t)
    {
        var minutes = (t - incident.Onset).TotalMinutes;
        if (minutes < 0)
        {
            return 0;
        }

        if (incident.RampMinutes > 0 && minutes < incident.RampMinutes)
        {
            return incident.TicketsPerHour * minutes / incident.RampMinutes;
        }

        var afterRamp = (minutes - incident.RampMinutes) / 60;
        return incident.HalfLifeHours > 0 ? incident.TicketsPerHour * Math.Pow(0.5, afterRamp / incident.HalfLifeHours) : incident.TicketsPerHour;
    }

    /// <summary>Arrival times of a Poisson process with rate(t) ≤ maxRate per hour, by thinning.</summary>
    private static IEnumerable<DateTimeOffset> Arrivals(Random random, DateTimeOffset from, DateTimeOffset to, double maxRate, Func<DateTimeOffset, double> rate)
    {
        if (maxRate <= 0)
        {
            yield break;
        }

        var t = from;
        while (true)
        {
            t += TimeSpan.FromHours(-Math.Log(1 - random.NextDouble()) / maxRate);
            if (t >= to)
            {
                yield break;
            }

            // Whole seconds: ticket systems stamp seconds, and it keeps the stream readable.
            if (random.NextDouble() * maxRate < rate(t))
            {
                yield return new DateTimeOffset(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
            }
        }
    }

    private static double[] Normalize(IReadOnlyList<double> rhythm)
    {
        var mean = rhythm.Average();
        return rhythm.Select(r => r / mean).ToArray();
    }

    // Linear between hourly values, so the rate has no step at the top of each hour.
    private static double RhythmAt(double[] rhythm, DateTimeOffset t, double utcOffsetHours)
    {
        var hour = ((t.UtcDateTime.TimeOfDay.TotalHours + utcOffsetHours) % 24 + 24) % 24;
        var h0 = (int)hour;
        var f = hour - h0;
        return rhythm[h0] * (1 - f) + rhythm[(h0 + 1) % 24] * f;
    }

    internal static string Pick(Random random, (string Value, double Weight)[] choices)
    {
        var total = 0.0;
        foreach (var c in choices)
        {
            total += c.Weight;
        }

        var x = random.NextDouble() * total;
        foreach (var c in choices)
        {
            x -= c.Weight;
            if (x < 0)
            {
                return c.Value;
            }
        }

        return choices[^1].Value;
    }

    private static Dictionary<string, string> Slots(ScenarioCustomer c, DateTimeOffset time, Scenario scenario) => new(StringComparer.Ordinal)
    {
        ["domain"] = c.Domain,
        ["username"] = c.Username,
        ["email"] = c.Address,
        ["server"] = c.Server,
        ["plan"] = c.Plan,
        ["localtime"] = (time + TimeSpan.FromHours(scenario.UtcOffsetHours)).ToString("h:mm tt", CultureInfo.InvariantCulture).ToLowerInvariant(),
    };

    /// <summary>Product version and last change of each server over time, from the scenario's changes.</summary>
    private sealed class ServerHistory
    {
        private readonly Dictionary<string, List<(DateTimeOffset At, string? Version)>> _events = new(StringComparer.Ordinal);

        public static ServerHistory Build(Scenario scenario, IReadOnlyList<ScenarioServer> servers)
        {
            var history = new ServerHistory();
            foreach (var change in scenario.Changes.OrderBy(c => c.Start))
            {
                foreach (var server in TargetServers(change.Targets, servers))
                {
                    if (!history._events.TryGetValue(server, out var list))
                    {
                        list = [];
                        history._events[server] = list;
                    }

                    // A server counts as changed from the start of the work on it.
                    list.Add((change.Start, change.SetsProductVersion));
                }
            }

            return history;
        }

        public (string Version, DateTimeOffset? ChangedAt) At(ScenarioServer server, DateTimeOffset time)
        {
            var version = server.InitialProductVersion;
            DateTimeOffset? changedAt = null;
            if (_events.TryGetValue(server.Name, out var list))
            {
                foreach (var (at, setsVersion) in list)
                {
                    if (at > time)
                    {
                        break;
                    }

                    changedAt = at;
                    version = setsVersion ?? version;
                }
            }

            return (version, changedAt);
        }
    }
}
