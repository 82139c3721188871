using System.Text;
using Parley.Smtp.Delivery;
using Parley.Smtp.Tests.Support;
using Parley.Testing;

namespace Parley.Smtp.Tests.Delivery;

/// <summary>
/// A relay that offers AUTH on an unencrypted connection must not get the password unless the admin allowed it or
/// the relay is on this machine. The relay below listens on 127.0.0.1, so a test reaches it under a real-looking name
/// through <see cref="SmtpDeliveryOptions.RelayHostAddresses"/>: loopback is exempt by name, and naming it by its IP
/// would test the exemption instead of the refusal.
/// </summary>
public sealed class PlainTextLoginTests(ITestOutputHelper output)
{
    private const string Password = "S3cr3t-Pa55word";
    private const string RelayName = "relay.example.com";

    [Fact]
    public async Task A_send_over_plain_text_to_a_named_relay_is_deferred_and_the_password_never_crosses_the_wire()
    {
        await using var relay = PlainAuthRelay.Start();

        var result = await Client().SendAsync(Named(relay), DeliveryClientTests.Message("x"), "sender@parley.test", ["a@customer.test"], CancellationToken.None);

        Assert.Equal(DeliveryOutcome.TransientFailure, result.Outcome);
        Assert.Equal(DeliveryStage.Authenticate, result.Stage);
        Assert.Equal(
            "Parley did not send the password to relay.example.com because the connection is not encrypted: choose STARTTLS or TLS, or allow plain-text login.",
            result.Response);
        Assert.Equal(1, relay.Sessions); // it did connect: the refusal, not a connection error, stopped it
        AssertNoSecret(relay.Received);
    }

    [Fact]
    public async Task The_relay_test_shows_the_same_refusal()
    {
        await using var relay = PlainAuthRelay.Start();

        var result = await Client().TestConnectionAsync(Named(relay), "sender@parley.test", "a@customer.test", CancellationToken.None);

        output.WriteLine(string.Join('\n', result.Transcript));
        Assert.False(result.Success);
        Assert.Contains("did not send the password to relay.example.com", result.Response);
        Assert.Contains("allow plain-text login", result.Response);
        Assert.DoesNotContain(result.Transcript, l => l.StartsWith("C: AUTH", StringComparison.Ordinal));
        AssertNoSecret(relay.Received);
    }

    [Fact]
    public async Task An_admin_who_allows_plain_text_login_gets_it()
    {
        await using var relay = PlainAuthRelay.Start();

        var result = await Client().SendAsync(Named(relay) with { AllowPlainTextLogin = true }, DeliveryClientTests.Message("x"), "sender@parley.test", ["a@customer.test"], CancellationToken.None);

        Assert.True(result.IsSent, result.Response);
        Assert.Contains("AUTH ", relay.Received);
    }

    [Fact]
    public async Task A_relay_named_by_a_loopback_address_gets_the_login_without_being_allowed()
    {
        await using var relay = PlainAuthRelay.Start();

        var result = await Client().SendAsync(Named(relay) with { Host = "127.0.0.1" }, DeliveryClientTests.Message("x"), "sender@parley.test", ["a@customer.test"], CancellationToken.None);

        Assert.True(result.IsSent, result.Response);
        Assert.Contains("AUTH ", relay.Received);
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("LOCALHOST.", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("::1", true)]
    [InlineData("[::1]", true)]
    [InlineData("relay.example.com", false)]
    [InlineData("localhost.example.com", false)]
    [InlineData("10.0.0.1", false)]
    public void Loopback_is_judged_by_the_configured_name(string host, bool loopback) =>
        Assert.Equal(loopback, PlainTextLoginRefusedException.IsLoopback(host));

    private SmtpDeliveryClient Client() =>
        DeliveryClients.Create(output, o => o.RelayHostAddresses[RelayName] = "127.0.0.1");

    private static RelayEndpoint Named(PlainAuthRelay relay) => new(RelayName, relay.Port, SmtpSecurity.None, "relay-user", Password);

    private static void AssertNoSecret(string wire)
    {
        Assert.Contains("EHLO", wire);
        Assert.DoesNotContain("AUTH", wire);
        Assert.DoesNotContain(Password, wire);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0relay-user\0{Password}")), wire);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Password)), wire);
    }
}
