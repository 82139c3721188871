using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Parley.Core.Identity;

namespace Parley.Auth;

/// <summary>Authenticates <c>Authorization: Bearer pk_…</c> API calls as the user who owns the token, within the token's scope.</summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenService tokens,
    TokenUseRecorder uses) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("Use an Authorization: Bearer <token> header.");
        }

        var token = await tokens.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (token is null)
        {
            return AuthenticateResult.Fail("The API token is unknown, expired or revoked.");
        }

        uses.Note(token);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(UserClaims.For(token), SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(
            title: "Authentication required",
            detail: "Send a valid API token as 'Authorization: Bearer <token>' (this one is missing, unknown, expired or revoked). Create one with 'parley token create' or under API tokens in the web UI.",
            statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(Context);
    }
}
