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
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            o.SerializerOptions.Converters.Add(ApiEnums.Converter);
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    public static void MapParleyApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        var api = app.MapGroup("/api/v1").RequireAuthorization(AuthSetup.ApiPolicy).DisableAntiforgery();

        // The access model at a glance (ParleyPolicies says why); a test fails for an endpoint outside these groups.
        var member = api.MapGroup("").RequireAuthorization(ParleyPolicies.Member);
        member.MapContactsApi();
        member.MapRecordsApi();
        member.MapMessagesApi();
        member.MapFollowersApi();
        member.MapTemplatesApi();
        member.MapOutboxApi();
        member.MapMailingsApi();
        member.MapSpamTestsApi();
        member.MapTokensApi();

        var admin = api.MapGroup("").RequireAuthorization(ParleyPolicies.Admin);
        admin.MapSettingsApi();
        admin.MapRecordTypesApi();
        admin.MapOutgoingServersApi();
        admin.MapDomainsApi();
        admin.MapInboundApi();
        admin.MapFetchAccountsApi();
        admin.MapSuppressionsApi();
        admin.MapReportsApi();
        admin.MapClusterApi();

        api.MapGroup("").RequireAuthorization(ParleyPolicies.Mailgate).MapInboundRawApi();
    }
}
