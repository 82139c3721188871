using MimeKit;
using Parley.Core.Chatter;
using Parley.Core.Records;

namespace Parley.Core.Inbound;

/// <summary>
/// What a special inbox did with a message: in words for the inbound list, the timeline entry it added (saved by the
/// router), or that the message is unusable (it is then left unrouted, raw, with <paramref name="Description"/> as the reason).
/// </summary>
public sealed record InboxOutcome(string Description, (RecordRef Record, ChatterMessage Message)? Posted = null, bool Unusable = false);

/// <summary>
/// A special inbox: mail it takes never goes through normal routing (duplicates, bounces, replies, aliases, catchall).
/// Most own addresses on the alias domain (<see cref="AliasDomainAddresses"/>); <see cref="SpecialInboxes"/> owns the order
/// in which routing asks them. Resolved in the router's scope while routing, and in a scope of its own at RCPT time.
/// </summary>
public interface IInboundMailbox
{
    /// <summary>
    /// Whether this inbox has the (lower-case) local part on the alias domain. Asked at RCPT time when the catchall
    /// policy refuses unknown addresses, so mail for the inbox is still accepted.
    /// </summary>
    ValueTask<bool> HasAddressAsync(string localPart, CancellationToken cancellationToken);

    /// <summary>Takes a message before normal routing; returns what it did, or null to pass it on. Changes are tracked and saved by the router.</summary>
    Task<InboxOutcome?> TryTakeAsync(InboundMessage inbound, MimeMessage message, IReadOnlyList<string> recipients, RouteContext context, CancellationToken cancellationToken);
}
