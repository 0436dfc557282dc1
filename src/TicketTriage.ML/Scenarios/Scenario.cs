namespace TicketTriage.ML.Scenarios;

/// <summary>
/// A surge scenario: a hosting company's fleet and customers, the steady background of support tickets, the changes
/// made to the fleet, and the incidents planted in it with the truth the engine should find. Parsed from JSON by
/// <see cref="ScenarioJson"/>; turned into a ticket stream by <see cref="ScenarioGenerator"/>.
/// </summary>
public sealed record Scenario
{
    public required string Name { get; init; }

    public string Title { get; init; } = "";

    /// <summary>The post-mortem this scenario is drawn from (a file name under ../shared/seeds/).</summary>
    public string Seed { get; init; } = "";

    public string Description { get; init; } = "";

    public int RandomSeed { get; init; } = 1;

    public required DateTimeOffset Start { get; init; }

    public required double DurationHours { get; init; }

    /// <summary>The company's local time zone offset, which the daily rhythm of traffic follows.</summary>
    public double UtcOffsetHours { get; init; }

    public required FleetSpec Fleet { get; init; }

    public required BackgroundSpec Background { get; init; }

    public IReadOnlyList<ChangeSpec> Changes { get; init; } = [];

    public IReadOnlyList<IncidentSpec> Incidents { get; init; } = [];

    public DateTimeOffset End => Start + TimeSpan.FromHours(DurationHours);

    /// <summary>
    /// The same company on a busier desk: the everyday traffic times <paramref name="factor"/> (its history too, which
    /// is made of it), the fleet, changes and incidents unchanged. False alarms are counted a day, and every ticket is
    /// a test: `eval scenario --background-scale` measures how they grow with the traffic.
    /// </summary>
    public Scenario WithBackgroundScaled(double factor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(factor);
        return this with { Background = Background with { TicketsPerHour = Background.TicketsPerHour * factor } };
    }
}

/// <summary>Servers and customers.</summary>
public sealed record FleetSpec
{
    public required IReadOnlyList<ServerGroupSpec> ServerGroups { get; init; }

    public required int Customers { get; init; }

    /// <summary>Plan name → weight.</summary>
    public required IReadOnlyDictionary<string, double> Plans { get; init; }

    /// <summary>Further customer attributes: name → (value → weight), e.g. "siteStack" → {"php": 0.6, "frontpage": 0.1}.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> CustomerAttributes { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, double>>();

    /// <summary>
    /// Where customers get their mail: domain → weight, "own" for an address at the customer's own domain
    /// ({"gmail.com": 0.3, "outlook.com": 0.1, "own": 0.5}). Empty: every address is at the customer's own domain.
    /// </summary>
    public IReadOnlyDictionary<string, double> EmailProviders { get; init; } = new Dictionary<string, double>();

    public double AccountAgeMinDays { get; init; } = 5;

    public double AccountAgeMaxDays { get; init; } = 2500;
}

/// <summary>
/// A group of servers in one datacenter: either explicit <see cref="Names"/> or <see cref="Prefix"/> followed by
/// numbers From … From+Count−1 ("node-201").
/// </summary>
public sealed record ServerGroupSpec
{
    public string Prefix { get; init; } = "server-";

    public int From { get; init; } = 1;

    public int Count { get; init; } = 1;

    public IReadOnlyList<string> Names { get; init; } = [];

    /// <summary>Zero-pads the numbers to this many digits ("ws-07").</summary>
    public int Digits { get; init; }

    public required string Datacenter { get; init; }

    public string ProductVersion { get; init; } = "";

    /// <summary>Relative number of customers per server of this group.</summary>
    public double Weight { get; init; } = 1;
}

/// <summary>Steady traffic: every customer writes now and then, about everything.</summary>
public sealed record BackgroundSpec
{
    /// <summary>Mean tickets per hour over a day.</summary>
    public required double TicketsPerHour { get; init; }

    /// <summary>24 relative rates by local hour (scaled to mean 1); empty means an office-hours default.</summary>
    public IReadOnlyList<double> HourlyRhythm { get; init; } = [];

    /// <summary>7 relative rates by local weekday, Monday first (scaled to mean 1); empty means every day alike.</summary>
    public IReadOnlyList<double> WeeklyRhythm { get; init; } = [];

    /// <summary>Category (of <see cref="BackgroundCatalog"/>) → weight; empty means every category equally.</summary>
    public IReadOnlyDictionary<string, double> Categories { get; init; } = new Dictionary<string, double>();

