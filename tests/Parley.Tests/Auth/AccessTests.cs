using System.Net;
using Parley.Tests.Fixtures;

namespace Parley.Tests.Auth;

public sealed class AccessFixture : IAsyncLifetime
{
    public ParleyHost Host { get; private set; } = null!;
    public string AdminToken { get; private set; } = "";
    public string MemberToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Host = await ParleyHost.StartAsync();
        var admin = await Host.CreateUserAsync();
        var member = await Host.CreateUserAsync("max@parley.test", "Max Member", isAdmin: false);
        AdminToken = await Host.CreateTokenAsync(admin.Id);
        MemberToken = await Host.CreateTokenAsync(member.Id);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class AccessTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    public static TheoryData<string, string> AdminRequests => new()
    {
        { "PUT", "/api/v1/settings/alias-domain" },
        { "POST", "/api/v1/outgoing-servers" },
        { "POST", "/api/v1/domains/shop.example/dkim/rotate" },
    };

    [Theory]
    [MemberData(nameof(AdminRequests))]
    public async Task A_members_token_is_refused_admin_endpoints(string method, string path)
    {
        using var api = fixture.Host.Client(fixture.MemberToken);
        var response = await api.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") });
        await Json.ReadAsync(response, HttpStatusCode.Forbidden);
    }
}
