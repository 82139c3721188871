using Microsoft.Playwright;

namespace Parley.EndToEnd.Tests;

/// <summary>An admin makes a metrics token on the API tokens page, and it reads /metrics and nothing else.</summary>
[Collection(BrowserFixture.Collection)]
public sealed class MetricsTokenBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private ParleyHost _parley = null!;

    public async Task InitializeAsync() => _parley = await ParleyHost.ServeAsync();

    public async Task DisposeAsync() => await _parley.DisposeAsync();

    [Fact]
    public async Task An_admin_creates_a_metrics_token_that_reads_only_metrics()
    {
        var page = await browser.SignedInPageAsync(_parley);
        await page.GotoAsync("/settings/tokens");
        await page.FillAsync("input[name=TokenName]", "prometheus");
        await page.SelectOptionAsync("select[name=Scope]", "Metrics");
        await page.ClickAsync("button:has-text('Create token')");
        var secret = await page.Locator("#new-token").InnerTextAsync();
        await Assertions.Expect(page.Locator("#tokens tr", new() { HasText = "prometheus" })).ToContainTextAsync("metrics");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("tokens-metrics-scope"), FullPage = true });

        using var client = new HttpClient { BaseAddress = _parley.BaseUrl };
        client.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        var metrics = await client.GetAsync("/metrics");
        Assert.Equal(System.Net.HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("parley_outbox_depth", await metrics.Content.ReadAsStringAsync());
        var contacts = await client.GetAsync("/api/v1/contacts");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, contacts.StatusCode);
        Assert.Contains("This is a metrics token: it may only read /metrics.", await contacts.Content.ReadAsStringAsync());
    }
}