    /// <summary>
    /// Category → 7 multipliers of its weight by local weekday, Monday first: topics with a rhythm of their own
    /// (passwords forgotten over the weekend are Monday's; invoices go out on the 1st).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> CategoryWeekdays { get; init; } =
        new Dictionary<string, IReadOnlyList<double>>();
}

/// <summary>An upgrade, deploy or maintenance and what it touched.</summary>
public sealed record ChangeSpec
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    /// <summary>upgrade, deploy, maintenance.</summary>
    public string Kind { get; init; } = "upgrade";

    public required DateTimeOffset Start { get; init; }

    public DateTimeOffset? End { get; init; }

    public TargetSpec Targets { get; init; } = new();

    /// <summary>The rollout this change is one batch of; batches of one series share it (null: a change of its own).</summary>
    public string? Series { get; init; }

    /// <summary>The product version its target servers run afterwards, if it changes it.</summary>
    public string? SetsProductVersion { get; init; }
}

/// <summary>
/// What a change touched; a server is a target if it is named or sits in a named datacenter. Any other attribute
/// may be targeted through <see cref="Attributes"/>: a customer attribute ("authShard" → ["eu-2"]), "emailDomain",
/// "region", "productVersion" (servers running it when the change starts).
/// </summary>
public sealed record TargetSpec
{
    public IReadOnlyList<string> Servers { get; init; } = [];

    public IReadOnlyList<string> Datacenters { get; init; } = [];

    public IReadOnlyList<string> Plans { get; init; } = [];

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Attributes { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();
}

/// <summary>A planted incident: who it hits, when, how often they write and in what words.</summary>
public sealed record IncidentSpec
{
    public required string Name { get; init; }

    public string Description { get; init; } = "";

    public required DateTimeOffset Onset { get; init; }

    public required double DurationHours { get; init; }

    /// <summary>Peak arrival rate of its tickets.</summary>
    public required double TicketsPerHour { get; init; }

    /// <summary>Linear ramp from zero to the peak rate.</summary>
    public double RampMinutes { get; init; } = 10;

    /// <summary>After the ramp the rate halves every this many hours (0: flat until the end).</summary>
    public double HalfLifeHours { get; init; }

    public AffectedSpec Affected { get; init; } = new();

    /// <summary>
    /// For a bug a rollout carries from batch to batch (with <see cref="AffectedSpec.TargetsOfChanges"/>): a customer
    /// can be hit only once the batch that reached them has run for as long as the first batch ran before
    /// <see cref="Onset"/>, and the rate grows with the share of affected customers reached so far.
    /// </summary>
    public bool FollowsRollout { get; init; }

    public required SymptomSpec Symptoms { get; init; }

    public ExpectationSpec Expect { get; init; } = new();
}

/// <summary>
/// The affected customers: every condition given must hold (AND); within a list any value may match (OR).
/// <see cref="Share"/> then keeps a random fraction of them ("a very small percentage of sites").
/// </summary>
public sealed record AffectedSpec
{
    public IReadOnlyList<string> Servers { get; init; } = [];

    public IReadOnlyList<string> Datacenters { get; init; } = [];

    public IReadOnlyList<string> Plans { get; init; } = [];

    /// <summary>Customers the changes targeted (by server, plan or attribute; with a series, only its batches named here).</summary>
    public IReadOnlyList<string> TargetsOfChanges { get; init; } = [];

    /// <summary>Domains of the customers' e-mail addresses (see <see cref="FleetSpec.EmailProviders"/>).</summary>
    public IReadOnlyList<string> EmailDomains { get; init; } = [];

    /// <summary>First letters of the username, e.g. "ab".</summary>
    public string UsernameInitials { get; init; } = "";

    public IReadOnlyDictionary<string, IReadOnlyList<string>> CustomerAttributes { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    public double Share { get; init; } = 1;
}

/// <summary>
/// How affected customers describe the problem. A ticket is a subject, an opening statement, zero to two details,
/// with greetings, asks and signatures added by the composer. Placeholders: {domain} {username} {email} {server}
/// {time} {file} {ip} {n} {plan}.
/// </summary>
public sealed record SymptomSpec
{
    public required IReadOnlyList<string> Subjects { get; init; }

    public required IReadOnlyList<string> Openings { get; init; }

    public IReadOnlyList<string> Details { get; init; } = [];
}

/// <summary>What the engine is expected to find for an incident.</summary>
public sealed record ExpectationSpec
{
    public IReadOnlyList<ExpectedConcentration> Concentrations { get; init; } = [];

    /// <summary>Id of the change — or of the change series, for a rollout — the incident should be linked to; null when none caused it.</summary>
    public string? Change { get; init; }
}

public sealed record ExpectedConcentration
{
    public required string Attribute { get; init; }

    public required string Value { get; init; }
}
