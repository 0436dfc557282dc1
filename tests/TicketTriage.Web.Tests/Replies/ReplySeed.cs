using TicketTriage.Web.Domain;
using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Replies;

/// <summary>A pattern with tickets, as the triage worker would have stored it (its worker is off in these tests).</summary>
internal static class ReplySeed
{
    public static async Task<(long PatternId, List<long> TicketIds)> PatternAsync(TriageAppFactory factory, int tickets, PatternStatus status = PatternStatus.Emerging,
        Func<int, string?>? email = null, string title = "files missing after upgrade")
    {
        await using var db = factory.CreateDbContext();
        var now = DateTime.UtcNow;
        var patternId = Random.Shared.NextInt64(1_000_000, 9_000_000);
        db.Patterns.Add(new Pattern
        {
            Id = patternId, Title = title, Status = status, Size = tickets, FirstSeen = now.AddHours(-2), LastSeen = now, UpdatedAt = now,
            ConcentrationsJson = """[{"attribute":"server","value":"node-209","share":0.91,"baselineShare":0.05,"lift":18.2,"pValue":0.0001}]""",
        });
        var list = new List<Ticket>();
        for (var i = 0; i < tickets; i++)
        {
            var address = email is null ? $"c{patternId}-{i}@example.com" : email(i);
            list.Add(new Ticket
            {
                Source = "test", ExternalId = $"{patternId}-{i}", Channel = "email", Subject = $"Files gone #{i}", Body = "My files are missing.",
                Status = TicketStatus.Open, CreatedAt = now.AddMinutes(-90), UpdatedAt = now.AddMinutes(-90), ReceivedAt = now.AddMinutes(-90),
                TriagedAt = now.AddMinutes(-60), PatternId = patternId,
                Customer = address is null ? null : new Customer { Email = address, Name = $"Customer {i}", Server = "node-209", CreatedAt = now, UpdatedAt = now },
            });
        }

        db.Tickets.AddRange(list);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return (patternId, list.Select(t => t.Id).ToList());
    }

    public static TriageAppFactory Factory(string? postgres = null) => new()
    {
        PostgresConnectionString = postgres,
        Settings =
        {
            ["Triage:Enabled"] = "false",
            ["Bootstrap:ApiKeyScopes"] = "ingest,read,reply",
            ["Mail:FirstRetryDelay"] = "00:00:00.100",
        },
    };
}
