namespace Parley.EndToEnd.Tests;

/// <summary>
/// What the user sees when the relay says no: smtp-sink's fault switches give a deferred (4xx,
/// dropped line) or failed (5xx) email in the chatter, with the server's own words.
/// </summary>
public sealed class RelayFaultTests
{
    [Theory]
    [InlineData("soft", "RCPT", "deferred")]
    [InlineData("hard", "RCPT", "failed")]
    [InlineData("hard", "DATA", "failed")]
    [InlineData("hangup", "DATA", "deferred")]
    public async Task A_relay_fault_shows_in_the_chatter_with_the_servers_words(string fault, string command, string expectedState)
    {
        await using var sink = await SmtpSinkPeer.StartAsync(fault switch
        {
            "soft" => new SmtpSinkOptions { SoftReject = [command] },
            "hard" => new SmtpSinkOptions { HardReject = [command] },
            _ => new SmtpSinkOptions { HangUp = [command] },
        });
        await using var parley = await ParleyApi.ServeWithRelayAsync(sink, relayName: "faulty");
        var record = await parley.AddContactRecordAsync("Chloé", "chloe@customer.test");

        var message = await parley.SendEmailAndWaitAsync(record, "Hi");
        Assert.Equal(expectedState, message.GetProperty("state").GetString());
        var error = message.GetProperty("error").GetString();
        Assert.False(string.IsNullOrWhiteSpace(error));
        // The route says which relay was tried, not that the email was sent through it.
        Assert.Equal("Tried relay \"faulty\", which may send as any address.", message.GetProperty("route").GetString());
        if (fault != "hangup")
        {
            // smtp-sink answers its faults with "Error: command failed"; the user must see those words.
            Assert.Contains("Error", error);
        }
    }

    [Fact]
    public async Task A_starttls_relay_that_offers_no_starttls_is_deferred_never_sent_in_clear()
    {
        await using var sink = await SmtpSinkPeer.StartAsync(); // smtp-sink offers no STARTTLS
        await using var parley = await ParleyApi.ServeWithAliasDomainAsync();
        await parley.PostAsync("/api/v1/outgoing-servers", new { name = "tls relay", host = "127.0.0.1", port = sink.Port, security = "starttls", username = "u", password = "secret-password" });
        var record = await parley.AddContactRecordAsync("Dmitri", "dmitri@customer.test");

        var message = await parley.SendEmailAndWaitAsync(record, "Hi");
        Assert.Equal("deferred", message.GetProperty("state").GetString());
        Assert.Contains("STARTTLS", message.GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(sink.ReadMessages());
    }

    [Fact]
    public async Task An_mx_lookup_that_times_out_is_deferred_with_a_readable_reason()
    {
        // Nothing answers on this port: every DNS query times out.
        var silentDns = $"127.0.0.1:{FreePort.Get()}";
        await using var parley = await ParleyApi.ServeWithAliasDomainAsync(options: o => o with { Dns = silentDns });
        var record = await parley.AddContactRecordAsync("Elif", "elif@customer.test");

        var message = await parley.SendEmailAndWaitAsync(record, "Hi", timeout: TimeSpan.FromSeconds(60));
        Assert.Equal("deferred", message.GetProperty("state").GetString());
        Assert.Contains("customer.test", message.GetProperty("error").GetString());
    }
}
