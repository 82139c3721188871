using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// Durability with a real crash: the built `parley serve` process receives smtp-source's load, is killed with
/// SIGKILL mid-stream, restarts on the same data directory, and must hold every message smtp-source saw acknowledged:
/// its verbose log names each 250 with Parley's queue id ("queued as P&lt;id&gt;"), and every one of those rows must be
/// there after the restart, with nothing left pending.
/// </summary>
public sealed class InboundCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_acknowledged_message_survives_a_SIGKILL_mid_stream()
    {
        var data = Path.Combine(Path.GetTempPath(), "parley-crash-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using var parley = await ParleyProcess.StartAsync(data, demo: true);
            using var client = await parley.ApiClientAsync();
            await client.UseAliasDomainAsync("crash.parley.test");

            var load = SmtpSourcePeer.RunAsync(parley.SmtpPort, new SmtpSourceOptions
            {
                Sessions = 10,
                Messages = 2000,
                MessageSize = 2048,
                From = "load@source.test",
                To = "anyone@crash.parley.test",
                Timeout = TimeSpan.FromSeconds(120),
                ExtraArguments = ["-v"], // the sender's log: every reply, so every 250 and the queue id it names
            });
            // Kill once a good part of the load is in, so sessions are mid-DATA when the process dies.
            await Eventually.UntilAsync(async () => load.IsCompleted
                    || (await client.GetFromJsonAsync<JsonElement>("/api/v1/inbound/stats")).GetProperty("received").GetInt32() >= 300,
                TimeSpan.FromSeconds(60), "300 messages of the load are received", every: TimeSpan.FromMilliseconds(50));
            parley.Kill(); // SIGKILL: no shutdown, no flush
            var sent = await load;
            output.WriteLine($"smtp-source: exit {sent.ExitCode}, counted {sent.Acknowledged}; last words: "
                + string.Join(" / ", sent.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3)));
            Assert.True(sent.Acknowledged is > 0 and < 2000, $"the kill should land mid-stream (acknowledged {sent.Acknowledged})");

            await using var restarted = await ParleyProcess.StartAsync(data, demo: true, httpPort: parley.HttpPort, smtpPort: parley.SmtpPort);
            var after = await Eventually.UntilAsync(() => client.GetFromJsonAsync<JsonElement>("/api/v1/inbound/stats"),
                s => s.GetProperty("pending").GetInt32() == 0, TimeSpan.FromSeconds(60), "nothing is pending after the restart",
                every: TimeSpan.FromMilliseconds(200));
            output.WriteLine($"after restart: {after}");
            // The sender's log: each "250 2.0.0 Ok: queued as P<id>" is a message Parley promised to keep.
            var acknowledged = Regex.Matches(sent.Errors, @"<<< 250 2\.0\.0 Ok: queued as P(\d+)").Select(m => long.Parse(m.Groups[1].Value)).ToHashSet();
            output.WriteLine($"the sender's log names {acknowledged.Count} acknowledged messages");
            Assert.True(acknowledged.Count > 0, "smtp-source's log shows no 250 after DATA");
            var stored = after.GetProperty("received").GetInt32();
            Assert.True(stored < 1000, $"{stored} stored: more than one page of the list; kill earlier");
            var storedIds = (await client.GetFromJsonAsync<JsonElement>("/api/v1/inbound?take=1000")).EnumerateArray()
                .Select(i => i.GetProperty("id").GetInt64()).ToHashSet();
            var lost = acknowledged.Where(id => !storedIds.Contains(id)).Order().ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} acknowledged messages are missing after the restart: P{string.Join(", P", lost.Take(20))}");
            // smtp-source's -c counter moves when it *sends* the final "." (data_done in smtp-source.c), before the 250,
            // so nothing can be stored that it did not count: more would be invention.
            Assert.True(stored <= sent.Acknowledged, $"{stored} stored, more than the {sent.Acknowledged} smtp-source sent");
            Assert.True(stored >= acknowledged.Count, $"{stored} stored, fewer than the {acknowledged.Count} acknowledged");
            Assert.Equal(0, after.GetProperty("pending").GetInt32());
            Assert.Equal(0, after.GetProperty("failed").GetInt32());
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }
}
