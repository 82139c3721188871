using System.Collections.Concurrent;
using MimeKit;
using Parley.Smtp.Delivery;

namespace Parley.Core.Tests.Fixtures;

/// <summary>The SMTP client as the outbox uses it: records every delivery attempt and answers with a scripted result.</summary>
public sealed class FakeDeliveryClient : ISmtpDeliveryClient
{
    public ConcurrentQueue<Attempt> Attempts { get; } = new();

    /// <summary>The answer to each attempt; default: 250 accepted.</summary>
    public Func<Attempt, DeliveryResult> Respond { get; set; } = _ => Answer(DeliveryOutcome.Sent, 250, "2.0.0 Ok: queued as TEST");

    /// <summary>Optional pause inside each attempt (to widen race windows).</summary>
    public TimeSpan Delay { get; set; }

    public Task<DeliveryResult> SendAsync(RelayEndpoint relay, MimeMessage message, string envelopeFrom, IReadOnlyList<string> recipients, CancellationToken cancellationToken) =>
        RecordAsync(relay, message, envelopeFrom, recipients, cancellationToken);

    public Task<DeliveryResult> SendDirectAsync(MimeMessage message, string envelopeFrom, IReadOnlyList<string> recipients, CancellationToken cancellationToken) =>
        RecordAsync(null, message, envelopeFrom, recipients, cancellationToken);

    public Task<IReadOnlyList<DeliveryResult>> SendManyAsync(IReadOnlyList<DeliveryRequest> requests, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The outbox sends one message per call.");

    public Task<ConnectionTestResult> TestConnectionAsync(RelayEndpoint relay, string envelopeFrom, string recipient, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Core does not test connections.");

    /// <summary>A server's reply to the whole transaction, as the SMTP client reports it.</summary>
    public static DeliveryResult Answer(DeliveryOutcome outcome, int code, string text) =>
        new(outcome, code, null, text, outcome == DeliveryOutcome.Sent ? DeliveryStage.Completed : DeliveryStage.Data, []);

    private async Task<DeliveryResult> RecordAsync(
        RelayEndpoint? relay, MimeMessage message, string envelopeFrom, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        using var raw = new MemoryStream();
        await message.WriteToAsync(raw, cancellationToken);
        var attempt = new Attempt(relay, raw.ToArray(), envelopeFrom, recipients.ToArray());
        Attempts.Enqueue(attempt);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, cancellationToken);
        }

        return Respond(attempt);
    }

    /// <param name="Relay">The outgoing server, or null for direct delivery to MX.</param>
    public sealed record Attempt(RelayEndpoint? Relay, byte[] RawMime, string EnvelopeFrom, string[] Recipients);
}
