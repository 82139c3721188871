using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The whole console log of a real `parley serve --log-format json` at Trace level, through a run that uses an API
/// token, stores a relay password, logs in to that relay (Test, then a delivery) and routes a received message: every
/// line is one JSON object, the delivery and the routing decision carry the message's ids, and neither the relay
/// password (plain or as AUTH sends it) nor the API token appears anywhere.
/// </summary>
public sealed class LogEndToEndTests(ITestOutputHelper output)
{
    private const string AliasDomain = "logs.parley.test";
    private const string RelayUser = "parley-relay";
    private const string RelayPassword = "Relay-Pa55word-never-logged";

    [Fact]
    public async Task Json_logs_name_each_message_and_never_a_secret()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "parley-logs-" + Guid.NewGuid().ToString("N")[..8]);
        await using var relay = PlainAuthRelay.Start();
        await using var dns = await DnsmasqPeer.StartAsync([], ["test"]);
        await ParleyProcess.CreateAdminAsync(dataDir);
        var env = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Trace", ["Doctor__Schedule__Enabled"] = "false" };
        await using var parley = await ParleyProcess.StartAsync(dataDir, environment: env, arguments: ["--log-format", "json", "--dns", dns.Server]);
        using var api = await parley.ApiClientAsync();
        var token = api.DefaultRequestHeaders.Authorization!.Parameter!;

        await api.UseAliasDomainAsync(AliasDomain);
        var server = await api.PostAsJsonAsync("/api/v1/outgoing-servers",
            new { name = "office", host = "127.0.0.1", port = relay.Port, security = "none", username = RelayUser, password = RelayPassword });
        server.EnsureSuccessStatusCode();
        var serverId = JsonDocument.Parse(await server.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
        var test = JsonDocument.Parse(await (await api.PostAsJsonAsync($"/api/v1/outgoing-servers/{serverId}/test", new { })).Content.ReadAsStringAsync()).RootElement;
        Assert.True(test.GetProperty("success").GetBoolean(), test.ToString());
        var contactId = await api.AddContactAsync("Ana Lima", "ana@customer.test");
        var posted = await api.PostAsJsonAsync($"/api/v1/records/contact/{contactId}/messages", new { kind = "email", subject = "Logs", body = "Hi Ana" });
        var messageId = JsonDocument.Parse(await posted.Content.ReadAsStringAsync()).RootElement.GetProperty("messageId").GetString()!;
        var swaks = await Swaks.SendAsync(new SwaksOptions
        {
            Port = parley.SmtpPort,
            From = "someone@sender.test",
            To = [$"nobody@{AliasDomain}"],
        });
        Assert.True(swaks.ExitCode == 0, swaks.Transcript);

        var lines = await Eventually.UntilAsync(() => parley.Output.ToArray(),
            seen => seen.Any(l => l.Contains("\"InboundId\"", StringComparison.Ordinal)) && seen.Any(l => l.Contains("\"OutboxId\"", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "the delivery and the routing decision are logged");
        // The password did cross the wire, once for Test and once for the delivery: the log had the chance to show it.
        Assert.Contains("AUTH", relay.Received);

        var entries = lines.Where(l => l.Length > 0).Select(l =>
        {
            try { return JsonDocument.Parse(l).RootElement.Clone(); }
            catch (JsonException) { throw new Xunit.Sdk.XunitException($"Not a JSON log line: {l}"); }
        }).ToList();
        output.WriteLine($"{entries.Count} log lines");
        Assert.All(entries, e => Assert.True(e.TryGetProperty("LogLevel", out _) && e.TryGetProperty("Category", out _) && e.TryGetProperty("Timestamp", out _), e.ToString()));

        var delivery = entries.Single(e => e.GetProperty("State").TryGetProperty("OutboxId", out _));
        Assert.Equal(messageId, delivery.GetProperty("State").GetProperty("MessageId").GetString());
        Assert.Equal("Sent", delivery.GetProperty("State").GetProperty("State").GetString());
        var routed = entries.Single(e => e.GetProperty("State").TryGetProperty("InboundId", out _));
        var received = (await api.GetJsonAsync("/api/v1/inbound?status=unrouted")).EnumerateArray().Single();
        Assert.Equal(received.GetProperty("messageId").GetString(), routed.GetProperty("State").GetProperty("MessageId").GetString());
        Assert.Equal(received.GetProperty("id").GetInt64(), routed.GetProperty("State").GetProperty("InboundId").GetInt64());
        Assert.Equal("Unrouted", routed.GetProperty("State").GetProperty("Status").GetString());

        var all = string.Join("\n", lines);
        foreach (var secret in Secrets(token))
        {
            Assert.False(all.Contains(secret, StringComparison.Ordinal), $"The log shows a secret ({secret[..4]}…)");
        }

        try { Directory.Delete(dataDir, true); } catch (IOException) { }
    }

    /// <summary>The password as typed and as AUTH PLAIN and AUTH LOGIN carry it; the token whole and without its prefix.</summary>
    private static IEnumerable<string> Secrets(string token) =>
    [
        RelayPassword,
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{RelayUser}\0{RelayPassword}")),
        Convert.ToBase64String(Encoding.UTF8.GetBytes(RelayPassword)),
        token,
        token[(token.IndexOf('_') + 1)..],
    ];
}
