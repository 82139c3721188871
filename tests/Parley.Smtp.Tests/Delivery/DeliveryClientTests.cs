using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Parley.Smtp.Delivery;
using Parley.Smtp.Tests.Support;
using Parley.Testing;

namespace Parley.Smtp.Tests.Delivery;

/// <summary>The MailKit delivery client against postfix's smtp-sink, with its fault switches.</summary>
public sealed class DeliveryClientTests(ITestOutputHelper output)
{
    private readonly TestOutputLoggerFactory _logs = new(output, LogLevel.Trace);

    [Fact]
    public async Task Message_is_sent_and_the_sink_dumps_it()
    {
        await using var sink = await SmtpSinkPeer.StartAsync();

        var result = await Client().SendAsync(DeliveryClients.Relay(sink), Message("Quotation Q-42"), "sender@parley.test", ["a@customer.test", "b@customer.test"], CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        Assert.Equal(250, result.StatusCode);
        Assert.Equal("2.0.0", result.EnhancedStatus);
        Assert.Equal(DeliveryStage.Completed, result.Stage);
        Assert.All(result.Recipients, r => Assert.Equal(DeliveryOutcome.Sent, r.Outcome));
        var dumped = Assert.Single(await sink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(5)));
        Assert.Equal("sender@parley.test", dumped.MailFrom);
        Assert.Equal(["a@customer.test", "b@customer.test"], dumped.Recipients);
        Assert.Contains("Subject: Quotation Q-42", dumped.Message);
        Assert.Contains("Hello from Parley.", dumped.Message);
    }

