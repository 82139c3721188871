using Parley.Core.Identity;

namespace Parley.Hosting;

/// <summary>Until the first admin exists, every page leads to the set-up page.</summary>
public sealed class FirstRunRedirect(RequestDelegate next)
{
    private volatile bool _hasUsers;

    public async Task InvokeAsync(HttpContext context, UserService users)
    {
        var path = context.Request.Path;
        if (!_hasUsers && !path.StartsWithSegments("/setup") && !path.StartsWithSegments("/api") && !path.StartsWithSegments("/openapi")
            && !path.StartsWithSegments("/unsubscribe") && !path.StartsWithSegments("/css") && !path.StartsWithSegments("/js") && !path.StartsWithSegments("/healthz")
            && !path.StartsWithSegments("/readyz") && !path.StartsWithSegments("/metrics"))
        {
            _hasUsers = await users.AnyUserAsync(context.RequestAborted);
            if (!_hasUsers)
            {
                context.Response.Redirect("/setup");
                return;
            }
        }
        await next(context);
    }
}
