using System.Diagnostics;
using TicketTriage.E2E.Infrastructure;

namespace TicketTriage.E2E.Production;

/// <summary>
/// The real app process started against a database server that does not answer (a closed port on the loopback): it
/// must exit with 1 within its connect timeout, saying what it tried and how long it waited — not a stack trace.
/// </summary>
public sealed class UnreachableDatabaseTests
{
    private const string Password = "Secret-Pa55word";

    [Theory]
    [InlineData("SqlServer", "Server=127.0.0.1,1;Database=triage;User Id=triage_app;Password=" + Password + ";TrustServerCertificate=true", "SQL Server at '127.0.0.1,1'")]
    [InlineData("Postgres", "Host=127.0.0.1;Port=1;Database=triage;Username=triage_app;Password=" + Password, "PostgreSQL at '127.0.0.1:1'")]
    public async Task The_app_exits_fast_with_a_clear_error_when_the_database_server_is_unreachable(string provider, string connectionString, string target)
    {
        var ct = TestContext.Current.CancellationToken;
        var data = Directory.CreateTempSubdirectory("tt-unreachable-");
        var settings = AppProcess.DefaultSettings(data.FullName);
        settings["Database:Provider"] = provider;
        settings["ConnectionStrings:Triage"] = connectionString;
        settings["Database:ConnectTimeoutSeconds"] = "2";
        var clock = Stopwatch.StartNew();
        try
        {
            var error = await Assert.ThrowsAsync<AppExitedException>(() => AppProcess.StartAsync($"unreachable-{provider}", settings, cancellationToken: ct));

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the app took {clock.Elapsed.TotalSeconds:0.0} s to give up");
            Assert.Equal(1, error.ExitCode);
            Assert.Contains($"Could not connect to {target} (database 'triage', user 'triage_app') from ConnectionStrings:Triage: gave up after ", error.Output, StringComparison.Ordinal);
            Assert.Contains("(connect timeout 2 s; Database:ConnectTimeoutSeconds sets it)", error.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", error.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, error.Output, StringComparison.Ordinal);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }
}
