using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Features.ApiKeys;

/// <summary>
/// The "ApiKey" authentication scheme: the <c>X-Api-Key</c> header, validated by <see cref="ApiKeyService"/>; each
/// scope becomes a <c>scope</c> claim. Policies <see cref="IngestPolicy"/>, <see cref="ReadPolicy"/> and <see cref="ReplyPolicy"/> require it.
/// A missing, unknown or revoked key is answered 401, a key without the scope 403, both as problem details.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyService keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string ScopeClaim = "scope";
    public const string IngestPolicy = "ApiKey:ingest";
    public const string ReadPolicy = "ApiKey:read";
    public const string ReplyPolicy = "ApiKey:reply";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return AuthenticateResult.NoResult();
        }

        var identity = await keys.ValidateAsync(values[0]!, Context.RequestAborted);
        if (identity is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }

        var claims = new List<Claim>(4)
        {
            new(ClaimTypes.NameIdentifier, $"apikey:{identity.Id}"),
            new(ClaimTypes.Name, $"apikey:{identity.Name}"),
        };
        if (identity.Scopes.HasFlag(ApiKeyScopes.Ingest))
        {
            claims.Add(new Claim(ScopeClaim, "ingest"));
        }

        if (identity.Scopes.HasFlag(ApiKeyScopes.Read))
        {
            claims.Add(new Claim(ScopeClaim, "read"));
        }

        if (identity.Scopes.HasFlag(ApiKeyScopes.Reply))
        {
            claims.Add(new Claim(ScopeClaim, "reply"));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        var presented = Request.Headers.ContainsKey(HeaderName);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: presented ? "The API key is unknown or revoked." : $"An API key is required in the {HeaderName} header.").ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "The API key lacks the scope this endpoint needs.").ExecuteAsync(Context);

    public static void AddPolicies(AuthorizationOptions options)
    {
        options.AddPolicy(IngestPolicy, p => p.AddAuthenticationSchemes(SchemeName).RequireAuthenticatedUser().RequireClaim(ScopeClaim, "ingest"));
        options.AddPolicy(ReadPolicy, p => p.AddAuthenticationSchemes(SchemeName).RequireAuthenticatedUser().RequireClaim(ScopeClaim, "read"));
        options.AddPolicy(ReplyPolicy, p => p.AddAuthenticationSchemes(SchemeName).RequireAuthenticatedUser().RequireClaim(ScopeClaim, "reply"));
    }
}
