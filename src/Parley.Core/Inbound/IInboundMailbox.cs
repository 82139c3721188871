using MimeKit;

namespace Parley.Core.Inbound;

/// <summary>
/// A special inbox on the alias domain (the spam-test inbox of a later issue plugs in here), part of the alias domain's
/// address space (<see cref="AliasDomainAddresses"/>). Resolved in the router's scope while routing, and in a scope of its
/// own at RCPT time.
/// </summary>
public interface IInboundMailbox
{
    /// <summary>
    /// Whether this inbox has the (lower-case) local part on the alias domain. Asked at RCPT time when the catchall
    /// policy refuses unknown addresses, so mail for the inbox is still accepted.
    /// </summary>
    ValueTask<bool> HasAddressAsync(string localPart, CancellationToken ct);

    /// <summary>Takes a message before the catchall policy; returns how it handled it, or null to pass it on.</summary>
    Task<string?> TryTakeAsync(InboundMessage inbound, MimeMessage message, IReadOnlyList<string> recipients, CancellationToken ct);
}
