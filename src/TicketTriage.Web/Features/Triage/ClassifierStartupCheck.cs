namespace TicketTriage.Web.Features.Triage;

/// <summary>
/// Resolving <see cref="ClassifierSource"/> loads the configured model; doing it as a hosted service makes a model
/// that cannot be used (an ML.NET file of the wrong schema) fail the start, even with the triage worker off.
/// </summary>
internal sealed class ClassifierStartupCheck(ClassifierSource source) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(source);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
