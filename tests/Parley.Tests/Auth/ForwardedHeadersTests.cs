using Parley.Testing;
using Parley.Tests.Fixtures;

namespace Parley.Tests.Auth;

/// <summary>Behind a TLS-terminating proxy, the session cookie is marked Secure; only a trusted proxy is believed.</summary>
public sealed class ForwardedHeadersTests
{
    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task A_sign_in_forwarded_as_https_gets_a_secure_cookie_only_through_a_trusted_proxy(bool trusted, bool secure)
    {
        await using var host = await ParleyHost.StartAsync(options: o => trusted ? o with { TrustedProxies = ["127.0.0.1"] } : o);
        await host.CreateUserAsync();
        using var client = new FormClient(host.BaseUrl, ("X-Forwarded-Proto", "https"), ("X-Forwarded-For", "198.51.100.4"));

        var response = await client.SignInAsync("ada@parley.test", ParleyHost.Password);

        Assert.Equal("/", response.Headers.Location?.OriginalString);
        var cookie = Assert.Single(client.LastSetCookies, c => c.StartsWith(FormClient.AuthCookie + "=", StringComparison.Ordinal));
        Assert.Equal(secure, cookie.Split(';').Any(a => a.Trim().Equals("secure", StringComparison.OrdinalIgnoreCase)));
    }
}
