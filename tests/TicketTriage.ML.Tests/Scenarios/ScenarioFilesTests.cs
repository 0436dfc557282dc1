using TicketTriage.ML.Scenarios;

namespace TicketTriage.ML.Tests.Scenarios;

/// <summary>The scenarios shipped in data/scenarios parse, validate and generate what they promise.</summary>
public sealed class ScenarioFilesTests
{
    internal static string ScenarioDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TicketTriage.sln")))
            {
                return Path.Combine(dir.FullName, "data", "scenarios");
            }
        }

        throw new DirectoryNotFoundException("TicketTriage.sln not found above the test binaries.");
    }

    public static TheoryData<string> Files() => new(
        "westhost-batch-upgrade.json", "webmail-surge-then-db.json", "servint-flapping-network.json",
        "namehero-lost-node.json", "smilingpeanut-os-upgrade.json");

    /// <summary>Scenarios of the surge shapes the post-mortems imply: a rollout in batches, changes to non-server attributes, a slow burn, a quiet week.</summary>
    public static TheoryData<string> ShapeFiles() => new(
        "php-rollout-batches.json", "saas-auth-shard-and-mail-domain.json", "cert-renewal-slow-burn.json", "quiet-week-weekly-rhythm.json");

    /// <summary>Probes written after the engine was tuned (never tuned on): generated here, measured in docs/benchmarks.md.</summary>
    public static TheoryData<string> ProbeFiles() => new(
        "probes/ddos-and-plan-quota.json", "probes/wp-autoupdate-night.json", "probes/dns-rollover-and-relay-blocklist.json",
        "probes/yahoo-slow-burn-patch-tuesday.json", "probes/fiber-cut-and-disk-at-once.json");

    [Theory]
    [MemberData(nameof(Files))]
    [MemberData(nameof(ShapeFiles))]
    [MemberData(nameof(ProbeFiles))]
    public void Each_scenario_generates_its_planted_incidents(string file)
    {
        using var stream = File.OpenRead(Path.Combine(ScenarioDirectory(), file));
        var scenario = ScenarioJson.Parse(stream);
        Assert.Equal(Path.GetFileNameWithoutExtension(file), scenario.Name);
        Assert.NotEmpty(scenario.Seed);

        var g = ScenarioGenerator.Generate(scenario);
        Assert.All(scenario.Incidents, incident =>
        {
            Assert.True(g.Truth.Count(t => t.Incident == incident.Name) >= 20, $"{incident.Name} has too few tickets");
            Assert.NotEmpty(incident.Expect.Concentrations);
        });
        Assert.True(g.Truth.Count(t => t.Incident is null) > g.Tickets.Count / 2);
    }
}
