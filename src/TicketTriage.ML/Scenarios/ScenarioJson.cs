using System.Text.Json;
using System.Text.Json.Serialization;

namespace TicketTriage.ML.Scenarios;

/// <summary>Reads and writes scenarios as JSON (camelCase, comments and trailing commas allowed), then validates them.</summary>
public static class ScenarioJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static Scenario Parse(string json) =>
        Validate(JsonSerializer.Deserialize<Scenario>(json, Options) ?? throw new FormatException("The scenario is empty."));

    public static Scenario Parse(Stream json) =>
        Validate(JsonSerializer.Deserialize<Scenario>(json, Options) ?? throw new FormatException("The scenario is empty."));

    public static string Serialize(Scenario scenario) => JsonSerializer.Serialize(scenario, Options);

    /// <summary>Throws <see cref="FormatException"/> naming the first inconsistency; returns the scenario otherwise.</summary>
    public static Scenario Validate(Scenario s)
    {
        void Require(bool ok, string message)
        {
            if (!ok)
            {
                throw new FormatException($"Scenario '{s.Name}': {message}");
            }
        }

        Require(s.DurationHours > 0, "durationHours must be positive.");
        Require(s.Fleet.Customers > 0, "fleet.customers must be positive.");
        Require(s.Fleet.ServerGroups.Count > 0, "fleet.serverGroups is empty.");
        Require(s.Fleet.Plans.Count > 0 && s.Fleet.Plans.Values.All(w => w > 0), "fleet.plans needs positive weights.");
        Require(s.Background.TicketsPerHour >= 0, "background.ticketsPerHour must not be negative.");
        Require(s.Background.HourlyRhythm.Count is 0 or 24, "background.hourlyRhythm needs 24 values.");
        Require(s.Background.WeeklyRhythm.Count is 0 or 7 && s.Background.WeeklyRhythm.All(w => w >= 0) &&
            (s.Background.WeeklyRhythm.Count == 0 || s.Background.WeeklyRhythm.Sum() > 0), "background.weeklyRhythm needs 7 non-negative values, Monday first.");
        foreach (var (category, days) in s.Background.CategoryWeekdays)
        {
            Require(BackgroundCatalog.Categories.ContainsKey(category), $"unknown background category '{category}' in categoryWeekdays.");
            Require(days.Count == 7 && days.All(d => d >= 0), $"background.categoryWeekdays.{category} needs 7 non-negative values, Monday first.");
        }

        Require(s.Fleet.EmailProviders.Values.All(w => w > 0), "fleet.emailProviders needs positive weights.");
        foreach (var category in s.Background.Categories.Keys)
        {
            Require(BackgroundCatalog.Categories.ContainsKey(category), $"unknown background category '{category}'.");
        }

        var servers = ScenarioGenerator.BuildServers(s).Select(x => x.Name).ToHashSet(StringComparer.Ordinal);
        var datacenters = s.Fleet.ServerGroups.Select(g => g.Datacenter).ToHashSet(StringComparer.Ordinal);
        var changeIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in s.Changes)
        {
            Require(changeIds.Add(change.Id), $"duplicate change id '{change.Id}'.");
            Require(change.End is null || change.End >= change.Start, $"change '{change.Id}' ends before it starts.");
            CheckTargets(change.Targets.Servers, change.Targets.Datacenters, change.Targets.Plans, $"change '{change.Id}'");
            Require(change.Targets.Attributes.All(a => a.Key.Length > 0 && a.Value.Count > 0), $"change '{change.Id}': every target attribute needs values.");
            Require(change.Series is null || !string.IsNullOrWhiteSpace(change.Series), $"change '{change.Id}': series must not be blank.");
        }

        var seriesIds = s.Changes.Where(c => c.Series is not null).Select(c => c.Series!).ToHashSet(StringComparer.Ordinal);

        var incidentNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var incident in s.Incidents)
        {
            var where = $"incident '{incident.Name}'";
            Require(incidentNames.Add(incident.Name), $"duplicate incident name '{incident.Name}'.");
            Require(incident.TicketsPerHour > 0 && incident.DurationHours > 0, $"{where} needs a positive rate and duration.");
            Require(incident.Symptoms.Subjects.Count > 0 && incident.Symptoms.Openings.Count > 0, $"{where} needs subjects and openings.");
            Require(incident.Affected.Share is > 0 and <= 1, $"{where}: affected.share must be in (0, 1].");
            Require(!incident.FollowsRollout || incident.Affected.TargetsOfChanges.Count > 0, $"{where}: followsRollout needs affected.targetsOfChanges.");
            CheckTargets(incident.Affected.Servers, incident.Affected.Datacenters, incident.Affected.Plans, where);
            foreach (var id in incident.Affected.TargetsOfChanges)
            {
                Require(changeIds.Contains(id), $"{where} refers to unknown change '{id}'.");
            }

            Require(incident.Expect.Change is null || changeIds.Contains(incident.Expect.Change) || seriesIds.Contains(incident.Expect.Change),
                $"{where} expects unknown change or series '{incident.Expect.Change}'.");
        }

        return s;

        void CheckTargets(IReadOnlyList<string> names, IReadOnlyList<string> dcs, IReadOnlyList<string> plans, string where)
        {
            foreach (var name in names)
            {
                Require(servers.Contains(name), $"{where} names unknown server '{name}'.");
            }

            foreach (var dc in dcs)
            {
                Require(datacenters.Contains(dc), $"{where} names unknown datacenter '{dc}'.");
            }

            foreach (var plan in plans)
            {
                Require(s.Fleet.Plans.ContainsKey(plan), $"{where} names unknown plan '{plan}'.");
            }
        }
    }
}
