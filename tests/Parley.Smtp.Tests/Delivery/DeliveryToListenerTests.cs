using Parley.Smtp.Delivery;
using Parley.Smtp.Tests.Support;

namespace Parley.Smtp.Tests.Delivery;

/// <summary>The delivery client against Parley's own listener: per-recipient outcomes and TLS.</summary>
public sealed class DeliveryToListenerTests(ITestOutputHelper output)
{
    private readonly DeliveryClientTests _helpers = new(output);

    [Fact]
    public async Task Some_recipients_refused_others_delivered()
    {
        await using var server = await TestServer.StartAsync(output);

        var result = await _helpers.Client().SendAsync(
            DeliveryClients.Relay(server.Port),
            DeliveryClientTests.Message("partial"), "sender@client.test",
            ["ok@parley.test", "unknown@parley.test", "far@elsewhere.test"], CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        Assert.Matches(@"^Ok: queued as Q1$", result.Response[(result.EnhancedStatus!.Length + 1)..]);
        Assert.Collection(
            result.Recipients,
            r => Assert.Equal((DeliveryOutcome.Sent, 250), (r.Outcome, r.StatusCode)),
            r => Assert.Equal((DeliveryOutcome.PermanentFailure, 550, "5.1.1"), (r.Outcome, r.StatusCode, r.EnhancedStatus)),
            r => Assert.Equal((DeliveryOutcome.PermanentFailure, 550, "5.7.1"), (r.Outcome, r.StatusCode, r.EnhancedStatus)));
        Assert.Contains("Relay access denied", result.Recipients[2].Response);
        Assert.Equal(["ok@parley.test"], Assert.Single(server.Store.Messages).Envelope.Recipients);
    }

    [Fact]
    public async Task StartTls_required_with_a_self_signed_relay_certificate()
    {
        await using var server = await TestServer.StartAsync(output, o => o.Certificate = TestCertificates.SelfSigned);
        var relay = DeliveryClients.Relay(server.Port) with { Security = SmtpSecurity.StartTls, ValidateCertificate = false };

        var result = await _helpers.Client().SendAsync(relay, DeliveryClientTests.Message("tls"), "sender@client.test", ["ok@parley.test"], CancellationToken.None);

        Assert.True(result.IsSent, result.Response);
        Assert.True(Assert.Single(server.Store.Messages).Envelope.Tls);
    }

    [Fact]
    public async Task Untrusted_certificate_is_a_transient_failure_when_validation_is_on()
    {
        await using var server = await TestServer.StartAsync(output, o => o.Certificate = TestCertificates.SelfSigned);
        var relay = DeliveryClients.Relay(server.Port) with { Security = SmtpSecurity.StartTls };

        var result = await _helpers.Client().SendAsync(relay, DeliveryClientTests.Message("tls"), "sender@client.test", ["ok@parley.test"], CancellationToken.None);

        Assert.Equal(DeliveryOutcome.TransientFailure, result.Outcome);
        Assert.Equal(DeliveryStage.Connect, result.Stage);
        Assert.Empty(server.Store.Messages);
        output.WriteLine(result.Response);
    }
}
