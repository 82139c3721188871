using Microsoft.AspNetCore.Diagnostics;
using Parley.Api;
using Parley.Core.Common;

namespace Parley.Hosting;

/// <summary>
/// Errors answer in the caller's language: the API with ProblemDetails JSON (<see cref="ApiExceptionHandler"/>), the
/// web UI with a page (Pages/Error): an unknown id is a 404 page, a crash a 500 page, and an empty 4xx/5xx answer
/// (a refused form, an unknown address) gets the same page instead of a blank screen.
/// </summary>
public static class ErrorPages
{
    public static void UseParleyErrorPages(this WebApplication app)
    {
        // On the app itself, not in a branch: only the app's own pipeline routes again to the error page.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/error",
            StatusCodeSelector = e => e is NotFoundException ? StatusCodes.Status404NotFound : StatusCodes.Status500InternalServerError,
            // The error page answers 404 on purpose; otherwise the middleware takes it for a missing error page.
            AllowStatusCode404Response = true,
        });
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.Use((context, next) =>
        {
            if (ApiExceptionHandler.IsApi(context) && context.Features.Get<IStatusCodePagesFeature>() is { } pages)
            {
                pages.Enabled = false;
            }

            return next(context);
        });
    }
}