    [Fact]
    public async Task Null_sender_is_sent_as_empty_reverse_path()
    {
        await using var sink = await SmtpSinkPeer.StartAsync();

        var result = await Client().SendAsync(DeliveryClients.Relay(sink), Message("bounce"), string.Empty, ["a@customer.test"], CancellationToken.None);

        Assert.True(result.IsSent, result.Response);
        Assert.Equal(string.Empty, Assert.Single(await sink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(5))).MailFrom);
    }

    [Fact]
    public async Task Soft_rejected_recipients_are_a_transient_failure_with_the_sinks_words()
    {
        await using var sink = await SmtpSinkPeer.StartAsync(new SmtpSinkOptions { SoftReject = ["RCPT"] });

        var result = await Client().SendAsync(DeliveryClients.Relay(sink), Message("x"), "sender@parley.test", ["a@customer.test"], CancellationToken.None);

        Assert.Equal(DeliveryOutcome.TransientFailure, result.Outcome);
        Assert.Equal(DeliveryStage.RcptTo, result.Stage);
        Assert.InRange(result.StatusCode, 400, 499);
        Assert.False(string.IsNullOrWhiteSpace(result.Response));
        var recipient = Assert.Single(result.Recipients);
        Assert.Equal(DeliveryOutcome.TransientFailure, recipient.Outcome);
        Assert.Equal(result.Response, recipient.Response);
        output.WriteLine($"sink said: {result.StatusCode} {result.EnhancedStatus} {result.Response}");
    }

    [Fact]
    public async Task Hard_rejected_recipients_are_a_permanent_failure()
    {
        await using var sink = await SmtpSinkPeer.StartAsync(new SmtpSinkOptions { HardReject = ["RCPT"] });

        var result = await Client().SendAsync(DeliveryClients.Relay(sink), Message("x"), "sender@parley.test", ["a@customer.test", "b@customer.test"], CancellationToken.None);

        Assert.Equal(DeliveryOutcome.PermanentFailure, result.Outcome);
        Assert.Equal(DeliveryStage.RcptTo, result.Stage);
        Assert.InRange(result.StatusCode, 500, 599);
        Assert.All(result.Recipients, r => Assert.Equal(DeliveryOutcome.PermanentFailure, r.Outcome));
        Assert.Empty(sink.ReadMessages());
    }

    [Fact]
    public async Task Hard_rejected_data_is_a_permanent_failure()
    {
        await using var sink = await SmtpSinkPeer.StartAsync(new SmtpSinkOptions { HardReject = ["DATA"] });

        var result = await Client().SendAsync(DeliveryClients.Relay(sink), Message("x"), "sender@parley.test", ["a@customer.test"], CancellationToken.None);

        Assert.Equal(DeliveryOutcome.PermanentFailure, result.Outcome);
        Assert.Equal(DeliveryStage.Data, result.Stage);
        Assert.InRange(result.StatusCode, 500, 599);
        Assert.Equal(DeliveryOutcome.PermanentFailure, Assert.Single(result.Recipients).Outcome);
    }

    [Fact]
    public async Task Hang_up_at_data_is_a_transient_failure()
    {
        await using var sink = await SmtpSinkPeer.StartAsync(new SmtpSinkOptions { HangUp = ["DATA"] });

        var result = await Client().SendAsync(DeliveryClients.Relay(sink), Message("x"), "sender@parley.test", ["a@customer.test"], CancellationToken.None);

        Assert.Equal(DeliveryOutcome.TransientFailure, result.Outcome);
        Assert.Equal(0, result.StatusCode);
        Assert.Equal(DeliveryStage.Data, result.Stage);
        output.WriteLine($"reported: {result.Response}");
    }

    [Fact]
    public async Task Connection_refused_is_a_transient_failure()
    {
        var closedPort = FreePort.GetClosed();

        var result = await Client().SendAsync(
            DeliveryClients.Relay(closedPort), Message("x"), "sender@parley.test", ["a@customer.test"], CancellationToken.None);

        Assert.Equal(DeliveryOutcome.TransientFailure, result.Outcome);
        Assert.Equal(DeliveryStage.Connect, result.Stage);
        Assert.Equal(0, result.StatusCode);
        Assert.Contains("refused", result.Response, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task StartTls_required_but_not_offered_is_a_transient_failure()
    {
        await using var sink = await SmtpSinkPeer.StartAsync();

        var result = await Client().SendAsync(DeliveryClients.Relay(sink) with { Security = SmtpSecurity.StartTls }, Message("x"), "sender@parley.test", ["a@customer.test"], CancellationToken.None);

        Assert.Equal(DeliveryOutcome.TransientFailure, result.Outcome);
        Assert.Equal(DeliveryStage.Connect, result.Stage);
        Assert.Contains("STARTTLS", result.Response, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Auth_secrets_never_reach_the_protocol_log()
    {
        // smtp-sink answers AUTH with 250 instead of 235, which MailKit treats as a failed login.
        await using var sink = await SmtpSinkPeer.StartAsync();
        const string password = "S3cr3t-Pa55word";

        var result = await Client().TestConnectionAsync(
            DeliveryClients.Relay(sink) with { Username = "relay-user", Password = password }, "sender@parley.test", "a@customer.test", CancellationToken.None);

        output.WriteLine(string.Join('\n', result.Transcript));
        Assert.Contains(result.Transcript, l => l.StartsWith("C: AUTH ", StringComparison.Ordinal));
        Assert.Contains(result.Transcript, l => l.Contains("********", StringComparison.Ordinal));
        var plain = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"\0relay-user\0{password}"));
        var everything = string.Join('\n', result.Transcript.Concat(_logs.Lines));
        Assert.DoesNotContain(password, everything);
        Assert.DoesNotContain(plain, everything);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(password)), everything);
    }

    [Fact]
    public async Task Test_connection_succeeds_against_the_sink_without_sending()
    {
        await using var sink = await SmtpSinkPeer.StartAsync();

        var result = await Client().TestConnectionAsync(DeliveryClients.Relay(sink), "sender@parley.test", "a@customer.test", CancellationToken.None);

        output.WriteLine(string.Join('\n', result.Transcript));
        Assert.True(result.Success, result.Response);
        Assert.Equal(DeliveryStage.Completed, result.Stage);
        Assert.Equal(250, result.StatusCode);
        Assert.Contains(result.Transcript, l => l == "C: RCPT TO:<a@customer.test>");
        Assert.Contains(result.Transcript, l => l == "C: QUIT");
        Assert.DoesNotContain(result.Transcript, l => l == "C: DATA");
        Assert.Empty(sink.ReadMessages());
    }

    [Fact]
    public async Task Test_connection_reports_a_refused_recipient()
    {
        await using var sink = await SmtpSinkPeer.StartAsync(new SmtpSinkOptions { HardReject = ["RCPT"] });

        var result = await Client().TestConnectionAsync(DeliveryClients.Relay(sink), "sender@parley.test", "a@customer.test", CancellationToken.None);

        Assert.False(result.Success);
        Assert.Equal(DeliveryOutcome.PermanentFailure, result.Outcome);
        Assert.Equal(DeliveryStage.RcptTo, result.Stage);
        Assert.InRange(result.StatusCode, 500, 599);
    }

    [Fact]
    public async Task Test_connection_reports_connection_refused()
    {
        var result = await Client().TestConnectionAsync(
            DeliveryClients.Relay(FreePort.GetClosed()), "sender@parley.test", "a@customer.test", CancellationToken.None);

        Assert.False(result.Success);
        Assert.Equal(DeliveryOutcome.TransientFailure, result.Outcome);
        Assert.Equal(DeliveryStage.Connect, result.Stage);
    }

    internal SmtpDeliveryClient Client() =>
        new(Options.Create(new SmtpDeliveryOptions { HeloName = "out.parley.test", Timeout = TimeSpan.FromSeconds(10) }), new TestLogger<SmtpDeliveryClient>(_logs));


    internal static MimeMessage Message(string subject)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Parley", "sender@parley.test"));
        message.To.Add(new MailboxAddress("Customer", "a@customer.test"));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = "Hello from Parley.\n.A line with a leading dot.\n" };
        return message;
    }
}
