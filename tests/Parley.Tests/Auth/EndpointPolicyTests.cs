using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Parley.Auth;

namespace Parley.Tests.Auth;

/// <summary>
/// Every endpoint and page of the real host, read from its endpoint data source, has the access this table says. A new
/// endpoint or page that is not in the table, or forgot its policy, fails here; a new API group also needs a probe in
/// <see cref="AccessTests.Probes"/>.
/// </summary>
public sealed class EndpointPolicyTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private const string Anonymous = "anonymous";

    /// <summary>API groups by route prefix (the longest matching prefix wins).</summary>
    public static readonly IReadOnlyDictionary<string, string> Expected = new Dictionary<string, string>
    {
        ["/api/v1/contacts"] = ParleyPolicies.Member,
        ["/api/v1/records"] = ParleyPolicies.Member, // chatter and followers of any record
        ["/api/v1/templates"] = ParleyPolicies.Member,
        ["/api/v1/outbox"] = ParleyPolicies.Member,
        ["/api/v1/mailings"] = ParleyPolicies.Member,
        ["/api/v1/spam-tests"] = ParleyPolicies.Member, // anyone who writes email may test it
        ["/api/v1/tokens"] = ParleyPolicies.Member, // one's own; an admin's list is everyone's
        ["/api/v1/settings"] = ParleyPolicies.Admin,
        ["/api/v1/record-types"] = ParleyPolicies.Admin,
        ["/api/v1/outgoing-servers"] = ParleyPolicies.Admin,
        ["/api/v1/domains"] = ParleyPolicies.Admin,
        ["/api/v1/inbound"] = ParleyPolicies.Admin,
        ["/api/v1/inbound/raw"] = ParleyPolicies.Mailgate,
        ["/api/v1/fetch-accounts"] = ParleyPolicies.Admin,
        ["/api/v1/suppressions"] = ParleyPolicies.Admin,
        ["/api/v1/reports"] = ParleyPolicies.Admin, // DMARC and TLS reports: deliverability data, like the domains
        ["/api/v1/cluster"] = ParleyPolicies.Admin, // the nodes, their addresses and leases
    };

    /// <summary>Pages by view path, and the other endpoints by route.</summary>
    private static readonly Dictionary<string, string> ExpectedElsewhere = new()
    {
        ["/Index"] = ParleyPolicies.Member,
        ["/Contacts/Index"] = ParleyPolicies.Member,
        ["/Contacts/View"] = ParleyPolicies.Member,
        ["/Contacts/Delete"] = ParleyPolicies.Member,
        ["/Contacts/Deleted"] = ParleyPolicies.Member,
        ["/Chatter/Note"] = ParleyPolicies.Member,
        ["/Templates/Index"] = ParleyPolicies.Member,
        ["/Templates/Edit"] = ParleyPolicies.Member,
        ["/Mailings/Index"] = ParleyPolicies.Member,
        ["/Mailings/View"] = ParleyPolicies.Member,
        ["/Outbox/Index"] = ParleyPolicies.Member,
        ["/SpamTests/Index"] = ParleyPolicies.Member,
        ["/SpamTests/View"] = ParleyPolicies.Member,
        ["/Settings/Tokens"] = ParleyPolicies.Member,
        ["/Settings/Server"] = ParleyPolicies.Admin,
        ["/Account"] = ParleyPolicies.Member,
        ["/Logout"] = ParleyPolicies.Member,
        ["/Forbidden"] = ParleyPolicies.Member,
        ["/Outbox/Suppressed"] = ParleyPolicies.Admin,
        ["/Settings/Index"] = ParleyPolicies.Admin,
        ["/Domains/Index"] = ParleyPolicies.Admin,
        ["/Deliverability/View"] = ParleyPolicies.Admin,
        ["/Deliverability/Dmarc"] = ParleyPolicies.Admin,
        ["/Inbound/Index"] = ParleyPolicies.Admin,
        ["/Inbound/Aliases"] = ParleyPolicies.Admin,
        ["/Inbound/Mailboxes"] = ParleyPolicies.Admin,
        ["/Inbound/Rules"] = ParleyPolicies.Admin,
        ["/RecordTypes/Index"] = ParleyPolicies.Admin,
        ["/RecordTypes/Edit"] = ParleyPolicies.Admin,
        ["/Records/Index"] = ParleyPolicies.Member,
        ["/Records/List"] = ParleyPolicies.Member,
        ["/Records/View"] = ParleyPolicies.Member,
        ["/Records/Board"] = ParleyPolicies.Member,
        ["/Login"] = Anonymous,
        ["/Setup"] = Anonymous,
        ["/Error"] = Anonymous,
        ["/Unsubscribe/Index"] = Anonymous,
        ["/attachments/{id:long}"] = ParleyPolicies.Member,
        ["/attachments/inline/{messageId:long}/{partIndex:int}"] = ParleyPolicies.Member,
        ["/live/records/{type}/{id:long}"] = ParleyPolicies.Member,
        ["/healthz"] = Anonymous,
        ["/readyz"] = Anonymous,
        ["/metrics"] = ParleyPolicies.Metrics,
        ["/openapi/{documentName}.json"] = Anonymous,
    };

    public static string? PolicyOf(string apiRoute) =>
        Expected.Where(e => apiRoute == e.Key || apiRoute.StartsWith(e.Key + "/", StringComparison.Ordinal))
            .OrderByDescending(e => e.Key.Length).Select(e => e.Value).FirstOrDefault();

    [Fact]
    public void Every_api_endpoint_is_token_only_and_has_the_policy_of_its_group()
    {
        var api = Endpoints().Where(e => Route(e).StartsWith("/api/", StringComparison.Ordinal)).ToList();
        Assert.True(api.Count > 50, $"Only {api.Count} API endpoints were found; is the data source the app's?");
        var wrong = api
            .Select(e => (Route: $"{Method(e)} {Route(e)}", Expected: PolicyOf(Route(e)) ?? "(not in the table: classify it)", Actual: Access(e), TokenOnly: Policies(e).Contains(AuthSetup.ApiPolicy)))
            .Where(e => e.Expected != e.Actual || !e.TokenOnly)
            .Select(e => $"{e.Route}: expected {e.Expected}, has {e.Actual}{(e.TokenOnly ? "" : " and not the token-only api policy")}")
            .ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void Every_page_and_other_endpoint_has_the_access_in_the_table()
    {
        var wrong = Endpoints().Where(e => !Route(e).StartsWith("/api/", StringComparison.Ordinal))
            .Select(e => (Key: Key(e), Actual: Access(e)))
            .Distinct()
            .Where(e => ExpectedElsewhere.GetValueOrDefault(e.Key) != e.Actual)
            .Select(e => $"{e.Key}: expected {ExpectedElsewhere.GetValueOrDefault(e.Key) ?? "(not in the table: classify it)"}, has {e.Actual}")
            .ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void Every_api_group_has_a_probe_that_calls_it()
    {
        var probed = AccessTests.Probes.Select(p => p.Group).ToHashSet();
        Assert.All(Expected.Keys, k => Assert.Contains(k, probed));
    }

    private List<RouteEndpoint> Endpoints() =>
        fixture.Host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

    private static string Route(RouteEndpoint e) => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/');

    private static string Key(RouteEndpoint e) => e.Metadata.GetMetadata<PageActionDescriptor>()?.ViewEnginePath ?? Route(e);

    private static string Method(RouteEndpoint e) => string.Join(",", e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]);

    private static List<string?> Policies(RouteEndpoint e) => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();

    /// <summary>
    /// Anonymous, or the Parley policy on the endpoint (admin pages also carry the member policy of the whole site,
    /// which admin includes); "none" or a list when that is not one clear answer.
    /// </summary>
    private static string Access(RouteEndpoint e)
    {
        if (e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return Anonymous;
        }

        var named = Policies(e).Where(p => p is not null && ParleyPolicies.All.Contains(p)).Distinct().ToList();
        if (named.Count == 2 && named.Contains(ParleyPolicies.Member) && named.Contains(ParleyPolicies.Admin))
        {
            return ParleyPolicies.Admin;
        }

        return named.Count switch { 0 => "none", 1 => named[0]!, _ => string.Join("+", named) };
    }
}
