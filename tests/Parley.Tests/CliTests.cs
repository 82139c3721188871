using System.Net;
using Parley.Testing;
using Parley.Tests.Fixtures;

namespace Parley.Tests;

public sealed class CliTests
{
    // Stdin is an empty pipe, never the terminal the tests may run in: a verb that would prompt must say what to give instead.
    private static Task<(int Exit, string Stdout, string Stderr)> RunParleyAsync(params string[] args) => ParleyCli.RunAsync(args);

    private static async Task CreateAdminAsync(string dataDir)
    {
        await using var host = await ParleyHost.StartAsync(dataDir, keepDataDir: true);
        await host.CreateUserAsync("ada@parley.test", "Ada Admin");
    }

    [Fact]
    public async Task Token_create_prints_exactly_one_token_line_that_authenticates()
    {
        var dataDir = ParleyHost.NewDataDir();
        await CreateAdminAsync(dataDir);

        var (exit, stdout, stderr) = await RunParleyAsync("token", "create", "--data-dir", dataDir, "--name", "ci");
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        var token = Assert.Single(lines);
        Assert.Matches("^pk_[A-Za-z0-9_-]{20,}$", token);

        await using var host = await ParleyHost.StartAsync(dataDir);
        using var api = host.Client(token);
        var created = await api.PostAsync("/api/v1/contacts", System.Net.Http.Json.JsonContent.Create(new { name = "Ana", email = "ana@customer.test" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task Token_create_scope_mailgate_makes_a_token_that_only_hands_in_mail_and_expires()
    {
        var dataDir = ParleyHost.NewDataDir();
        await CreateAdminAsync(dataDir);

        var (exit, stdout, stderr) = await RunParleyAsync("token", "create", "--data-dir", dataDir, "--name", "postfix", "--scope", "mailgate", "--expires-in", "90d");
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.Contains("mailgate token for ada@parley.test, until", stderr);
        var token = stdout.Trim();

        await using var host = await ParleyHost.StartAsync(dataDir);
        using var api = host.Client(token);
        var raw = await api.PostAsync("/api/v1/inbound/raw", new StringContent("From: a@customer.test\r\nSubject: hi\r\n\r\nhello\r\n", System.Text.Encoding.ASCII, "message/rfc822"));
        Assert.Equal(HttpStatusCode.Accepted, raw.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/contacts")).StatusCode);
        using var admin = host.Client(await host.CreateTokenAsync(1));
        var listed = await Json.ReadAsync(await admin.GetAsync("/api/v1/tokens"), HttpStatusCode.OK);
        var postfix = listed.EnumerateArray().Single(t => t.GetProperty("name").GetString() == "postfix");
        Assert.Equal("mailgate", postfix.GetProperty("scope").GetString());
        Assert.InRange(postfix.GetProperty("expiresAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddDays(89), DateTimeOffset.UtcNow.AddDays(91));
    }

    [Theory]
    [InlineData("--expires-in", "soon")]
    [InlineData("--expires-in", "0d")]
    [InlineData("--scope", "everything")]
    public async Task Token_create_with_a_bad_scope_or_expiry_prints_no_token(string option, string value)
    {
        var dataDir = ParleyHost.NewDataDir();
        await CreateAdminAsync(dataDir);
        var (exit, stdout, stderr) = await RunParleyAsync("token", "create", "--data-dir", dataDir, option, value);
        Directory.Delete(dataDir, recursive: true);
        Assert.NotEqual(0, exit);
        Assert.DoesNotContain("pk_", stdout); // a parse error prints the verb's help there, never a token
        Assert.Contains(option, stderr);
    }

    [Fact]
    public async Task Token_create_without_an_admin_fails_and_prints_no_token()
    {
        var dataDir = ParleyHost.NewDataDir();
        var (exit, stdout, stderr) = await RunParleyAsync("token", "create", "--data-dir", dataDir);
        Directory.Delete(dataDir, recursive: true);
        Assert.Equal(1, exit);
        Assert.Equal("", stdout.Trim());
        Assert.Contains("admin", stderr);
    }

    [Theory]
    [InlineData("--smtp-tls-cert", "/nonexistent/parley-test-cert.pem", "The SMTP TLS certificate could not be loaded from /nonexistent/parley-test-cert.pem")]
    [InlineData("--smtp-listen", "nonsense", "--smtp-listen must look like 127.0.0.1:2525")]
    [InlineData("--trusted-proxy", "proxy.example", "--trusted-proxy must be an IP address like 10.0.0.5 or a network like 10.0.0.0/8, not 'proxy.example'.")]
    [InlineData("--database", "Host=127.0.0.1;Port=1;Username=parley;Password=x;Database=parley;Timeout=3", "Parley could not open the PostgreSQL database given with --database")]
    public async Task Serve_with_a_setting_that_cannot_work_says_which_and_exits_78(string option, string value, string expected)
    {
        var dataDir = ParleyHost.NewDataDir();
        string[] listen = option == "--smtp-listen" ? [] : ["--smtp-listen", "127.0.0.1:0"];
        var (exit, stdout, stderr) = await RunParleyAsync(["serve", "--data-dir", dataDir, "--urls", "http://127.0.0.1:0", .. listen, option, value]);
        if (Directory.Exists(dataDir))
        {
            Directory.Delete(dataDir, recursive: true);
        }

        Assert.True(exit == 78, $"exit {exit}: {stdout} {stderr}");
        Assert.StartsWith("parley serve: " + expected, stderr.Trim());
        Assert.DoesNotContain("Unhandled exception", stderr + stdout);
        Assert.DoesNotContain("   at ", stderr + stdout); // no stack trace
    }

    [Fact]
    public async Task Admin_create_makes_the_first_admin_and_refuses_a_second_run_clearly()
    {
        var dataDir = ParleyHost.NewDataDir();
        var passwordFile = Path.Combine(dataDir, "admin.password");
        await File.WriteAllTextAsync(passwordFile, "correct horse battery\n");

        var (exit, stdout, stderr) = await RunParleyAsync("admin", "create", "--data-dir", dataDir, "--email", "Ada@Parley.test", "--name", "Ada Admin", "--password-file", passwordFile);
        Assert.True(exit == 0, $"exit {exit}: {stdout} {stderr}");
        Assert.Contains("ada@parley.test", stdout);

        var (again, _, refused) = await RunParleyAsync("admin", "create", "--data-dir", dataDir, "--email", "eve@parley.test", "--name", "Eve", "--password-file", passwordFile);
        Assert.Equal(1, again);
        Assert.StartsWith("parley admin create: This installation already has an admin", refused.Trim());

        await using var host = await ParleyHost.StartAsync(dataDir);
        Assert.Equal(1, await host.UserCountAsync());
        using var browser = new FormClient(host.BaseUrl);
        Assert.Equal("/", (await browser.SignInAsync("ada@parley.test", "correct horse battery")).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Admin_create_without_a_password_file_or_a_terminal_says_what_to_give()
    {
        var dataDir = ParleyHost.NewDataDir();
        var (exit, _, stderr) = await RunParleyAsync("admin", "create", "--data-dir", dataDir, "--email", "ada@parley.test", "--name", "Ada");
        Directory.Delete(dataDir, recursive: true);
        Assert.Equal(1, exit);
        Assert.Contains("--password-file", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("serve")]
    [InlineData("migrate")]
    [InlineData("token")]
    public async Task Every_verb_has_help(string verb)
    {
        var (exit, stdout, _) = await RunParleyAsync(verb, "--help");
        Assert.Equal(0, exit);
        Assert.Contains("Usage", stdout);
    }
}
