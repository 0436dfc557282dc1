namespace TicketTriage.E2E.Infrastructure;

public sealed class AppProcessTests
{
    [Fact]
    public async Task The_app_starts_as_its_own_process_and_reports_its_port()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = Directory.CreateTempSubdirectory("tt-e2e-");
        try
        {
            await using var app = await AppProcess.StartAsync("start", AppProcess.DefaultSettings(data.FullName), cancellationToken: ct);
            using var client = app.CreateClient();

            var health = await client.GetAsync("/healthz", ct);

            Assert.True(health.IsSuccessStatusCode, app.Output);
            Assert.NotEqual(0, app.BaseAddress.Port);
            Assert.True(File.Exists(Path.Combine(data.FullName, "triage.db")));
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }
}
