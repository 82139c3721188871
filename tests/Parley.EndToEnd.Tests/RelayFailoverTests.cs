using System.Text.Json;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// Relay priority is a failover order: a relay that cannot be had (nothing answers, or a 4xx greeting) hands the email
/// to the next relay that may send as the same From, and the chatter says so. A relay that answered the message itself
/// keeps it, so nothing is ever sent twice.
/// </summary>
public sealed class RelayFailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_dead_relay_first_by_priority_hands_the_email_to_the_next_one()
    {
        await using var backup = await SmtpSinkPeer.StartAsync();
        await using var parley = await ParleyWithRelaysAsync(("Dead relay", FreePort.GetClosed(), 1), ("Backup relay", backup.Port, 10));
        var record = await parley.AddContactRecordAsync("Dana", "dana@customer.test");

        var message = await SendAndWaitAsync(parley, record);

        Assert.Equal("sent", message.GetProperty("state").GetString());
        var route = message.GetProperty("route").GetString()!;
        Assert.StartsWith("Relay \"Dead relay\" refused the connection (", route);
        Assert.Contains("; sent via relay \"Backup relay\"", route);
        Assert.Equal(["dana@customer.test"], Assert.Single(await backup.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10))).Recipients);
    }

    [Fact]
    public async Task A_relay_that_greets_with_a_temporary_refusal_hands_the_email_to_the_next_one()
    {
        await using var busy = await SmtpSinkPeer.StartAsync(new SmtpSinkOptions { SoftReject = ["CONNECT"] });
        await using var backup = await SmtpSinkPeer.StartAsync();
        await using var parley = await ParleyWithRelaysAsync(("Busy relay", busy.Port, 1), ("Backup relay", backup.Port, 10));
        var record = await parley.AddContactRecordAsync("Emil", "emil@customer.test");

        var message = await SendAndWaitAsync(parley, record);

        Assert.Equal("sent", message.GetProperty("state").GetString());
        Assert.Matches("^Relay \"Busy relay\" refused the connection \\(4\\d\\d ", message.GetProperty("route").GetString());
        Assert.Single(await backup.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10)));
        Assert.Empty(busy.ReadMessages());
    }

    [Theory]
    [InlineData("hard", "RCPT", "failed")] // the relay refused the message: its answer is final
    [InlineData("hangup", ".", "deferred")] // the content went out and no reply came: it may have been delivered
    public async Task A_relay_that_answered_the_transaction_keeps_the_email_and_the_next_relay_gets_nothing(string fault, string command, string expected)
    {
        await using var first = await SmtpSinkPeer.StartAsync(fault == "hard" ? new SmtpSinkOptions { HardReject = [command] } : new SmtpSinkOptions { HangUp = [command] });
        await using var backup = await SmtpSinkPeer.StartAsync();
        await using var parley = await ParleyWithRelaysAsync(("First relay", first.Port, 1), ("Backup relay", backup.Port, 10));
        var record = await parley.AddContactRecordAsync("Farah", "farah@customer.test");

        var message = await SendAndWaitAsync(parley, record);

        Assert.Equal(expected, message.GetProperty("state").GetString());
        var route = message.GetProperty("route").GetString()!;
        Assert.StartsWith("Tried relay \"First relay\"", route);
        Assert.DoesNotContain("Backup relay", route);
        Assert.DoesNotContain("Sent via", route, StringComparison.OrdinalIgnoreCase);
        // The backup would have dumped it at once; the first relay's answer was read before the state changed.
        Assert.Empty(backup.ReadMessages());
    }

    private static async Task<ParleyHost> ParleyWithRelaysAsync(params (string Name, int Port, int Priority)[] relays)
    {
        var parley = await ParleyApi.ServeWithAliasDomainAsync();
        foreach (var (name, port, priority) in relays)
        {
            await parley.PostAsync("/api/v1/outgoing-servers", new { name, host = "127.0.0.1", port, security = "none", priority });
        }

        return parley;
    }

    private async Task<JsonElement> SendAndWaitAsync(ParleyHost parley, string record)
    {
        var message = await parley.SendEmailAndWaitAsync(record, "Hello");
        output.WriteLine(message.ToString());
        return message;
    }
}
