using System.Net;
using System.Text.Json;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// "Send a test" through Parley's real outgoing route: a template rendered for a contact goes out by the outbox, the
/// route planner and DKIM, directly to the alias domain's MX (dnsmasq says it is this machine) over loopback SMTP, arrives
/// at the listener as any mail would, and is scored: signed and aligned, it scores at least 9.5.
/// </summary>
public sealed class SpamSelfTestEndToEndTests(ITestOutputHelper output)
{
    private const string AliasDomain = "in.parley.test";

    [Fact]
    public async Task A_template_sent_through_the_real_route_to_a_test_address_scores_at_least_9_5()
    {
        var port = FreePort.Get();
        string[] base_ =
        [
            $"mx-host={AliasDomain},mx.{AliasDomain},10", $"host-record=mx.{AliasDomain},127.0.0.1", $"ptr-record=1.0.0.127.in-addr.arpa,mx.{AliasDomain}",
        ];
        string[] zones = ["test", "127.in-addr.arpa"];
        var dns = await DnsmasqPeer.StartAsync(base_, zones);
        try
        {
            await using var parley = await ParleyApi.ServeWithAliasDomainAsync(AliasDomain, o => o with { Dns = dns.Server, SmtpListen = $"127.0.0.1:{port}", DirectDeliveryPort = port });

            // The records the installation asks for (DKIM keys, DMARC), published as Parley's doctor says; SPF for loopback.
            var records = new List<string>(base_);
            foreach (var domain in new[] { "parley.test", AliasDomain })
            {
                using var _ = await parley.Api.PostAsync("/api/v1/domains", System.Net.Http.Json.JsonContent.Create(new { name = domain }));
                foreach (var r in (await parley.GetAsync($"/api/v1/domains/{domain}/dns-records")).EnumerateArray())
                {
                    var (type, name, value) = (r.GetProperty("type").GetString(), r.GetProperty("name").GetString()!, r.GetProperty("value").GetString()!);
                    if (type == "TXT" && (name.Contains("._domainkey.", StringComparison.Ordinal) || name.StartsWith("_dmarc.", StringComparison.Ordinal)))
                    {
                        records.Add(DoctorScenario.Txt(name, value));
                    }
                }

                records.Add($"txt-record={domain},\"v=spf1 ip4:127.0.0.1 -all\"");
            }

            var dnsPort = dns.Port;
            await dns.DisposeAsync();
            dns = await DnsmasqPeer.StartAsync(records, zones, port: dnsPort);

            var contact = await parley.AddContactAsync("Ana Lima", "ana@customer.test");
            var template = await parley.AddTemplateAsync("Order shipped", "Your order has shipped, {{ record.name }}",
                "Hello {{ record.name }},\n\nyour order left our warehouse today and should reach you within two days.\n\nKind regards,\nThe team");

            using var response = await parley.Api.PostAsync("/api/v1/spam-tests/self",
                System.Net.Http.Json.JsonContent.Create(new { templateId = template, recordType = "contact", recordId = contact }));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var sent = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            var id = sent.GetProperty("id").GetString()!;
            Assert.StartsWith("test-", sent.GetProperty("address").GetString());

            var report = await Eventually.UntilAsync(() => parley.GetAsync($"/api/v1/spam-tests/{id}"), r => r.GetProperty("status").GetString() == "done",
                TimeSpan.FromSeconds(60), "the test email went out, came back and was scored");
            var checks = report.GetProperty("sections").EnumerateArray().SelectMany(s => s.GetProperty("checks").EnumerateArray()).ToList();
            foreach (var check in checks.Where(c => c.GetProperty("lost").GetDouble() > 0))
            {
                output.WriteLine($"{check.GetProperty("id")} -{check.GetProperty("lost")}: {check.GetProperty("detail")}");
            }

            output.WriteLine(report.GetProperty("authenticationResults").GetString());
            Assert.True(report.GetProperty("score").GetDouble() >= 9.5, $"score {report.GetProperty("score")}");
            string Result(string checkId) => checks.Single(c => c.GetProperty("id").GetString() == checkId).GetProperty("result").GetString()!;
            Assert.Equal(("pass", "pass", "pass"), (Result("auth.spf"), Result("auth.dkim"), Result("auth.dmarc")));
            Assert.Contains("Your order has shipped, Ana Lima", report.GetProperty("messages")[0].GetProperty("subject").GetString());
            // It went out through the outbox, directly to the MX.
            var timeline = await parley.GetAsync($"/api/v1/records/contact/{contact}/messages");
            var outgoing = timeline.EnumerateArray().Single(m => m.GetProperty("subject").GetString()!.StartsWith("Your order has shipped", StringComparison.Ordinal));
            Assert.Equal("sent", outgoing.GetProperty("state").GetString());
            Assert.Contains("directly", outgoing.GetProperty("route").GetString());
        }
        finally
        {
            await dns.DisposeAsync();
        }
    }
}
