using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Parley.Smtp.Tests.Support;
using Parley.Testing;

namespace Parley.Smtp.Tests.Listener;

/// <summary>The listener against swaks, a real SMTP client.</summary>
public sealed class SwaksListenerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Accepted_message_is_stored_byte_exact_after_dot_unstuffing()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 30, 0, TimeSpan.Zero));
        await using var server = await TestServer.StartAsync(output, timeProvider: clock);

        // swaks dot-stuffs lines that start with '.', and sends LF as CRLF.
        var data = "From: sender@client.test\nTo: a@parley.test\nSubject: dots\n\n.leading dot\n..two dots\n.\nlast line";
        var result = await SwaksAsync(new SwaksOptions { Port = server.Port, To = ["a@parley.test", "b@parley.test"], Data = data });

        Assert.Equal(0, result.ExitCode);
        var stored = Assert.Single(server.Store.Messages);
        Assert.Equal(data.Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n", stored.Content);
        Assert.Equal("sender@client.test", stored.Envelope.MailFrom);
        Assert.Equal(["a@parley.test", "b@parley.test"], stored.Envelope.Recipients);
        Assert.Equal("client.test", stored.Envelope.Helo);
        Assert.Equal(IPAddress.Loopback, stored.Envelope.ClientAddress);
        Assert.False(stored.Envelope.Tls);
        Assert.Equal(clock.GetUtcNow(), stored.Envelope.ReceivedAt);
        Assert.StartsWith("Received: from client.test ([127.0.0.1])\r\n\tby mx.parley.test (Parley) with ESMTP id ", stored.Text);
        Assert.Contains(";\r\n\tMon, 23 Nov 2026 10:30:00 +0000\r\n", stored.Text);
        Assert.Contains($"queued as {stored.QueueId}", result.Transcript);
    }

    [Fact]
    public async Task Foreign_domain_is_refused_as_relaying()
    {
        await using var server = await TestServer.StartAsync(output);

        var result = await SwaksAsync(new SwaksOptions { Port = server.Port, To = ["someone@elsewhere.test"], QuitAfter = "RCPT" });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("550 5.7.1 <someone@elsewhere.test>: Relay access denied", result.Transcript);
        Assert.Empty(server.Store.Messages);
    }

    [Fact]
    public async Task Unknown_local_user_is_refused()
    {
        await using var server = await TestServer.StartAsync(output);

        var result = await SwaksAsync(new SwaksOptions { Port = server.Port, To = ["unknown@parley.test"], QuitAfter = "RCPT" });

        Assert.Contains("550 5.1.1 <unknown@parley.test>: Recipient address rejected: User unknown", result.Transcript);
    }

    [Fact]
    public async Task Message_over_the_size_limit_gets_552_and_is_not_stored()
    {
        await using var server = await TestServer.StartAsync(output, o => o.MaxMessageSize = 10_000);

        var body = string.Join("\n", Enumerable.Repeat(new string('x', 76), 200));
        var result = await SwaksAsync(new SwaksOptions { Port = server.Port, Body = body });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("552 5.3.4", result.Transcript);
        Assert.Contains("250-SIZE 10000", result.Transcript);
        Assert.Empty(server.Store.Messages);
    }

    [Fact]
    public async Task Pipelined_envelope_from_swaks_is_answered_in_order()
    {
        await using var server = await TestServer.StartAsync(output);

        var result = await SwaksAsync(new SwaksOptions { Port = server.Port, Pipeline = true, To = ["a@parley.test"] });

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("250-PIPELINING", result.Transcript);
        Assert.Single(server.Store.Messages);
    }

    [Fact]
    public async Task StartTls_upgrades_the_session_and_the_envelope_says_so()
    {
        await using var server = await TestServer.StartAsync(output, o => o.Certificate = TestCertificates.SelfSigned);

        var result = await SwaksAsync(new SwaksOptions { Port = server.Port, StartTls = true, Headers = ["Subject: over tls"] });

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("250 STARTTLS", result.Transcript);
        Assert.Contains("220 2.0.0 Ready to start TLS", result.Transcript);
        var stored = Assert.Single(server.Store.Messages);
        Assert.True(stored.Envelope.Tls);
        Assert.Contains(" with ESMTPS id ", stored.Text);
    }

    [Fact]
    public async Task Null_sender_is_accepted()
    {
        await using var server = await TestServer.StartAsync(output);

        var result = await SwaksAsync(new SwaksOptions { Port = server.Port, From = "<>" });

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, Assert.Single(server.Store.Messages).Envelope.MailFrom);
    }

    private async Task<SwaksResult> SwaksAsync(SwaksOptions options)
    {
        var result = await Swaks.SendAsync(options);
        output.WriteLine($"swaks exit {result.ExitCode}:\n{result.Transcript}");
        return result;
    }
}
