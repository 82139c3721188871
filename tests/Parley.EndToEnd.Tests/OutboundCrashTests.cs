using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// Kill -9 while emails are being delivered, start again: every queued email arrives, none is
/// lost, and none arrives more than twice (the documented bound: a crash between the relay's
/// 250 and our commit re-sends that one email once).
/// </summary>
public sealed class OutboundCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_killed_process_loses_no_queued_email_and_duplicates_at_most_once()
    {
        const int count = 60;
        var dataDir = Path.Combine(Path.GetTempPath(), "parley-crash-" + Guid.NewGuid().ToString("N")[..8]);
        // The slow relay (1 s before answering DATA) keeps deliveries in flight when the kill comes.
        await using var slowSink = await SmtpSinkPeer.StartAsync(new SmtpSinkOptions { ExtraArguments = ["-w", "1"] });
        var env = new Dictionary<string, string> { ["Outbox__Lease"] = "00:00:03" };
        int httpPort, smtpPort;
        await using (var parley = await ParleyProcess.StartAsync(dataDir, demo: true, env))
        {
            (httpPort, smtpPort) = (parley.HttpPort, parley.SmtpPort);
            using var api = await parley.ApiClientAsync();
            (await api.PostAsJsonAsync("/api/v1/outgoing-servers", new { name = "slow", host = "127.0.0.1", port = slowSink.Port, security = "none" })).EnsureSuccessStatusCode();
            var csv = "name,email\n" + string.Join("\n", Enumerable.Range(1, count).Select(i => $"Crash {i},crash{i}@customer.test"));
            (await api.PostAsync("/api/v1/contacts/import", new StringContent(csv, Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();
            var ids = JsonDocument.Parse(await api.GetStringAsync("/api/v1/contacts?q=crash&take=500")).RootElement
                .GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()).ToList();
            Assert.Equal(count, ids.Count);
            foreach (var id in ids)
            {
                (await api.PostAsJsonAsync($"/api/v1/records/contact/{id}/messages", new { kind = "email", subject = "Crash test", body = "Hi" })).EnsureSuccessStatusCode();
            }

            await slowSink.WaitForMessagesAsync(3, TimeSpan.FromSeconds(30));
            parley.Kill();
        }
        var beforeRestart = slowSink.ReadMessages().Count;
        output.WriteLine($"{beforeRestart} delivered before the kill");
        Assert.InRange(beforeRestart, 1, count - 1);

        // Same data directory, same relay: the rest (and any row whose lease the crash left) goes out.
        await using (var parley = await ParleyProcess.StartAsync(dataDir, demo: false, env, httpPort, smtpPort))
        {
            using var api = await parley.ApiClientAsync();
            var stats = await Eventually.UntilAsync(async () => JsonDocument.Parse(await api.GetStringAsync("/api/v1/outbox/stats")).RootElement,
                s => s.GetProperty("sent").GetInt32() == count, TimeSpan.FromSeconds(90), $"all {count} emails are sent after the restart",
                every: TimeSpan.FromMilliseconds(250));
            output.WriteLine(stats.ToString());
        }

        var perRecipient = slowSink.ReadMessages().GroupBy(m => m.Recipients.Single()).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"{perRecipient.Values.Sum() - count} duplicates");
        Assert.Equal(count, perRecipient.Count);
        Assert.All(perRecipient.Values, n => Assert.InRange(n, 1, 2));
        try { Directory.Delete(dataDir, true); } catch (IOException) { }
    }
}
