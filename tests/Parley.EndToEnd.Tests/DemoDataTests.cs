using System.Net.Http.Json;
using System.Text.Json;

namespace Parley.EndToEnd.Tests;

/// <summary>`parley serve --demo` as a newcomer starts it: a believable chatter, and nothing mailed to anyone.</summary>
[Collection(BrowserFixture.Collection)]
public sealed class DemoDataTests(ITestOutputHelper output, BrowserFixture browser)
{
    private static readonly string[] ReservedDomains = ["example.com", "example.net", "example.org"];

    [Fact]
    public async Task Every_reply_follows_its_original_and_the_scheduled_doctor_mails_nobody()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "parley-demo-" + Guid.NewGuid().ToString("N")[..8]);
        await using var dns = await DnsmasqPeer.StartAsync([]);
        var environment = new Dictionary<string, string> { ["Doctor__Schedule__FirstRunDelay"] = "00:00:02" };
        try
        {
            await using var parley = await ParleyProcess.StartAsync(dataDir, demo: true, environment, arguments: ["--dns", dns.Server]);
            using var api = await parley.ApiClientAsync();

            var contacts = (await api.GetFromJsonAsync<JsonElement>("/api/v1/contacts?take=500")).GetProperty("items").EnumerateArray().ToList();
            Assert.NotEmpty(contacts);
            foreach (var contact in contacts)
            {
                var email = contact.GetProperty("email").GetString()!;
                var domain = email[(email.IndexOf('@') + 1)..];
                Assert.True(ReservedDomains.Contains(domain) || domain.EndsWith(".example", StringComparison.Ordinal), $"{email} is not at a reserved example domain");

                var timeline = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/records/contact/{contact.GetProperty("id").GetInt64()}/messages")).EnumerateArray().ToList();
                foreach (var reply in timeline.Where(m => m.GetProperty("direction").GetString() == "in"))
                {
                    var subject = reply.GetProperty("subject").GetString()!;
                    Assert.StartsWith("Re: ", subject);
                    Assert.Contains(timeline, m => m.GetProperty("direction").GetString() == "out" && m.GetProperty("subject").GetString() == subject[4..]
                        && m.GetProperty("createdAt").GetDateTimeOffset() < reply.GetProperty("createdAt").GetDateTimeOffset()
                        && m.GetProperty("id").GetInt64() < reply.GetProperty("id").GetInt64());
                }
            }

            // What a newcomer sees first: Ana's timeline with the email and, above it, her reply.
            {
                var page = await browser.NewPageAsync(parley.BaseUrl);
                await page.GotoAsync("/login");
                await page.FillAsync("input[name=Email]", Parley.Demo.DemoData.AdminEmail);
                await page.FillAsync("input[name=Password]", Parley.Demo.DemoData.AdminPassword);
                await page.ClickAsync("button[type=submit]");
                await page.WaitForURLAsync(url => !url.Contains("/login"));
                await page.GotoAsync($"/contacts/{contacts.Single(c => c.GetProperty("name").GetString() == "Ana Lima").GetProperty("id").GetInt64()}");
                await Microsoft.Playwright.Assertions.Expect(page.Locator(".timeline .entry")).ToHaveCountAsync(3);
                await Microsoft.Playwright.Assertions.Expect(page.Locator(".timeline .entry.in .subject")).ToHaveTextAsync("Re: Your quote");
                await Microsoft.Playwright.Assertions.Expect(page.Locator(".timeline .entry.out .subject")).ToHaveTextAsync("Your quote");
                await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("demo-conversation"), FullPage = true });
            }

            // The scheduled doctor runs two seconds after start: its findings land in the chatter, and no email in the Outbox.
            var demoDomain = Assert.Single((await api.GetFromJsonAsync<JsonElement>("/api/v1/domains")).EnumerateArray());
            var record = $"/api/v1/records/deliverability/{demoDomain.GetProperty("id").GetInt64()}/messages";
            var events = await Eventually.UntilAsync(() => api.GetJsonAsync(record), e => e.GetArrayLength() > 0,
                TimeSpan.FromSeconds(60), "the scheduled doctor's findings are in the domain's chatter", every: TimeSpan.FromMilliseconds(250));
            output.WriteLine(string.Join("\n", parley.Output));
            var doctor = Assert.Single(events.EnumerateArray());
            Assert.Contains("First check", doctor.GetProperty("text").GetString());
            // An emailed event carries a delivery state, and its outbox rows are written in the same transaction.
            Assert.Equal(JsonValueKind.Null, doctor.GetProperty("state").ValueKind);
            Assert.Empty((await api.GetFromJsonAsync<JsonElement>("/api/v1/outbox")).EnumerateArray());
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
