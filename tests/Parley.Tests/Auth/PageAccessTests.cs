using System.Net;
using System.Text.RegularExpressions;
using Parley.Tests.Fixtures;

namespace Parley.Tests.Auth;

/// <summary>The web UI for a member and an admin, signed in through the real login form.</summary>
public sealed partial class PageAccessTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    [Theory]
    [InlineData("/settings")]
    [InlineData("/domains")]
    [InlineData("/inbound")]
    [InlineData("/inbound/aliases")]
    [InlineData("/inbound/mailboxes")]
    [InlineData("/inbound/rules")]
    [InlineData("/outbox/suppressed")]
    [InlineData("/record-types")]
    [InlineData("/record-types/new")]
    public async Task A_member_opening_an_admin_page_is_told_kindly_whom_to_ask(string path)
    {
        using var browser = await SignInAsync("max@parley.test");
        var response = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/forbidden", response.Headers.Location?.OriginalString);

        var page = await browser.GetAsync("/forbidden");
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("You need an administrator for this", html);
        Assert.Contains("mailto:ada@parley.test", html);
    }

    [Fact]
    public async Task A_member_cannot_change_a_setting_by_posting_the_form()
    {
        using var browser = await SignInAsync("max@parley.test");
        var token = AntiforgeryToken(await (await browser.GetAsync("/settings/tokens")).Content.ReadAsStringAsync());
        var post = await browser.PostAsync("/settings?handler=Alias", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["AliasDomain"] = "evil.example",
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal("/forbidden", post.Headers.Location?.OriginalString);
        var alias = await Json.ReadAsync(await fixture.Client(fixture.AdminToken).GetAsync("/api/v1/settings/alias-domain"), HttpStatusCode.OK);
        Assert.DoesNotContain("evil.example", alias.GetRawText());
    }

    [Fact]
    public async Task The_nav_shows_admin_pages_to_admins_only()
    {
        using var member = await SignInAsync("max@parley.test");
        var memberNav = Nav(await (await member.GetAsync("/contacts")).Content.ReadAsStringAsync());
        Assert.Equal(["/contacts", "/records", "/templates", "/mailings", "/outbox", "/spam-tests", "/settings/tokens"], memberNav);

        using var admin = await SignInAsync("ada@parley.test");
        var adminNav = Nav(await (await admin.GetAsync("/contacts")).Content.ReadAsStringAsync());
        Assert.Equal(["/contacts", "/records", "/templates", "/mailings", "/outbox", "/spam-tests", "/inbound", "/domains", "/settings", "/settings/tokens"], adminNav);
    }

    [Fact]
    public async Task A_member_makes_a_read_token_in_the_ui_which_reads_but_cannot_write_and_cannot_make_a_mailgate_token()
    {
        using var browser = await SignInAsync("max@parley.test");
        var created = await PostTokenFormAsync(browser, "Read only", "Read", "30");
        var secret = NewTokenRegex().Match(created).Groups[1].Value;
        Assert.StartsWith("pk_", secret);
        Assert.Contains("read only", created);
        Assert.DoesNotContain("ada@parley.test", created); // a member's list is their own

        using var api = fixture.Client(secret);
        await Json.ReadAsync(await api.GetAsync("/api/v1/contacts"), HttpStatusCode.OK);
        await Json.ReadAsync(await api.Post("/api/v1/contacts", new { name = "Eve", email = "eve@customer.test" }), HttpStatusCode.Forbidden);
        var listed = await Json.ReadAsync(await api.GetAsync("/api/v1/tokens"), HttpStatusCode.OK);
        var mine = listed.EnumerateArray().Single(t => secret.StartsWith(t.GetProperty("prefix").GetString()!, StringComparison.Ordinal));
        Assert.Equal("read", mine.GetProperty("scope").GetString());
        Assert.InRange(mine.GetProperty("expiresAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddDays(29), DateTimeOffset.UtcNow.AddDays(31));

        var refused = await PostTokenFormAsync(browser, "Sneaky", "Mailgate", "");
        Assert.Contains("Only an administrator", refused);
        Assert.DoesNotMatch(NewTokenRegex(), refused);
    }

    [Fact]
    public async Task An_admin_sees_everyones_tokens_in_the_ui()
    {
        using var browser = await SignInAsync("ada@parley.test");
        var html = await (await browser.GetAsync("/settings/tokens")).Content.ReadAsStringAsync();
        Assert.Contains("max@parley.test", html);
        Assert.Contains("mailgate", html);
        Assert.Contains("expired", html);
    }

    private async Task<string> PostTokenFormAsync(HttpClient browser, string name, string scope, string expiresInDays)
    {
        var token = AntiforgeryToken(await (await browser.GetAsync("/settings/tokens")).Content.ReadAsStringAsync());
        var response = await browser.PostAsync("/settings/tokens?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["TokenName"] = name,
            ["Scope"] = scope,
            ["ExpiresInDays"] = expiresInDays,
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<HttpClient> SignInAsync(string email)
    {
        var browser = fixture.Host.Client();
        var form = await (await browser.GetAsync("/login")).Content.ReadAsStringAsync();
        var response = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email,
            ["Password"] = "correct horse battery",
            ["__RequestVerificationToken"] = AntiforgeryToken(form),
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }

    private static string AntiforgeryToken(string html) => AntiforgeryRegex().Match(html).Groups[1].Value;

    private static string[] Nav(string html) =>
        NavLinkRegex().Matches(NavRegex().Match(html).Value).Select(m => m.Groups[1].Value).ToArray();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryRegex();

    [GeneratedRegex("<nav>.*?</nav>", RegexOptions.Singleline)]
    private static partial Regex NavRegex();

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex NavLinkRegex();

    [GeneratedRegex("id=\"new-token\">(pk_[^<]+)<")]
    private static partial Regex NewTokenRegex();
}
