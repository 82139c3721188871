using System.Collections.Concurrent;
using Parley.Core.Outbound;
using Parley.Smtp.Delivery;

namespace Parley.Core.Tests.Fixtures;

/// <summary>Records every delivery attempt and answers with a scripted result.</summary>
public sealed class FakeMailTransport : IMailTransport
{
    public ConcurrentQueue<Attempt> Attempts { get; } = new();

    /// <summary>The answer to each attempt; default: 250 accepted.</summary>
    public Func<Attempt, DeliveryResult> Respond { get; set; } = _ => Answer(DeliveryOutcome.Sent, 250, "2.0.0 Ok: queued as TEST");

    /// <summary>Optional pause inside each attempt (to widen race windows).</summary>
    public TimeSpan Delay { get; set; }

    public async Task<DeliveryResult> SendAsync(RelayRoute? route, MimeKit.MimeMessage message, string envelopeFrom, IReadOnlyList<string> recipients, CancellationToken ct)
    {
        using var raw = new MemoryStream();
        await message.WriteToAsync(raw, ct);
        var attempt = new Attempt(route, raw.ToArray(), envelopeFrom, recipients.ToArray());
        Attempts.Enqueue(attempt);
        if (Delay > TimeSpan.Zero) await Task.Delay(Delay, ct);
        return Respond(attempt);
    }

    /// <summary>A server's reply to the whole transaction, as the SMTP client reports it.</summary>
    public static DeliveryResult Answer(DeliveryOutcome outcome, int code, string text) =>
        new(outcome, code, null, text, outcome == DeliveryOutcome.Sent ? DeliveryStage.Completed : DeliveryStage.Data, []);

    /// <param name="Route">The relay, or null for direct delivery to MX.</param>
    public sealed record Attempt(RelayRoute? Route, byte[] RawMime, string EnvelopeFrom, string[] Recipients);
}
