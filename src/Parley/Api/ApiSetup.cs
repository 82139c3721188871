using System.Text.Json.Serialization;
using Parley.Auth;

namespace Parley.Api;

public static class ApiSetup
{
    public static IServiceCollection AddParleyApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Parley API";
            doc.Info.Description = "Records, chatter, templates and delivery. Authenticate with 'Authorization: Bearer <token>'.";
            return Task.CompletedTask;
        }));
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never);
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    public static void MapParleyApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        var api = app.MapGroup("/api/v1").RequireAuthorization(AuthSetup.ApiPolicy).DisableAntiforgery();
        api.MapContactsApi();
        api.MapOutgoingServersApi();
        api.MapSettingsApi();
        api.MapTemplatesApi();
        api.MapMessagesApi();
        api.MapDomainsApi();
        api.MapOutboxApi();
        api.MapMailingsApi();
        api.MapInboundApi();
        api.MapFetchAccountsApi();
        api.MapSuppressionsApi();
        api.MapFollowersApi();
    }
}
