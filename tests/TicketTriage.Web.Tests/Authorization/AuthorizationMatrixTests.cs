using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.ApiKeys;
using TicketTriage.Web.Features.SignIn;
using TicketTriage.Web.Tests.Infrastructure;
using TicketTriage.Web.Tests.Pages;

namespace TicketTriage.Web.Tests.Authorization;

/// <summary>Who may call an endpoint. Roles nest: Agent ⊂ Lead ⊂ Admin.</summary>
public enum Access
{
    /// <summary>Everyone, signed in or not (sign-in page, static files, health).</summary>
    Anyone,

    /// <summary>Any signed-in person, whatever the role (the fallback policy).</summary>
    SignedIn,
    Agent,
    Lead,
    Admin,

    /// <summary>An API key with the <c>ingest</c> scope.</summary>
    ApiIngest,

    /// <summary>An API key with the <c>read</c> scope.</summary>
    ApiRead,

    /// <summary>An API key with the <c>reply</c> scope.</summary>
    ApiReply,
}

public enum Caller
{
    Anonymous,
    Agent,
    Lead,
    Admin,
    IngestKey,
    ReadKey,
    ReplyKey,
    ScopelessKey,
}

/// <summary>
/// Every endpoint the app maps, by every kind of caller. The matrix below is the single list of who may do what:
/// an endpoint that routing knows but the matrix does not fails <see cref="Every_endpoint_has_a_row"/>, so nobody
/// adds a page or an action without deciding who may use it.
/// </summary>
public sealed class AuthorizationMatrixTests(AuthorizationMatrixTests.Fixture fixture) : IClassFixture<AuthorizationMatrixTests.Fixture>
{
    public static readonly IReadOnlyDictionary<AppEndpoint, Access> Matrix = new Dictionary<AppEndpoint, Access>
    {
        [AppEndpoints.StaticAsset] = Access.Anyone,
        [new("GET", "/_framework/opaque-redirect")] = Access.SignedIn,
        [new("GET", "/healthz")] = Access.Anyone,
        [new("GET", "/readyz")] = Access.Anyone,
        // Integrators read the API description before they hold a key. Needs .AllowAnonymous() on MapOpenApi()
        // (IngestHosting.cs); without it the fallback policy asks for a sign-in.
        [new("GET", "/openapi/{documentName}.json")] = Access.Anyone,

        [new("POST", "/api/tickets")] = Access.ApiIngest,
        [new("POST", "/api/tickets/batch")] = Access.ApiIngest,
        [new("GET", "/api/tickets/{id:long}")] = Access.ApiRead,
        [new("GET", "/api/tickets")] = Access.ApiRead,
        [new("GET", "/api/tickets/{id:long}/similar")] = Access.ApiRead,
        [new("GET", "/api/labeled-examples")] = Access.ApiRead,
        [new("POST", "/api/changes")] = Access.ApiIngest,
        [new("GET", "/api/changes")] = Access.ApiRead,
        [new("GET", "/api/patterns")] = Access.ApiRead,
        [new("GET", "/api/patterns/{id:long}")] = Access.ApiRead,
        [new("GET", "/api/patterns/{id:long}/tickets")] = Access.ApiRead,
        [new("POST", "/api/patterns/{id:long}/bulk-replies")] = Access.ApiReply,
        [new("GET", "/api/bulk-replies/{id:long}")] = Access.ApiReply,

        [new("GET", "/signin")] = Access.Anyone,
        [new("POST", "/signin")] = Access.Anyone,
        [new("POST", "/signout")] = Access.Anyone,
        [new("GET", "/denied")] = Access.Anyone,
        [new("GET", "/error")] = Access.Anyone,
        [new("POST", "/error")] = Access.Anyone,
        [new("POST", "/denied")] = Access.Anyone,

        [new("GET", "/")] = Access.Agent,
        [new("POST", "/")] = Access.Agent,
        [new("GET", "/queue")] = Access.Agent,
        [new("GET", "/account/password")] = Access.Agent,
        [new("POST", "/account/password")] = Access.Agent,
        [new("POST", "/queue")] = Access.Agent,
        [new("GET", "/tickets/{Id:long}")] = Access.Agent,
        [new("POST", "/tickets/{Id:long}")] = Access.Agent,
        [new("POST", "/tickets/{id:long}/category")] = Access.Agent,
        // Answering a whole pattern and speaking for it in public are a lead's.
        [new("GET", "/patterns/{Id:long}/reply")] = Access.Lead,
        [new("POST", "/patterns/{Id:long}/reply")] = Access.Lead,
        [new("GET", "/patterns/{Id:long}/incident")] = Access.Lead,
        [new("POST", "/patterns/{Id:long}/incident")] = Access.Lead,

        // The leads' pages: patterns and their actions, changes, the dashboard.
        [new("GET", "/patterns")] = Access.Lead,
        [new("POST", "/patterns")] = Access.Lead,
        [new("GET", "/patterns/{Id:long}")] = Access.Lead,
        [new("POST", "/patterns/{Id:long}")] = Access.Lead,
        [new("GET", "/changes")] = Access.Lead,
        [new("POST", "/changes")] = Access.Lead,
        [new("GET", "/dashboard")] = Access.Lead,
        [new("POST", "/dashboard")] = Access.Lead,
        // The circuit's endpoints: the fallback policy (any signed-in person); each page checks its own policy again
        // inside the circuit (AuthorizeRouteView), so a circuit gives an agent no admin page.
        [new("*", "/_blazor/negotiate")] = Access.SignedIn,
        [new("*", "/_blazor")] = Access.SignedIn,
        [new("*", "/_blazor/disconnect/")] = Access.SignedIn,
        [new("*", "/_blazor/initializers/")] = Access.SignedIn,
        [new("GET", "/not-found")] = Access.Anyone,
        [new("POST", "/not-found")] = Access.Anyone,

        [new("GET", "/admin/users")] = Access.Admin,
        [new("POST", "/admin/users")] = Access.Admin,
        [new("POST", "/admin/users/{id:int}/role")] = Access.Admin,
        [new("POST", "/admin/users/{id:int}/disable")] = Access.Admin,
        [new("POST", "/admin/users/{id:int}/enable")] = Access.Admin,
        [new("GET", "/admin/keys")] = Access.Admin,
        [new("POST", "/admin/keys")] = Access.Admin,
        [new("POST", "/admin/keys/{id:int}/revoke")] = Access.Admin,
    };

