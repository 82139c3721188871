using System.Data.Common;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Parley.Core.Common;

namespace Parley.Api;

/// <summary>
/// Turns domain errors into ProblemDetails: bad input (an unknown enum value in a body included) → 400 with per-field
/// messages, missing → 404, a database that cannot take the request right now (read-only, locked, full, unreachable)
/// → 503, so callers retry instead of reporting a bug; anything else → 500, in JSON too.
/// </summary>
public sealed class ApiExceptionHandler : IExceptionHandler
{
    /// <summary>Whether the request is for the API (which answers errors in JSON) rather than a page.</summary>
    public static bool IsApi(HttpContext context) =>
        // While an exception is handled the request already points at the error page; the feature keeps where it was.
        new PathString(context.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? context.Request.Path).StartsWithSegments("/api");

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsApi(context))
        {
            return false;
        }

        IResult result = exception switch
        {
            InvalidInputException e => Results.ValidationProblem(
                e.Errors.ToDictionary(kv => kv.Key, kv => kv.Value), detail: e.Message, title: "The request has invalid values."),
            NotFoundException e => Results.Problem(title: "Not found", detail: e.Message, statusCode: StatusCodes.Status404NotFound),
            ConflictException e => Results.Problem(title: "Changed since you read it", detail: e.Message, statusCode: StatusCodes.Status409Conflict,
                extensions: e.Details),
            ForbiddenException e => Results.Problem(title: "Not allowed", detail: e.Message, statusCode: StatusCodes.Status403Forbidden),
            BadHttpRequestException { InnerException: JsonException json } when UnknownEnumValue(context, json) is { } field =>
                Results.ValidationProblem(new Dictionary<string, string[]> { [field.Name] = [field.Message] }, detail: field.Message,
                    title: "The request has invalid values."),
            BadHttpRequestException e => Results.Problem(title: "Bad request", detail: Describe(e), statusCode: e.StatusCode),
            _ when IsStorageOutage(exception) => Results.Problem(title: "Storage unavailable",
                detail: "Parley cannot write to its database right now (it may be read-only, full, locked or unreachable). Nothing was changed; try again later.",
                statusCode: StatusCodes.Status503ServiceUnavailable),
            // Anything else is a bug, still answered in JSON: the web UI's error page is not for API callers.
            _ => Results.Problem(statusCode: StatusCodes.Status500InternalServerError),
        };
        await result.ExecuteAsync(context);
        return true;
    }

    private static bool IsStorageOutage(Exception e) => e switch
    {
        DbUpdateConcurrencyException => false,
        DbUpdateException { InnerException: DbException inner } => !IsConflict(inner),
        DbException db => !IsConflict(db),
        _ => false,
    };

    /// <summary>A unique or foreign-key violation is a conflict in the request itself, not storage that is unavailable.</summary>
    private static bool IsConflict(DbException e) =>
        e is SqliteException { SqliteErrorCode: 19 } // SQLITE_CONSTRAINT
        || e is PostgresException p && p.SqlState.StartsWith("23", StringComparison.Ordinal); // integrity constraint violation

    /// <summary>
    /// The body's field that holds an enum value the API does not know (the JSON error names only the path), with a
    /// message listing the values it takes; null when the error is about something else.
    /// </summary>
    private static (string Name, string Message)? UnknownEnumValue(HttpContext context, JsonException json)
    {
        if (json.Path is not { } path || !path.StartsWith("$.", StringComparison.Ordinal))
        {
            return null;
        }
        // The handler runs with the endpoint cleared; the feature keeps the one that failed.
        var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType is not { } bodyType)
        {
            return null;
        }

        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var property = options.GetTypeInfo(bodyType).Properties.FirstOrDefault(p => string.Equals(p.Name, path[2..], StringComparison.OrdinalIgnoreCase));
        var type = property is null ? null : Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return type is { IsEnum: true } ? (property!.Name, $"{property.Name} must be {ApiEnums.Allowed(type)}.") : null;
    }

    private static string Describe(BadHttpRequestException e) =>
        e.InnerException is JsonException json
            ? $"The request body is not valid JSON: {json.Message}"
            : e.Message;
}
