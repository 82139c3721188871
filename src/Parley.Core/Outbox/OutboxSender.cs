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
/// message to the SMTP client with a VERP envelope sender. When a relay cannot be had (no connection, a 4xx greeting,
/// TLS or login trouble: nothing was sent), the next relay that may send as the same From takes the message; a reply
/// to the message itself is final, so nothing is sent twice. Touches no database, so a batch's sends run concurrently.
/// </summary>
public sealed class OutboxSender(ISmtpDeliveryClient smtp, SecretProtector secrets, DkimSignerCache signers)
{
    public async Task<DeliveryAttempt> SendAsync(OutboxItem item, byte[]? raw, SendContext context, CancellationToken cancellationToken)
    {
        if (context.AliasDomain is not { } aliasDomain)
        {
            return NotSent(DeliveryOutcome.TransientFailure, "No alias domain is set. Set it in Settings; Parley will try again.", item, null);
        }

        if (raw is null)
        {
            return NotSent(DeliveryOutcome.PermanentFailure, "The message content is missing from the store.", item, null);
        }

        MimeMessage message;
        using (var stream = new MemoryStream(raw, writable: false))
        {
            message = await MimeMessage.LoadAsync(stream, cancellationToken);
        }

        var author = message.From.Mailboxes.First();
        var relays = context.Relays;
        if (item.OutgoingServerId is { } dedicated)
        {
            // A mailing's own server: bulk mail stays off the others, and does not fail over to them.
            relays = relays.Where(r => r.Id == dedicated).ToList();
            if (relays.Count == 0)
            {
                return NotSent(DeliveryOutcome.TransientFailure,
                    $"The outgoing server #{dedicated} chosen for this mailing no longer exists; add it again or cancel the mailing.", item, null);
            }
        }
        var route = RoutePlanner.Choose(author.Address, relays, context.SendingDomainNames, aliasDomain);
        if (route.FromRewritten)
        {
            message.From.Clear();
            message.From.Add(new MailboxAddress(author.Name, route.FromAddress));
        }
        try
        {
            if (context.SendingDomains.TryGetValue(EmailAddress.DomainOf(route.FromAddress), out var sendingDomain))
            {
                signers.Sign(message, sendingDomain.Name, sendingDomain.Keys);
            }
        }
        catch (InvalidOperationException e)
        {
            // A DKIM key that cannot be decrypted defers this email with the reason, instead of failing the whole batch.
            return NotSent(DeliveryOutcome.TransientFailure, e.Message, item, route.Describe([], route.Relays.FirstOrDefault(), sent: false));
        }
        var envelopeFrom = context.Bounces.For(item.Id, aliasDomain);
        if (route.Relays.Count == 0)
        {
            var direct = await smtp.SendDirectAsync(message, envelopeFrom, [item.Recipient], cancellationToken);
            return new DeliveryAttempt(direct, route.Describe([], null, direct.IsSent));
        }

        var failovers = new List<string>();
        for (var i = 0; ; i++)
        {
            var relay = route.Relays[i];
            var (result, problem) = await SendViaAsync(relay.Server, message, envelopeFrom, item, cancellationToken);
            if (result.IsSent || problem is null || i == route.Relays.Count - 1)
            {
                return new DeliveryAttempt(result, Bounded(route.Describe(failovers, relay, result.IsSent)));
            }

            failovers.Add($"relay \"{relay.Server.Name}\" {problem}");
        }
    }

    /// <returns>The result, and when nothing was sent and another relay may take the message, what went wrong (a clause).</returns>
    private async Task<(DeliveryResult Result, string? Problem)> SendViaAsync(
        OutgoingServer relay, MimeMessage message, string envelopeFrom, OutboxItem item, CancellationToken cancellationToken)
    {
        RelayEndpoint endpoint;
        try
        {
            endpoint = relay.ToEndpoint(secrets.PasswordOf(relay));
        }
        catch (InvalidOperationException e)
        {
            // The stored password cannot be decrypted: this relay cannot be used until it is entered again.
            var unusable = DeliveryResult.NotAttempted(DeliveryOutcome.TransientFailure, null, e.Message, [item.Recipient]);
            return (unusable, $"could not be used ({e.Message.TrimEnd('.')})");
        }
        var result = await smtp.SendAsync(endpoint, message, envelopeFrom, [item.Recipient], cancellationToken);
        if (!result.FailedBeforeTransaction)
        {
            return (result, null);
        }

        var reply = result.StatusCode == 0 ? result.ReplyText : $"{result.StatusCode} {result.ReplyText}";
        return (result, $"refused the connection ({reply.TrimEnd('.')})");
    }

    /// <summary>The route column holds 1,000 characters; failovers quote servers, whose words have no bound.</summary>
    private static string Bounded(string route) => route.Length <= 1000 ? route : route[..999] + "…";

    private static DeliveryAttempt NotSent(DeliveryOutcome outcome, string reason, OutboxItem item, string? route) =>
        new(DeliveryResult.NotAttempted(outcome, null, reason, [item.Recipient]), route);
}
