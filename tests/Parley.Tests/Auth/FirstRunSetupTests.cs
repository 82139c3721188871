using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Parley.Testing;
using Parley.Tests.Fixtures;

namespace Parley.Tests.Auth;

/// <summary>The first admin: made once, by whoever holds the set-up code from serve's log (or sits at the machine).</summary>
public sealed partial class FirstRunSetupTests
{
    private static Dictionary<string, string> Admin(string email, string? code = null)
    {
        var fields = new Dictionary<string, string> { ["Name"] = "Ada Admin", ["Email"] = email, ["Password"] = "correct horse battery" };
        if (code is not null)
        {
            fields["Code"] = code;
        }

        return fields;
    }

    private static string LoggedCode(LogCapture log)
    {
        var line = Assert.Single(log.Lines, l => l.Contains("set-up code", StringComparison.Ordinal));
        return SetupCode().Match(line).Value;
    }

    [Fact]
    public async Task Eight_concurrent_setups_create_exactly_one_admin()
    {
        await using var host = await ParleyHost.StartAsync();
        var clients = Enumerable.Range(0, 8).Select(_ => new FormClient(host.BaseUrl)).ToList();
        // Every client has the form open before any of them submits it.
        var tokens = await Task.WhenAll(clients.Select(c => c.GetAsync("/setup")));
        Assert.All(tokens, t => Assert.Equal(HttpStatusCode.OK, t.StatusCode));

        var answers = await Task.WhenAll(clients.Select((c, i) => c.PostFormAsync("/setup", Admin($"admin{i}@parley.test"))));

        Assert.Equal(1, await host.UserCountAsync());
        Assert.Single(answers, a => a.Headers.Location?.OriginalString == "/settings");
        clients.ForEach(c => c.Dispose());
    }

    [Theory]
    [InlineData(false)] // a proxy on this machine that Parley does not trust: its X-Forwarded-For alone makes the request remote
    [InlineData(true)] // a trusted proxy: the request comes from the client it names
    public async Task A_setup_from_another_machine_needs_the_code_from_the_log(bool trustProxy)
    {
        var log = new LogCapture();
        await using var host = await ParleyHost.StartAsync(
            options: o => trustProxy ? o with { TrustedProxies = ["127.0.0.1"] } : o,
            configure: b => b.Logging.AddProvider(log));
        using var remote = new FormClient(host.BaseUrl, ("X-Forwarded-For", "203.0.113.7"));

        var page = await (await remote.GetAsync("/setup")).Content.ReadAsStringAsync();
        Assert.Contains("name=\"Code\"", page);
        var withoutCode = await remote.PostFormAsync("/setup", Admin("intruder@evil.test"));
        var wrongCode = await remote.PostFormAsync("/setup", Admin("intruder@evil.test", "AAAA-BBBB-CCCC"));
        Assert.Equal(HttpStatusCode.Forbidden, withoutCode.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongCode.StatusCode);
        Assert.Contains("set-up code", await wrongCode.Content.ReadAsStringAsync());
        Assert.Equal(0, await host.UserCountAsync());

        var withCode = await remote.PostFormAsync("/setup", Admin("ada@parley.test", LoggedCode(log).ToLowerInvariant()));
        Assert.Equal("/settings", withCode.Headers.Location?.OriginalString);
        Assert.Equal(1, await host.UserCountAsync());
    }

    [Fact]
    public async Task At_the_machine_itself_setup_needs_no_code()
    {
        await using var host = await ParleyHost.StartAsync();
        using var local = new FormClient(host.BaseUrl);
        var page = await (await local.GetAsync("/setup")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("name=\"Code\"", page);
        Assert.Equal("/settings", (await local.PostFormAsync("/setup", Admin("ada@parley.test"))).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_restart_shows_the_same_code_until_setup_is_done()
    {
        var dataDir = ParleyHost.NewDataDir();
        var first = new LogCapture();
        await using (await ParleyHost.StartAsync(dataDir, configure: b => b.Logging.AddProvider(first), keepDataDir: true))
        {
        }
        var second = new LogCapture();
        await using (var host = await ParleyHost.StartAsync(dataDir, configure: b => b.Logging.AddProvider(second), keepDataDir: true))
        {
            Assert.Matches(SetupCode(), LoggedCode(first));
            Assert.Equal(LoggedCode(first), LoggedCode(second));
            using var client = new FormClient(host.BaseUrl);
            Assert.Equal("/settings", (await client.PostFormAsync("/setup", Admin("ada@parley.test"))).Headers.Location?.OriginalString);
        }
        var third = new LogCapture();
        await using (await ParleyHost.StartAsync(dataDir, configure: b => b.Logging.AddProvider(third)))
        {
            Assert.DoesNotContain(third.Lines, l => l.Contains("set-up code", StringComparison.Ordinal));
        }
    }

    [GeneratedRegex("[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")]
    private static partial Regex SetupCode();
}
