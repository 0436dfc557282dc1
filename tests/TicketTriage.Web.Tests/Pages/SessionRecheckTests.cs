using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.SignIn;
using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Pages;

/// <summary>A cookie outlives admin changes to its user; the periodic re-check is what ends it.</summary>
public sealed class SessionRecheckTests : IAsyncLifetime
{
    private readonly ManualClock clock = new(DateTimeOffset.UtcNow);
    private readonly TriageAppFactory factory;

    public SessionRecheckTests() =>
        factory = new TriageAppFactory { ConfigureTestServices = services => services.AddSingleton<TimeProvider>(clock) };

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    [Fact]
    public async Task A_disabled_user_is_signed_out_at_the_next_recheck()
    {
        var id = await Seed.UserAsync(factory, "soon-gone@example.com", UserRole.Agent, "worker-password-1");
        using var worker = await UiClient.SignedInAsync(factory, "soon-gone@example.com", "worker-password-1");
        await worker.GetPageAsync("/queue");

        await using (var db = factory.CreateDbContext())
        {
            (await db.Users.FindAsync([id], TestContext.Current.CancellationToken))!.Disabled = true;
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        clock.Advance(SignInCookieEvents.RecheckAfter + TimeSpan.FromSeconds(1));
        var response = await worker.Http.GetAsync("/queue", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_change_takes_effect_at_the_next_recheck()
    {
        var id = await Seed.UserAsync(factory, "promoted@example.com", UserRole.Agent, "worker-password-1");
        using var worker = await UiClient.SignedInAsync(factory, "promoted@example.com", "worker-password-1");
        Assert.Equal(HttpStatusCode.Found, (await worker.Http.GetAsync("/admin/users", TestContext.Current.CancellationToken)).StatusCode);

        await using (var db = factory.CreateDbContext())
        {
            (await db.Users.FindAsync([id], TestContext.Current.CancellationToken))!.Role = UserRole.Admin;
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        clock.Advance(SignInCookieEvents.RecheckAfter + TimeSpan.FromSeconds(1));

        await worker.GetPageAsync("/admin/users");
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset now = start;

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }
}
