using MimeKit;

namespace Parley.Core.Inbound;

/// <summary>
/// A special inbox on the alias domain that takes messages before the catchall policy (the spam-test
/// inbox of a later issue plugs in here). Returns how it handled the message, or null to pass it on.
/// </summary>
public interface IInboundMailbox
{
    Task<string?> TryTakeAsync(InboundMessage inbound, MimeMessage message, IReadOnlyList<string> recipients, CancellationToken ct);
}
