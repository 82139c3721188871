using Microsoft.Playwright;
using Parley.Testing;

namespace Parley.EndToEnd.Tests.Infrastructure;

/// <summary>Debian's headless Chromium driven by Playwright (never a downloaded browser).</summary>
public static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException("Chromium is missing: run scripts/install-peers.sh (Debian package 'chromium').");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        });
        return (playwright, browser);
    }

    /// <summary>A new 1280×900 page on <paramref name="parley"/>, signed in as its admin through the login form.</summary>
    public static async Task<IPage> SignedInPageAsync(IBrowser browser, ParleyHost parley, float timeoutMs = 15_000)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = parley.BaseUrl.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(timeoutMs);
        Assertions.SetDefaultExpectTimeout(timeoutMs);
        await page.GotoAsync("/login");
        await page.FillAsync("input[name=Email]", ParleyHost.AdminEmail);
        await page.FillAsync("input[name=Password]", ParleyHost.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/login"));
        return page;
    }

    /// <summary>Where screenshots go, so a failing run (or a curious engineer) can look at the pages.</summary>
    public static string ScreenshotPath(string name)
    {
        var dir = Environment.GetEnvironmentVariable("PARLEY_SCREENSHOTS") ?? Path.Combine(Path.GetTempPath(), "parley-screenshots");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name + ".png");
    }
}
