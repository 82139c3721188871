using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace Parley.Auth;

/// <summary>
/// Who may do what. <see cref="Member"/>: records, chatter, templates, followers, the outbox, mailings and one's own
/// tokens. <see cref="Admin"/>: everything that changes how the installation sends and receives mail (settings,
/// outgoing servers, sending domains, inbound rules, aliases, mailboxes, suppressions) and other users' tokens.
/// <see cref="Mailgate"/>: handing in raw mail. Each also checks the token's scope, so a read token only reads and a
/// mailgate token only hands in mail. <see cref="Metrics"/>: reading /metrics, for an admin's login or token (a metrics
/// token reads nothing else). Every endpoint and page names one of them (a test enumerates them).
/// </summary>
public static class ParleyPolicies
{
    public const string Member = "member";
    public const string Admin = "admin";
    public const string Mailgate = "mailgate";
    public const string Metrics = "metrics";

    public static readonly IReadOnlyList<string> All = [Member, Admin, Mailgate, Metrics];

    public static AuthorizationBuilder AddParleyPolicies(this AuthorizationBuilder builder)
    {
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, RefusalResponses>();
        return builder
            .AddPolicy(Member, p => p.RequireAuthenticatedUser().AddRequirements(new TokenScopeRequirement(handsInMail: false)))
            .AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireRole(UserClaims.AdminRole).AddRequirements(new TokenScopeRequirement(handsInMail: false)))
            .AddPolicy(Mailgate, p => p.RequireAuthenticatedUser().RequireRole(UserClaims.AdminRole).AddRequirements(new TokenScopeRequirement(handsInMail: true)))
            // Outside /api, so both ways in are named: a Prometheus server sends a token, an admin's browser a cookie.
            .AddPolicy(Metrics, p => p.AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme, ApiTokenAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser().RequireRole(UserClaims.AdminRole).AddRequirements(new TokenScopeRequirement(handsInMail: false, readsMetrics: true)));
    }
}
