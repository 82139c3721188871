using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Parley.Auth;

/// <summary>
/// What a signed-in caller sees when a policy refuses: an API token gets a 403 ProblemDetails saying why (its scope,
/// or that an administrator is needed); a web login is sent to the page that says so kindly. Everything else (not
/// signed in, allowed) is the framework's usual handling.
/// </summary>
public sealed class RefusalResponses : IAuthorizationMiddlewareResultHandler
{
    public const string ForbiddenPage = "/forbidden";
    private const string NeedsAdmin = "You need an administrator for this: it changes how this Parley sends or receives mail, or concerns other users.";

    private readonly AuthorizationMiddlewareResultHandler _usual = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if ((authorizeResult.Challenged || authorizeResult.Forbidden) && context.GetEndpoint()?.Metadata.GetMetadata<PlainTextRefusal>() is { } plain)
        {
            // For machines (a Prometheus server): one line and a status, no login page, no redirect.
            var signedIn = context.User.Identity?.IsAuthenticated == true;
            context.Response.StatusCode = signedIn ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
            if (!signedIn)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
            }

            context.Response.ContentType = "text/plain; charset=utf-8";
            var why = signedIn ? authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault()?.Message ?? plain.NotAllowed : plain.NotSignedIn;
            await context.Response.WriteAsync(why + "\n");
            return;
        }
        if (!authorizeResult.Forbidden || context.User.Identity?.IsAuthenticated != true)
        {
            await _usual.HandleAsync(next, context, policy, authorizeResult);
            return;
        }
        if (context.User.Identity.AuthenticationType == ApiTokenAuthenticationHandler.SchemeName)
        {
            var why = authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault()?.Message ?? NeedsAdmin;
            await Results.Problem(title: "Not allowed", detail: why, statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
            return;
        }
        context.Response.Redirect(ForbiddenPage);
    }
}

/// <summary>Endpoint metadata: refuse with a status and one line of text instead of a login page or ProblemDetails.</summary>
public sealed record PlainTextRefusal(string NotSignedIn, string NotAllowed);
