using System.Text.Json;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Security;
using Parley.Core.Domains;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The deliverability verbs as scripts use them: the built parley.dll run with `dotnet`, asking dnsmasq on
/// loopback. Checked: the first line (spf), one line per signature (dkim), the JSON shape and exit codes (doctor).
/// </summary>
public sealed class DoctorCliTests(ITestOutputHelper output)
{
    private const string Domain = "cli.test";
    private const string Selector = "s2048";

    [Fact]
    public async Task Doctor_json_has_the_documented_shape_and_exits_0_when_nothing_fails_and_2_when_something_does()
    {
        var key = DkimKeyGenerator.Generate(DkimAlgorithm.RsaSha256);
        string[] good = [.. Zone(key), DoctorScenario.Txt(Domain, "v=spf1 ip4:192.0.2.7 -all")];
        await using (var dns = await DnsmasqPeer.StartAsync(good))
        {
            var (exit, stdout, stderr) = await RunAsync("doctor", Domain, "--dns", dns.Server, "--json", "--sending-ip", "192.0.2.7", "--dkim-selector", $"{Selector}={key.PublicKeyBase64}");
            output.WriteLine(stdout + stderr);
            Assert.Equal(0, exit);
            var report = JsonDocument.Parse(stdout).RootElement;
            Assert.Equal(["checkedAt", "domain", "findings"], report.EnumerateObject().Select(p => p.Name).Order().ToArray());
            Assert.Equal(Domain, report.GetProperty("domain").GetString());
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", report.GetProperty("checkedAt").GetString()!);
            foreach (var f in report.GetProperty("findings").EnumerateArray())
            {
                Assert.Subset(new HashSet<string> { "id", "area", "severity", "title", "detail", "fix" }, f.EnumerateObject().Select(p => p.Name).ToHashSet());
                Assert.Contains(f.GetProperty("severity").GetString(), new[] { "pass", "info", "warn" });
            }
            Assert.Contains(report.GetProperty("findings").EnumerateArray(), f => f.GetProperty("id").GetString() == "spf.authorized");
        }

        await using (var dns = await DnsmasqPeer.StartAsync(Zone(key)))
        {
            var (exit, stdout, _) = await RunAsync("doctor", Domain, "--dns", dns.Server, "--json", "--sending-ip", "192.0.2.7");
            Assert.Equal(2, exit);
            var missing = JsonDocument.Parse(stdout).RootElement.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("id").GetString() == "spf.missing");
            Assert.Equal("fail", missing.GetProperty("severity").GetString());
            Assert.Equal("v=spf1 ip4:192.0.2.7 ~all", missing.GetProperty("fix").GetProperty("value").GetString());

            // Without --json: a readable report whose first line names the domain.
            var (textExit, text, _) = await RunAsync("doctor", Domain, "--dns", dns.Server, "--sending-ip", "192.0.2.7");
            Assert.Equal(2, textExit);
            Assert.StartsWith($"Domain doctor: {Domain}", text);
            Assert.Contains("publish: cli.test. IN TXT \"v=spf1 ip4:192.0.2.7 ~all\"", text);
        }

