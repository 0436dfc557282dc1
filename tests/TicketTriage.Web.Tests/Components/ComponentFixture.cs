using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using TicketTriage.Web.Components.Live;
using TicketTriage.Web.Data;
using TicketTriage.Web.Features.Live;
using TicketTriage.Web.Features.Patterns;
using TicketTriage.Web.Features.Triage;
using TicketTriage.Web.Features.Queue;
using TicketTriage.Web.Features.Tickets;

namespace TicketTriage.Web.Tests.Components;

/// <summary>
/// A bUnit context as a circuit would see it: interactive Server renderer, MudBlazor services (JS in loose mode), the
/// app's feature services over their own SQLite file, a signed-in agent (user id 1), and the real <see cref="LiveEvents"/>.
/// </summary>
public abstract class ComponentFixture : BunitContext, IAsyncLifetime
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "tt-bunit", Guid.NewGuid().ToString("N"));
    private readonly DbContextOptions<TriageDbContext> options;

    protected ComponentFixture()
    {
        Directory.CreateDirectory(directory);
        var connection = $"Data Source={Path.Combine(directory, "t.db")};Pooling=false";
        options = new DbContextOptionsBuilder<TriageDbContext>().UseSqlite(connection).Options;
        Services.AddMudServices();
        Services.AddLogging();
        Services.AddSingleton(TimeProvider.System);
        Services.AddDbContextFactory<TriageDbContext>(o => o.UseSqlite(connection));
        Services.AddSingleton<LiveEvents>();
        Services.AddSingleton<TicketQueue>();
        Services.AddSingleton<TicketClaims>();
        Services.AddSingleton<TicketReplies>();
        // Public replies queue mail (nothing sends it here: no dispatcher runs in component tests).
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new TicketTriage.Web.Features.Mail.MailOptions()));
        Services.AddSingleton<TicketTriage.Web.Features.Mail.MailOutbox>();
        Services.AddSingleton<TicketView>();
        Services.AddScoped<CircuitConnection>();
        // The leads' pages, with triage off: lead actions change the database only (no engine in a component test).
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new TriageOptions { Enabled = false }));
        Services.AddSingleton<TriageSignals>();
        Services.AddSingleton<PatternActionQueue>();
        Services.AddSingleton<PatternActionWriter>();
        Services.AddSingleton<PatternActions>();
        Services.AddSingleton<PatternBoard>();
        Services.AddSingleton<PatternDetails>();
        var auth = Auth = AddAuthorization();
        auth.SetAuthorized("Alex Agent");
        auth.SetRoles("Agent");
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, "1"), new Claim(ClaimTypes.Role, "Agent"));
        // After the registrations: both touch the service provider, which then takes no more.
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    /// <summary>The signed-in user; tests of leads' components make them a lead (<see cref="SignInAsLead"/>).</summary>
    protected BunitAuthorizationContext Auth { get; }

    protected void SignInAsLead()
    {
        Auth.SetAuthorized("Lee Lead");
        Auth.SetRoles("Lead");
        Auth.SetPolicies("Lead", "Agent");
        Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, "1"), new Claim(ClaimTypes.Role, "Lead"), new Claim(ClaimTypes.Email, "lead@example.com"));
    }

    protected static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    /// <summary>The test's own context on the same file (bUnit's provider is sealed once a component resolved from it).</summary>
    protected TriageDbContext CreateDbContext() => new(options);

    public async ValueTask InitializeAsync()
    {
        await using var db = CreateDbContext();
        await db.Database.EnsureCreatedAsync(Ct);
        db.Users.Add(new Domain.User { Email = "agent@example.com", DisplayName = "Alex Agent", Role = Domain.UserRole.Agent, CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync(Ct);
    }

    /// <summary>MudSelect and tooltips need the popover provider in the tree, as the layout has it.</summary>
    protected void RenderProviders() => Render<MudPopoverProvider>();

    protected async Task<long> AddTicketAsync(string subject, double? priority = null, string? reasons = null, DateTime? at = null)
    {
        await using var db = CreateDbContext();
        var when = at ?? DateTime.UtcNow;
        var ticket = new Domain.Ticket
        {
            Source = "test", ExternalId = Guid.NewGuid().ToString("N"), Channel = "email", Subject = subject, Body = "Body of " + subject,
            CreatedAt = when, UpdatedAt = when, PriorityScore = priority, PriorityReasons = reasons, TriagedAt = priority is null ? null : when,
        };
        db.Tickets.Add(ticket);
        await db.SaveChangesAsync(Ct);
        return ticket.Id;
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
