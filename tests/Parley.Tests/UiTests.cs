using System.Net;
using Parley.Testing;
using Parley.Tests.Fixtures;

namespace Parley.Tests;

public sealed class UiTests
{
    [Fact]
    public async Task Before_the_first_user_every_page_leads_to_setup_then_to_login()
    {
        await using var host = await ParleyHost.StartAsync();
        using var browser = host.Client();

        foreach (var path in new[] { "/", "/contacts", "/settings", "/login" })
        {
            var response = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/setup", response.Headers.Location?.OriginalString);
        }
        var setup = await browser.GetAsync("/setup");
        Assert.Equal(HttpStatusCode.OK, setup.StatusCode);
        Assert.Contains("<form", await setup.Content.ReadAsStringAsync());

        await host.CreateUserAsync();

        var home = await browser.GetAsync("/contacts");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/login", home.Headers.Location?.PathAndQuery ?? home.Headers.Location?.OriginalString);
        var setupAgain = await browser.GetAsync("/setup");
        Assert.Equal(HttpStatusCode.Redirect, setupAgain.StatusCode);
        Assert.Equal("/login", setupAgain.Headers.Location?.OriginalString);
        var login = await browser.GetAsync("/login");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task Health_and_openapi_do_not_redirect_before_setup()
    {
        await using var host = await ParleyHost.StartAsync();
        using var browser = host.Client();
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/contacts/1")).StatusCode);
    }
}