        var (badExit, _, badErr) = await RunAsync("doctor", Domain, "--dns", "not-a-server");
        Assert.Equal(1, badExit);
        Assert.Contains("--dns", badErr);
    }

    [Fact]
    public async Task Doctor_with_a_dns_server_that_does_not_answer_says_so_in_one_line_and_nothing_about_the_domain()
    {
        var silent = $"127.0.0.1:{FreePort.Get()}"; // nothing listens there
        var (exit, stdout, stderr) = await RunAsync("doctor", Domain, "--dns", silent, "--sending-ip", "192.0.2.7");
        output.WriteLine(stdout + stderr);
        Assert.Equal(75, exit);
        Assert.Equal($"temperror: the DNS server {silent} did not answer, so nothing about {Domain} was checked. Run the doctor again later, or give another server with --dns.",
            Assert.Single(Lines(stdout)));
        Assert.Empty(stderr);

        var (jsonExit, json, _) = await RunAsync("doctor", Domain, "--dns", silent, "--json");
        Assert.Equal(75, jsonExit);
        var finding = Assert.Single(JsonDocument.Parse(json).RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal(("doctor.temperror", "warn"), (finding.GetProperty("id").GetString(), finding.GetProperty("severity").GetString()));
        Assert.DoesNotContain("Query", json);

        var (_, help, _) = await RunAsync("doctor", "--help");
        Assert.Contains("75 when the DNS server did not answer", help.ReplaceLineEndings(" ").Replace("  ", " "));
    }

    [Fact]
    public async Task Doctor_with_data_dir_checks_the_domain_against_how_that_installation_sends()
    {
        await using var parley = await ParleyApi.ServeWithAliasDomainAsync("mail.cli.test");
        await parley.PostAsync("/api/v1/outgoing-servers", new { name = "Provider", host = "smtp.relay.test", port = 587, security = "starttls", spfInclude = "spf.relay.test" });
        await parley.PostAsync("/api/v1/domains", new { name = Domain });
        var published = (await parley.GetAsync($"/api/v1/domains/{Domain}/dns-records")).EnumerateArray()
            .Where(r => r.GetProperty("type").GetString() == "TXT")
            .Select(r => DoctorScenario.Txt(r.GetProperty("name").GetString()!, r.GetProperty("value").GetString()!)).ToList();
        Assert.Contains(published, r => r.Contains("include:spf.relay.test"));
        await using var dns = await DnsmasqPeer.StartAsync([.. published, DoctorScenario.Txt("spf.relay.test", "v=spf1 ip4:198.51.100.0/24 -all"), "mx-host=mail.cli.test,mx.cli.test,10", "host-record=mx.cli.test,192.0.2.7"]);

        var (exit, stdout, stderr) = await RunAsync("doctor", Domain, "--data-dir", parley.DataDir, "--dns", dns.Server, "--json");
        output.WriteLine(stdout + stderr);
        Assert.Equal(0, exit);
        var ids = JsonDocument.Parse(stdout).RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("id").GetString()).ToList();
        Assert.Equal(2, ids.Count(id => id == "dkim.valid")); // the installation's own two selectors
        Assert.Contains("spf.authorized", ids); // its relay's include, on its alias domain
        Assert.Contains("dmarc.aligned", ids);

        // The same domain without the installation: no selector, no route, so nothing aligns.
        var (bare, _, _) = await RunAsync("doctor", Domain, "--dns", dns.Server, "--json");
        Assert.Equal(2, bare);

        var empty = Directory.CreateTempSubdirectory("parley-cli-empty-").FullName;
        try
        {
            var (missing, _, why) = await RunAsync("doctor", Domain, "--data-dir", empty, "--dns", dns.Server);
            Assert.Equal(1, missing);
            Assert.Contains($"No Parley installation in {empty}", why);
            Assert.Empty(Directory.EnumerateFileSystemEntries(empty)); // and nothing was created there
            var (unknown, _, notSending) = await RunAsync("doctor", "other.test", "--data-dir", parley.DataDir, "--dns", dns.Server);
            Assert.Equal(1, unknown);
            Assert.Contains("other.test is not a sending domain of this installation", notSending);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public async Task Spf_check_prints_the_result_word_on_its_first_line()
    {
        await using var dns = await DnsmasqPeer.StartAsync([DoctorScenario.Txt(Domain, "v=spf1 ip4:192.0.2.0/24 include:other.test ~all"), DoctorScenario.Txt("other.test", "v=spf1 ip4:198.51.100.0/24 -all")]);
        Assert.Equal("pass", await FirstLineAsync("spf", "check", "--ip", "192.0.2.7", "--sender", $"bounce@{Domain}", "--helo", "mx.cli.test", "--dns", dns.Server));
        Assert.Equal("pass", await FirstLineAsync("spf", "check", "--ip", "198.51.100.9", "--sender", $"bounce@{Domain}", "--helo", "mx.cli.test", "--dns", dns.Server));
        Assert.Equal("softfail", await FirstLineAsync("spf", "check", "--ip", "203.0.113.1", "--sender", $"bounce@{Domain}", "--helo", "mx.cli.test", "--dns", dns.Server));
        Assert.Equal("none", await FirstLineAsync("spf", "check", "--ip", "203.0.113.1", "--sender", "someone@nothing.test", "--helo", "mx.cli.test", "--dns", dns.Server));

        var (exit, _, stderr) = await RunAsync("spf", "check", "--ip", "not-an-ip", "--sender", $"a@{Domain}", "--helo", "h", "--dns", dns.Server);
        Assert.Equal(1, exit);
        Assert.Contains("not an IP address", stderr);
    }

    [Fact]
    public async Task Dkim_verify_prints_one_line_per_signature()
    {
        var key = DkimKeyGenerator.Generate(DkimAlgorithm.RsaSha256);
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Shop", $"hello@{Domain}"));
        message.To.Add(new MailboxAddress("Ana", "ana@customer.test"));
        message.Subject = "Signed";
        message.Date = DateTimeOffset.UtcNow;
        message.MessageId = $"cli-test@{Domain}";
        message.Body = new TextPart("plain") { Text = "Hello Ana,\n\nYour order shipped.\n" };
        var signer = new DkimSigner(PrivateKeyFactory.CreateKey(key.PrivateKeyPkcs8), Domain, Selector, DkimSignatureAlgorithm.RsaSha256)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        signer.Sign(message, [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId]);
        var directory = Directory.CreateTempSubdirectory("parley-cli-dkim-").FullName;
        try
        {
            var signed = Path.Combine(directory, "signed.eml");
            await message.WriteToAsync(signed);
            var unsigned = Path.Combine(directory, "unsigned.eml");
            await File.WriteAllTextAsync(unsigned, "From: a@cli.test\r\nTo: b@customer.test\r\nSubject: x\r\n\r\nbody\r\n");

            await using (var dns = await DnsmasqPeer.StartAsync(Zone(key)))
            {
                var (exit, stdout, _) = await RunAsync("dkim", "verify", signed, "--dns", dns.Server);
                Assert.Equal(0, exit);
                Assert.Equal($"pass d={Domain} s={Selector}", Assert.Single(Lines(stdout)));
                var (unsignedExit, none, _) = await RunAsync("dkim", "verify", unsigned, "--dns", dns.Server);
                Assert.Equal(2, unsignedExit); // nothing vouches for it
                Assert.StartsWith("none", Lines(none)[0]);
            }

            // Another key under the selector: the signature no longer verifies, and the exit code says so (as doctor's does).
            await using (var dns = await DnsmasqPeer.StartAsync(Zone(DkimKeyGenerator.Generate(DkimAlgorithm.RsaSha256))))
            {
                var (failExit, fail, _) = await RunAsync("dkim", "verify", signed, "--dns", dns.Server);
                Assert.Equal(2, failExit);
                Assert.StartsWith($"fail d={Domain} s={Selector}", Lines(fail)[0]);
            }

            // A signature that cannot be checked (no key published at all) is not a pass either.
            await using (var dns = await DnsmasqPeer.StartAsync(["host-record=cli.test,192.0.2.7"]))
            {
                var (permExit, perm, _) = await RunAsync("dkim", "verify", signed, "--dns", dns.Server);
                Assert.Equal(2, permExit);
                Assert.StartsWith($"permerror d={Domain} s={Selector}", Lines(perm)[0]);
            }

            var (_, help, _) = await RunAsync("dkim", "verify", "--help");
            Assert.Contains("Exit code: 0 when every signature passes, 2 when one does not (or there is none)", help.ReplaceLineEndings(" ").Replace("  ", " "));

            var (missingExit, _, _) = await RunAsync("dkim", "verify", Path.Combine(directory, "missing.eml"));
            Assert.Equal(1, missingExit);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static IEnumerable<string> Zone(DkimKeyGenerator.KeyPair key) =>
    [
        "host-record=cli.test,192.0.2.7",
        "mx-host=cli.test,mx.cli.test,10",
        "host-record=mx.cli.test,192.0.2.7",
        "ptr-record=7.2.0.192.in-addr.arpa,mx.cli.test",
        DoctorScenario.Txt($"{Selector}._domainkey.{Domain}", "v=DKIM1; k=rsa; p=" + key.PublicKeyBase64),
        DoctorScenario.Txt($"_dmarc.{Domain}", "v=DMARC1; p=reject; rua=mailto:dmarc@cli.test"),
    ];

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    private async Task<string> FirstLineAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await RunAsync(args);
        output.WriteLine($"parley {string.Join(' ', args)} → {exit}\n{stdout}{stderr}");
        Assert.Equal(0, exit);
        return Lines(stdout)[0];
    }

    private static Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args) => ParleyCli.RunAsync(args);
}
