using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using TicketTriage.Web.Data;

namespace TicketTriage.Web.Tests.Data;

/// <summary>Bad database configuration ends start-up with a message that says what is wrong, quickly.</summary>
public sealed class DatabaseConfigurationTests
{
    // Port 1 on the loopback: nothing listens, the connection is refused at once; no network needed.
    private const string ClosedSqlServer = "Server=127.0.0.1,1;Database=triage;User Id=triage_app;Password=Secret-Pa55word;TrustServerCertificate=true";
    private const string ClosedPostgres = "Host=127.0.0.1;Port=1;Database=triage;Username=triage_app;Password=Secret-Pa55word";

    [Theory]
    [InlineData("Oracle")]
    [InlineData("2")]
    [InlineData("Sqlite, Postgres")]
    public void An_unknown_provider_is_refused_with_the_valid_names(string provider)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Settings(("Database:Provider", provider), ("ConnectionStrings:Triage", ClosedSqlServer)));

        Assert.Equal($"Database:Provider '{provider}' is not supported; use one of: Sqlite, Postgres, SqlServer.", error.Message);
    }

    [Theory]
    [InlineData("SqlServer", DatabaseProvider.SqlServer)]
    [InlineData("sqlserver", DatabaseProvider.SqlServer)]
    [InlineData("Postgres", DatabaseProvider.Postgres)]
    [InlineData("", DatabaseProvider.Sqlite)]
    public void Known_providers_are_taken_in_any_case(string name, DatabaseProvider expected)
    {
        var connection = expected == DatabaseProvider.Postgres ? ClosedPostgres : ClosedSqlServer;
        var settings = Settings(("Database:Provider", name), ("ConnectionStrings:Triage", expected == DatabaseProvider.Sqlite ? "Data Source=:memory:" : connection));

        Assert.Equal(expected, settings.Provider);
    }

    [Fact]
    public void A_server_provider_without_a_connection_string_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Settings(("Database:Provider", "SqlServer")));

        Assert.Equal("Database:Provider is SqlServer but ConnectionStrings:Triage is empty.", error.Message);
    }

    [Fact]
    public void The_connect_timeout_setting_replaces_the_connection_strings_own()
    {
        var sqlServer = Settings(("Database:Provider", "SqlServer"), ("ConnectionStrings:Triage", ClosedSqlServer + ";Connect Timeout=30"), ("Database:ConnectTimeoutSeconds", "3"));
        var postgres = Settings(("Database:Provider", "Postgres"), ("ConnectionStrings:Triage", ClosedPostgres), ("Database:ConnectTimeoutSeconds", "4"));

        Assert.Equal(3, new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(sqlServer.ConnectionString).ConnectTimeout);
        Assert.Equal(4, new Npgsql.NpgsqlConnectionStringBuilder(postgres.ConnectionString).Timeout);
        Assert.Throws<InvalidOperationException>(() => Settings(("Database:Provider", "SqlServer"), ("ConnectionStrings:Triage", ClosedSqlServer), ("Database:ConnectTimeoutSeconds", "0")));
    }

    [Theory]
    [InlineData("SqlServer", ClosedSqlServer, "SQL Server at '127.0.0.1,1'")]
    [InlineData("Postgres", ClosedPostgres, "PostgreSQL at '127.0.0.1:1'")]
    public async Task An_unreachable_server_is_reported_saying_what_was_tried_and_how_long_it_waited(string provider, string connectionString, string target)
    {
        // The check start-up runs before migrating (DataHosting.PrepareDatabaseAsync); the whole app started against
        // a closed port is tested in TicketTriage.E2E (UnreachableDatabaseTests).
        var settings = Settings(("Database:Provider", provider), ("ConnectionStrings:Triage", connectionString), ("Database:ConnectTimeoutSeconds", "2"));
        var options = new DbContextOptionsBuilder<TriageDbContext>();
        settings.Configure(options);
        await using var db = new TriageDbContext(options.Options);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => DatabaseConnectivity.EnsureReachableAsync(db, settings, TestContext.Current.CancellationToken));

        TestContext.Current.TestOutputHelper?.WriteLine(error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed.TotalSeconds:0.0} s to give up");
        Assert.StartsWith($"Could not connect to {target} (database 'triage', user 'triage_app') from ConnectionStrings:Triage: gave up after ", error.Message, StringComparison.Ordinal);
        Assert.Contains("(connect timeout 2 s; Database:ConnectTimeoutSeconds sets it)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret-Pa55word", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
    }

    private static DatabaseSettings Settings(params (string Key, string Value)[] values) =>
        DatabaseSettings.From(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build(), Path.GetTempPath());
}
