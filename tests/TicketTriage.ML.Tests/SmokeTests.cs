namespace TicketTriage.ML.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void The_test_project_runs() => Assert.True(true);
}
