using Microsoft.Playwright;
using Xunit;

namespace Parley.Testing;

/// <summary>
/// Debian's headless Chromium driven by Playwright (never a downloaded browser), launched once for the browser tests.
/// Use it as a collection fixture: the test project declares
/// <c>[CollectionDefinition(BrowserFixture.Collection)] class BrowserCollection : ICollectionFixture&lt;BrowserFixture&gt;</c>
/// (xunit finds definitions only in the test assembly), each browser test class carries
/// <c>[Collection(BrowserFixture.Collection)]</c> and takes the fixture, and each test opens its own page in a fresh
/// context (no cookies shared) and closes it with <c>await using var _ = page.Context;</c>. Screenshots go to
/// <c>$PARLEY_SCREENSHOTS</c> or /tmp/parley-screenshots, where a failing run (or a curious engineer) can look at them.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Collection = "Browser";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium is not started.");

    public async Task InitializeAsync()
    {
        var chromium = PeerBinaries.Find("chromium", "chromium");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A new 1280×900 page on <paramref name="baseUrl"/>, in a context of its own.</summary>
    /// <param name="timeoutMs">For the page's actions and for <see cref="Assertions"/>' expectations.</param>
    public async Task<IPage> NewPageAsync(Uri baseUrl, float timeoutMs = 15_000)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(),
            ViewportSize = new() { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(timeoutMs);
        Assertions.SetDefaultExpectTimeout(timeoutMs);
        return page;
    }

    /// <summary>A new page on <paramref name="parley"/>, signed in as its admin through the login form.</summary>
    public async Task<IPage> SignedInPageAsync(ParleyHost parley, float timeoutMs = 15_000)
    {
        var page = await NewPageAsync(parley.BaseUrl, timeoutMs);
        await page.GotoAsync("/login");
        await SignInAsync(page);
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        return page;
    }

    /// <summary>Fills the login form shown on <paramref name="page"/> with the admin's address and password, and sends it.</summary>
    public static async Task SignInAsync(IPage page)
    {
        await page.FillAsync("input[name=Email]", ParleyHost.AdminEmail);
        await page.FillAsync("input[name=Password]", ParleyHost.Password);
        await page.ClickAsync("button[type=submit]");
    }

    /// <summary>Saves a screenshot of <paramref name="page"/> as <paramref name="name"/>.png in <see cref="ScreenshotPath"/>'s folder.</summary>
    public static Task ScreenshotAsync(IPage page, string name, bool fullPage = true) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath(name), FullPage = fullPage });

    /// <summary>Where the screenshot called <paramref name="name"/> goes.</summary>
    public static string ScreenshotPath(string name)
    {
        var dir = Environment.GetEnvironmentVariable("PARLEY_SCREENSHOTS") ?? Path.Combine(Path.GetTempPath(), "parley-screenshots");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name + ".png");
    }
}
