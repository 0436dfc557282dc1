namespace TicketTriage.Web.Features.Demo;

/// <summary>Demo data on first start (placeholder until the generator lands).</summary>
public sealed class DemoSeeder
{
    public Task SeedAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}
