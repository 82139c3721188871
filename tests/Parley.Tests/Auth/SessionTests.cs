using System.Net;
using Parley.Testing;
using Parley.Tests.Fixtures;

namespace Parley.Tests.Auth;

/// <summary>A session cookie is only good while the user's security stamp is the one it was issued with.</summary>
public sealed class SessionTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private async Task<(FormClient Owner, FormClient Thief)> SignedInPairAsync(string email)
    {
        await fixture.Host.CreateUserAsync(email, "Bea Staff");
        var owner = new FormClient(fixture.Host.BaseUrl);
        Assert.Equal("/", (await owner.SignInAsync(email, ParleyHost.Password)).Headers.Location?.OriginalString);
        var thief = new FormClient(fixture.Host.BaseUrl);
        thief.CopySessionFrom(owner);
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/contacts")).StatusCode);
        return (owner, thief);
    }

    private static async Task AssertSentToLoginAsync(FormClient client)
    {
        var response = await client.GetAsync("/contacts");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location?.PathAndQuery);
    }

    [Fact]
    public async Task A_copied_cookie_is_refused_after_sign_out()
    {
        var (owner, thief) = await SignedInPairAsync("bea.logout@parley.test");

        var signedOut = await owner.PostFormAsync("/contacts", new Dictionary<string, string>(), action: "/logout");
        Assert.Equal("/login", signedOut.Headers.Location?.OriginalString);

        await AssertSentToLoginAsync(owner);
        await AssertSentToLoginAsync(thief);
        owner.Dispose();
        thief.Dispose();
    }

    [Fact]
    public async Task Changing_the_password_ends_other_sessions_and_the_old_password_stops_working()
    {
        const string email = "bea.password@parley.test", next = "a brand new passphrase";
        var (owner, thief) = await SignedInPairAsync(email);

        var changed = await owner.PostFormAsync("/account", new Dictionary<string, string>
        {
            ["CurrentPassword"] = ParleyHost.Password,
            ["NewPassword"] = next,
            ["ConfirmPassword"] = next,
        });
        Assert.Equal("/account", changed.Headers.Location?.OriginalString);

        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/contacts")).StatusCode); // the one who changed it stays in
        await AssertSentToLoginAsync(thief);
        using var fresh = new FormClient(fixture.Host.BaseUrl);
        Assert.Equal(HttpStatusCode.OK, (await fresh.SignInAsync(email, ParleyHost.Password)).StatusCode); // the form again: refused
        Assert.Null(fresh.Cookie(FormClient.AuthCookie));
        Assert.Equal("/", (await fresh.SignInAsync(email, next)).Headers.Location?.OriginalString);
        owner.Dispose();
        thief.Dispose();
    }

    [Theory]
    [InlineData("wrong current password", "a brand new passphrase", "a brand new passphrase", "current password is not right")]
    [InlineData(ParleyHost.Password, "a brand new passphrase", "a different passphrase", "do not match")]
    [InlineData(ParleyHost.Password, "short", "short", "at least 10 characters")]
    public async Task A_refused_password_change_says_why_and_changes_nothing(string current, string next, string confirm, string why)
    {
        var email = $"bea.{Guid.NewGuid():N}"[..12] + "@parley.test";
        var (owner, thief) = await SignedInPairAsync(email);

        var refused = await owner.PostFormAsync("/account", new Dictionary<string, string>
        {
            ["CurrentPassword"] = current,
            ["NewPassword"] = next,
            ["ConfirmPassword"] = confirm,
        });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains(why, await refused.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/contacts")).StatusCode);
        using var fresh = new FormClient(fixture.Host.BaseUrl);
        Assert.Equal("/", (await fresh.SignInAsync(email, ParleyHost.Password)).Headers.Location?.OriginalString);
        owner.Dispose();
        thief.Dispose();
    }
}
