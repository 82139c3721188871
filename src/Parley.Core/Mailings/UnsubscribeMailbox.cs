using MimeKit;
using Parley.Core.Chatter;
using Parley.Core.Inbound;

namespace Parley.Core.Mailings;

/// <summary>
/// The <c>mailto:</c> of List-Unsubscribe (<c>unsubscribe+TOKEN@alias-domain</c>), as a special inbox: an address with a
/// token whose signature holds is accepted at RCPT time (a forged one gets 550 like any unknown address), and a message
/// to it unsubscribes the recipient, whatever its subject or body say.
/// </summary>
public sealed class UnsubscribeMailbox(UnsubscribeService unsubscribe, ReplyAddressProvider tokens) : IInboundMailbox
{
    public async ValueTask<bool> HasAddressAsync(string localPart, CancellationToken cancellationToken) =>
        AliasDomainAddresses.UnsubscribeTokenOf(localPart) is { } token
        && new UnsubscribeToken(await tokens.GetSignerAsync(cancellationToken)).Parse(token) is not null;

    public async Task<InboxOutcome?> TryTakeAsync(InboundMessage inbound, MimeMessage message, IReadOnlyList<string> recipients, RouteContext context,
        CancellationToken cancellationToken)
    {
        var requests = recipients.Select(LocalPart).Select(l => l is null ? null : AliasDomainAddresses.UnsubscribeTokenOf(l)).OfType<string>().ToList();
        if (requests.Count == 0)
        {
            return null;
        }
        var done = new List<string>();
        foreach (var token in requests)
        {
            if (await unsubscribe.FindAsync(token, cancellationToken) is { } target)
            {
                await unsubscribe.ApplyAsync(target, "by mail", cancellationToken);
                done.Add(target.Address);
            }
        }
        return new InboxOutcome(done.Count == 0
            ? "An unsubscribe request by mail whose address is not valid (altered or expired); nothing changed."
            : $"Unsubscribe request by mail: {string.Join(", ", done)} will get no more mailings.");
    }

    private static string? LocalPart(string address)
    {
        var at = address.LastIndexOf('@');
        return at <= 0 ? null : address[..at].Trim().ToLowerInvariant();
    }
}
