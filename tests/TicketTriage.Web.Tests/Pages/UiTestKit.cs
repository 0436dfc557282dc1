using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Tests.Infrastructure;

namespace TicketTriage.Web.Tests.Pages;

/// <summary>A browser-like client: keeps its cookies, never follows redirects, reads antiforgery tokens from pages.</summary>
internal sealed class UiClient(HttpClient http) : IDisposable
{
    private static readonly HtmlParser Parser = new();

    public HttpClient Http { get; } = http;

    public static UiClient Anonymous(TriageAppFactory factory) =>
        new(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    public static async Task<UiClient> SignedInAsync(TriageAppFactory factory, string email, string password)
    {
        var client = Anonymous(factory);
        var response = await client.SignInAsync(email, password);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        return client;
    }

    public async Task<HttpResponseMessage> SignInAsync(string email, string password, string returnUrl = "/queue")
    {
        var path = "/signin?ReturnUrl=" + Uri.EscapeDataString(returnUrl);
        var token = await TokenAsync(path);
        return await PostFormAsync(path, new()
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
    }

    public async Task<IHtmlDocument> GetPageAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Http.GetAsync(path, TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(expected == response.StatusCode, $"GET {path}: expected {expected}, got {(int)response.StatusCode}\n{html}");
        return Parser.ParseDocument(html);
    }

    /// <summary>The antiforgery token of the page's first form (every form on a page carries the same one).</summary>
    public async Task<string> TokenAsync(string path)
    {
        var page = await GetPageAsync(path);
        return Token(page);
    }

    public static string Token(IHtmlDocument page) =>
        page.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
        ?? throw new InvalidOperationException("No antiforgery token on the page:\n" + page.DocumentElement.OuterHtml);

    public Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        return Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>A redirect to this app (relative, or absolute to the test host) at exactly this path and query.</summary>
    public static void AssertRedirect(HttpResponseMessage response, string pathAndQuery)
    {
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var location = response.Headers.Location!;
        if (location.IsAbsoluteUri)
        {
            Assert.Equal("localhost", location.Host);
            Assert.Equal(pathAndQuery, location.PathAndQuery + location.Fragment);
        }
        else
        {
            Assert.Equal(pathAndQuery, location.OriginalString);
        }
    }

    public static IHtmlDocument Parse(string html) => Parser.ParseDocument(html);

    public void Dispose() => Http.Dispose();
}

/// <summary>Rows the page tests need, written straight to the app's database.</summary>
internal static class Seed
{
    public static async Task<int> UserAsync(TriageAppFactory factory, string email, UserRole role, string password, bool disabled = false)
    {
        await using var db = factory.CreateDbContext();
        var hasher = factory.Services.GetRequiredService<IPasswordHasher<User>>();
        var user = new User
        {
            Email = email,
            DisplayName = email.Split('@')[0],
            Role = role,
            Disabled = disabled,
            CreatedAt = DateTime.UtcNow,
        };
        user.PasswordHash = hasher.HashPassword(user, password);
        db.Users.Add(user);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return user.Id;
    }

    public static async Task<long> TicketAsync(
        TriageAppFactory factory, string subject, string body = "It stopped working.", TicketStatus status = TicketStatus.New,
        DateTime? createdAt = null, Customer? customer = null, double? priority = null, string? priorityReasons = null, int? assigneeId = null)
    {
        await using var db = factory.CreateDbContext();
        var at = createdAt ?? DateTime.UtcNow;
        var ticket = new Ticket
        {
            Source = "test",
            ExternalId = Guid.NewGuid().ToString("N"),
            Channel = "email",
            Subject = subject,
            Body = body,
            Status = status,
            CreatedAt = at,
            UpdatedAt = at,
            ReceivedAt = at,
            Customer = customer,
            PriorityScore = priority,
            PriorityReasons = priorityReasons,
            AssigneeId = assigneeId,
            TriagedAt = priority is null ? null : at,
        };
        db.Tickets.Add(ticket);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return ticket.Id;
    }
}
