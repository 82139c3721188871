using Microsoft.AspNetCore.Authorization;
using Parley.Core.Identity;

namespace Parley.Auth;

/// <summary>
/// The request is one the caller's token scope allows: full does anything its user may, read only GET and HEAD,
/// mailgate only hands in mail, metrics only reads /metrics. A refusal carries the sentence the caller is shown.
/// </summary>
public sealed class TokenScopeRequirement(bool handsInMail, bool readsMetrics = false) : AuthorizationHandler<TokenScopeRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TokenScopeRequirement requirement)
    {
        var refusal = context.User.Scope() switch
        {
            ApiTokenScope.Full => null,
            ApiTokenScope.Mailgate when handsInMail => null,
            ApiTokenScope.Mailgate => "This is a mailgate token: it may only hand in mail (POST /api/v1/inbound/raw).",
            ApiTokenScope.Metrics when readsMetrics => null,
            ApiTokenScope.Metrics => "This is a metrics token: it may only read /metrics.",
            ApiTokenScope.Read when !handsInMail && context.Resource is HttpContext http && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)) => null,
            _ => "This token is read-only: it may only make GET requests. Use a token with the full scope to make changes.",
        };
        if (refusal is null)
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, refusal));
        }

        return Task.CompletedTask;
    }
}
