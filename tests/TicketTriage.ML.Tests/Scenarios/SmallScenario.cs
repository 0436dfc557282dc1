namespace TicketTriage.ML.Tests.Scenarios;

/// <summary>A small scenario the tests own: two days, 12 servers, one upgrade, one incident on its servers for usernames a–b.</summary>
internal static class SmallScenario
{
    public const string Json = """
    {
      // comments and trailing commas are allowed, as in data/scenarios
      "name": "small",
      "title": "A small test scenario",
      "randomSeed": 42,
      "start": "2024-03-04T00:00:00-06:00",
      "durationHours": 60,
      "utcOffsetHours": -6,
      "fleet": {
        "serverGroups": [
          { "prefix": "node-", "from": 1, "count": 8, "digits": 2, "datacenter": "dallas", "productVersion": "v1" },
          { "names": ["edge-a", "edge-b", "edge-c", "edge-d"], "datacenter": "kc", "productVersion": "v1", "weight": 0.5 },
        ],
        "customers": 1500,
        "plans": { "Basic": 0.6, "Pro": 0.4 },
        "customerAttributes": { "stack": { "php": 0.7, "cgi": 0.3 } }
      },
      "background": { "ticketsPerHour": 12 },
      "changes": [
        {
          "id": "up-1", "title": "upgrade of node-03 and node-04", "start": "2024-03-05T09:00:00-06:00",
          "targets": { "servers": ["node-03", "node-04"] }, "setsProductVersion": "v2"
        }
      ],
      "incidents": [
        {
          "name": "quota bug",
          "onset": "2024-03-05T09:30:00-06:00",
          "durationHours": 6,
          "ticketsPerHour": 30,
          "rampMinutes": 5,
          "affected": { "targetsOfChanges": ["up-1"], "usernameInitials": "ab" },
          "symptoms": {
            "subjects": ["Disk quota exceeded after upgrade", "Quota error ERR_QUOTA_0x51"],
            "openings": ["Since the upgrade every upload fails with ERR_QUOTA_0x51 disk quota exceeded although I use 2% of my quota.",
                         "The control panel shows ERR_QUOTA_0x51 quota exceeded on {domain} after your upgrade, my disk is almost empty."],
            "details": ["The quota meter says 0x51."]
          },
          "expect": {
            "concentrations": [ { "attribute": "usernameInitial", "value": "a–b" } ],
            "change": "up-1"
          }
        }
      ]
    }
    """;
}
