using System.Text.Json;
using TicketTriage.ML.Scenarios;
using TicketTriage.Web.Features.Changes;
using TicketTriage.Web.Features.Ingest;
using TicketTriage.Web.Features.Triage;

namespace TicketTriage.Web.Features.Demo;

/// <summary>
/// <c>Demo:Replay</c> (a scenario file, off by default): replays the scenario in the background so a newcomer sees a
/// surge unfold — its changes and tickets go through the same writer and change store as the API, at
/// <c>Demo:ReplaySpeed</c> times real time. Its dates are shifted so it ends at the moment the replay started: every
/// ticket lies in the past (its own time), and they arrive in order at the chosen speed.
/// </summary>
internal sealed class DemoReplay(IConfiguration configuration, IHostEnvironment environment, TicketWriter writer, ChangeStore changes,
    TimeProvider time, ILogger<DemoReplay> logger) : BackgroundService
{
    public const string Source = "demo-replay";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var file = configuration["Demo:Replay"];
        if (string.IsNullOrWhiteSpace(file))
        {
            return;
        }

        var path = ClassifierSource.Resolve(file, environment.ContentRootPath);
        var speed = Math.Max(1, configuration.GetValue("Demo:ReplaySpeed", 60.0));
        var scenario = ScenarioJson.Parse(await File.ReadAllTextAsync(path, stoppingToken));
        var generated = ScenarioGenerator.Generate(scenario);
        var started = time.GetUtcNow();
        var feed = ScenarioFeed.Build(generated, Source, started - scenario.End);
        logger.LogInformation("Demo replay of {Scenario}: {Count} items at {Speed}× real time.", scenario.Name, feed.Count, speed);
        var first = feed.Count > 0 ? feed[0].Time : started;
        var clock = time.GetTimestamp();
        foreach (var item in feed)
        {
            var due = TimeSpan.FromTicks((long)((item.Time - first).Ticks / speed)) - time.GetElapsedTime(clock);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, time, stoppingToken);
            }

            await SendAsync(item, stoppingToken);
        }

        logger.LogInformation("Demo replay of {Scenario} finished.", scenario.Name);
    }

    private async Task SendAsync(FeedItem item, CancellationToken cancellationToken)
    {
        switch (item)
        {
            case FeedChange c:
                await changes.AddAsync(new NewChange(c.Source, c.ExternalId, c.Name, c.Kind, c.Start.UtcDateTime, c.End?.UtcDateTime, c.Targets, c.Series), cancellationToken);
                break;
            case FeedTicket t:
                var ticket = TicketValidation.Validate(Submission(t), time.GetUtcNow().UtcDateTime, out _);
                if (ticket is null)
                {
                    return;
                }

                var write = new PendingWrite([ticket]);
                while (!writer.TryEnqueue(write))
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken);
                }

                await write.Completion.Task;
                break;
        }
    }

    private static TicketSubmission Submission(FeedTicket t) => new()
    {
        Source = t.Source,
        ExternalId = t.ExternalId,
        Subject = t.Subject,
        Body = t.Body,
        Channel = "email",
        CreatedAt = t.Time,
        Customer = new CustomerSubmission
        {
            Email = t.Email,
            Username = t.Customer.GetValueOrDefault("username"),
            Plan = t.Customer.GetValueOrDefault("plan"),
            Server = t.Customer.GetValueOrDefault("server"),
            Datacenter = t.Customer.GetValueOrDefault("datacenter"),
            Extra = t.Customer.Where(kv => kv.Key is not ("username" or "plan" or "server" or "datacenter"))
                .ToDictionary(kv => kv.Key, kv => JsonSerializer.SerializeToElement(kv.Value)),
        },
        Attributes = JsonSerializer.SerializeToElement(t.Attributes),
    };
}
