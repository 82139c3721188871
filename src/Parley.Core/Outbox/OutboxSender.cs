using MimeKit;
using Parley.Core.Common;
using Parley.Core.Domains;
using Parley.Core.Settings;
using Parley.Smtp.Delivery;

namespace Parley.Core.Outbox;

/// <summary>What one delivery attempt gave, and why it took its route (for the chatter).</summary>
public sealed record DeliveryAttempt(DeliveryResult Result, string? Route);

/// <summary>
/// The send step: chooses the route, rewrites From when no route may send as the author, DKIM-signs, and hands the
/// message to the SMTP client with a VERP envelope sender. Touches no database, so a batch's sends run concurrently.
/// </summary>
public sealed class OutboxSender(ISmtpDeliveryClient smtp, SecretProtector secrets, DkimSignerCache signers)
{
    public async Task<DeliveryAttempt> SendAsync(OutboxItem item, byte[]? raw, SendContext context, CancellationToken ct)
    {
        if (context.AliasDomain is not { } aliasDomain)
            return NotSent(DeliveryOutcome.TransientFailure, "No alias domain is set. Set it in Settings; Parley will try again.", item, null);
        if (raw is null)
            return NotSent(DeliveryOutcome.PermanentFailure, "The message content is missing from the store.", item, null);

        MimeMessage message;
        using (var stream = new MemoryStream(raw, writable: false)) message = await MimeMessage.LoadAsync(stream, ct);
        var author = message.From.Mailboxes.First();
        var route = RoutePlanner.Choose(author.Address, context.Relays, context.SendingDomainNames, aliasDomain);
        if (route.FromRewritten)
        {
            message.From.Clear();
            message.From.Add(new MailboxAddress(author.Name, route.FromAddress));
        }
        try
        {
            // Inside the try: a DKIM key or relay password that cannot be decrypted defers this email with the
            // reason, instead of failing the whole batch.
            if (context.SendingDomains.TryGetValue(EmailAddress.DomainOf(route.FromAddress), out var sendingDomain))
                signers.Sign(message, sendingDomain.Name, sendingDomain.Keys);
            var envelopeFrom = context.Bounces.For(item.Id, aliasDomain);
            var result = route.Relay is { } relay
                ? await smtp.SendAsync(relay.ToEndpoint(secrets.Unprotect(relay.ProtectedPassword, StoredSecret.RelayPassword(relay.Name))), message, envelopeFrom, [item.Recipient], ct)
                : await smtp.SendDirectAsync(message, envelopeFrom, [item.Recipient], ct);
            return new DeliveryAttempt(result, route.Explanation);
        }
        catch (InvalidOperationException e)
        {
            return NotSent(DeliveryOutcome.TransientFailure, e.Message, item, route.Explanation);
        }
    }

    private static DeliveryAttempt NotSent(DeliveryOutcome outcome, string reason, OutboxItem item, string? route) =>
        new(DeliveryResult.NotAttempted(outcome, null, reason, [item.Recipient]), route);
}