    public static bool Allows(Access access, Caller caller) => access switch
    {
        Access.Anyone => true,
        Access.SignedIn or Access.Agent => caller is Caller.Agent or Caller.Lead or Caller.Admin,
        Access.Lead => caller is Caller.Lead or Caller.Admin,
        Access.Admin => caller is Caller.Admin,
        Access.ApiIngest => caller is Caller.IngestKey,
        Access.ApiRead => caller is Caller.ReadKey,
        Access.ApiReply => caller is Caller.ReplyKey,
        _ => false,
    };

    [Fact]
    public void Every_endpoint_has_a_row()
    {
        var missing = AppEndpoints.All(fixture.Factory).Where(e => !Matrix.ContainsKey(e)).ToList();
        Assert.True(missing.Count == 0, "Endpoints without a row in the authorization matrix (decide who may call them):\n"
            + string.Join("\n", missing));
    }

    [Fact]
    public void Every_row_names_an_endpoint_that_exists()
    {
        var endpoints = AppEndpoints.All(fixture.Factory).ToHashSet();
        var stale = Matrix.Keys.Where(k => !endpoints.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "Rows for endpoints the app no longer maps:\n" + string.Join("\n", stale));
    }

    public static TheoryData<Caller> Callers() => new(Enum.GetValues<Caller>());

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task Each_caller_reaches_exactly_the_endpoints_its_row_allows(Caller caller)
    {
        var failures = new List<string>();
        foreach (var (endpoint, access) in Matrix)
        {
            using var request = fixture.Request(endpoint, caller);
            using var response = await fixture.Client.SendAsync(request, TestContext.Current.CancellationToken);
            var denied = IsDenied(response);
            var allowed = Allows(access, caller);
            if (denied == allowed)
            {
                failures.Add($"{endpoint} as {caller}: expected {(allowed ? "allowed" : "denied")} ({access}), got {(int)response.StatusCode} {response.Headers.Location}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData(Caller.Anonymous)]
    [InlineData(Caller.Agent)]
    [InlineData(Caller.IngestKey)]
    public async Task A_url_that_matches_no_endpoint_is_404_for_everyone(Caller caller)
    {
        foreach (var (method, path) in new[] { ("GET", "/no-such-page"), ("GET", "/api/no-such-thing"), ("POST", "/api/no-such-thing"), ("GET", "/admin/nothing-here"), ("GET", "/missing.css") })
        {
            using var request = fixture.Request(new AppEndpoint(method, path), caller);
            using var response = await fixture.Client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} as {caller}: {(int)response.StatusCode}");
        }
    }

    /// <summary>
    /// Denied is 401/403 (API, circuit) or a redirect to the sign-in or not-allowed page. The not-allowed page itself
    /// answers 403 by design (it explains a refusal): reaching it is reaching it, not being refused.
    /// </summary>
    private static bool IsDenied(HttpResponseMessage response) =>
        (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            && !(response.StatusCode == HttpStatusCode.Forbidden && response.RequestMessage?.RequestUri?.AbsolutePath == "/denied"
                 && response.RequestMessage.Method == HttpMethod.Get))
        || (response.StatusCode == HttpStatusCode.Found
            && response.Headers.Location?.OriginalString is { } location
            && (location.Contains("/signin", StringComparison.Ordinal) || location.Contains("/denied", StringComparison.Ordinal)));

    /// <summary>One app, one signed-in cookie per role and one API key per scope, shared by the matrix tests.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly Dictionary<Caller, (string Header, string Value)> credentials = [];

        public TriageAppFactory Factory { get; } = new();
        public HttpClient Client { get; private set; } = null!;
        public long TicketId { get; private set; }

        public async ValueTask InitializeAsync()
        {
            Client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
            TicketId = await Seed.TicketAsync(Factory, "Matrix");
            foreach (var (caller, role) in new[] { (Caller.Agent, UserRole.Agent), (Caller.Lead, UserRole.Lead), (Caller.Admin, UserRole.Admin) })
            {
                var email = $"matrix-{role.ToString().ToLowerInvariant()}@example.com";
                await Seed.UserAsync(Factory, email, role, "matrix-password-1");
                credentials[caller] = ("Cookie", await SignInCookieAsync(email, "matrix-password-1"));
            }

            var keys = Factory.Services.GetRequiredService<ApiKeyService>();
            foreach (var (caller, scopes) in new[] { (Caller.IngestKey, ApiKeyScopes.Ingest), (Caller.ReadKey, ApiKeyScopes.Read), (Caller.ReplyKey, ApiKeyScopes.Reply), (Caller.ScopelessKey, ApiKeyScopes.None) })
            {
                var key = await keys.CreateAsync($"matrix-{caller}", scopes, cancellationToken: TestContext.Current.CancellationToken);
                credentials[caller] = ("X-Api-Key", key.Plaintext);
            }
        }

        /// <summary>
        /// A request that passes every check except authorization's: route values that match, and a body of the kind
        /// the endpoint reads. No antiforgery token is sent, so an allowed POST stops at 400 and changes nothing.
        /// </summary>
        public HttpRequestMessage Request(AppEndpoint endpoint, Caller caller)
        {
            var path = endpoint == AppEndpoints.StaticAsset ? "/css/app.css"
                : endpoint.Route.Replace("{documentName}", "v1", StringComparison.Ordinal)
                    .Replace("{Id:long}", TicketId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                    .Replace("{id:long}", TicketId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                    .Replace("{id:int}", "999999", StringComparison.Ordinal)
                    .Replace("{id}", TicketId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            // "*" (the hub): POST, as negotiate and long polling send.
            var method = endpoint.Method == "*" ? HttpMethod.Post : new HttpMethod(endpoint.Method);
            var request = new HttpRequestMessage(method, path);
            if (method == HttpMethod.Post)
            {
                request.Content = path.StartsWith("/api/", StringComparison.Ordinal)
                    ? new StringContent("{}", Encoding.UTF8, "application/json")
                    : new FormUrlEncodedContent([]);
            }

            if (credentials.TryGetValue(caller, out var credential))
            {
                request.Headers.Add(credential.Header, credential.Value);
            }

            return request;
        }

        private async Task<string> SignInCookieAsync(string email, string password)
        {
            var ct = TestContext.Current.CancellationToken;
            using var page = await Client.GetAsync("/signin", ct);
            var antiforgeryCookie = page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("tt.af=", StringComparison.Ordinal));
            var token = new HtmlParser().ParseDocument(await page.Content.ReadAsStringAsync(ct))
                .QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
            using var post = new HttpRequestMessage(HttpMethod.Post, "/signin")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["_handler"] = "signin", ["__RequestVerificationToken"] = token, ["Input.Email"] = email, ["Input.Password"] = password,
                }),
            };
            post.Headers.Add("Cookie", antiforgeryCookie);
            using var response = await Client.SendAsync(post, ct);
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            return response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith(SignInCookie.Name + "=", StringComparison.Ordinal));
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Factory.DisposeAsync();
        }
    }
}
