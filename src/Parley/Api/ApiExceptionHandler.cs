using Microsoft.AspNetCore.Diagnostics;
using Parley.Core.Common;

namespace Parley.Api;

/// <summary>Turns domain errors into ProblemDetails: bad input → 400 with per-field messages, missing → 404.</summary>
public sealed class ApiExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (!context.Request.Path.StartsWithSegments("/api")) return false;
        IResult? result = exception switch
        {
            InvalidInputException e => Results.ValidationProblem(
                e.Errors.ToDictionary(kv => kv.Key, kv => kv.Value), detail: e.Message, title: "The request has invalid values."),
            NotFoundException e => Results.Problem(title: "Not found", detail: e.Message, statusCode: StatusCodes.Status404NotFound),
            BadHttpRequestException e => Results.Problem(title: "Bad request", detail: Describe(e), statusCode: e.StatusCode),
            _ => null,
        };
        if (result is null) return false;
        await result.ExecuteAsync(context);
        return true;
    }

    private static string Describe(BadHttpRequestException e) =>
        e.InnerException is System.Text.Json.JsonException json
            ? $"The request body is not valid JSON: {json.Message}"
            : e.Message;
}
