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
            await api.AddRelayAsync(slowSink.Port, "slow");
            var ids = await api.ImportContactsAsync("Crash", count);
            Assert.Equal(count, ids.Count);
            await api.QueueEmailsAsync(ids, "Crash test");

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
            var stats = await Eventually.UntilAsync(() => api.GetJsonAsync("/api/v1/outbox/stats"),
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
