using Parley.Core.Common;
using Parley.Core.Domains;
using Parley.Core.Outbox;
using Parley.Core.Settings;

namespace Parley.Core.Templates;

/// <summary>
/// A template's From override must be an address some route may send as — a relay whose from filter allows it, or direct
/// delivery as a registered sending domain — as <see cref="RoutePlanner"/> decides at send time. Otherwise every email
/// would leave rewritten to notifications@, so the override is refused at save, with the planner's reason.
/// </summary>
public sealed class FromOverrideCheck(OutgoingServerService servers, SendingDomainService domains, SettingsService settings)
{
    /// <returns>The name and address to store (null for none).</returns>
    public async Task<(string? Name, string? Address)> CheckAsync(string? name, string? address, CancellationToken cancellationToken)
    {
        var trimmedName = string.IsNullOrWhiteSpace(name) ? null : TextLimit.Truncate(name.Trim(), 200);
        if (string.IsNullOrWhiteSpace(address))
        {
            return (trimmedName, null);
        }
        var normalized = EmailAddress.Normalize(address)
            ?? throw new InvalidInputException("fromAddress", $"\"{address.Trim()}\" is not an email address.");
        var aliasDomain = await settings.GetAliasDomainAsync(cancellationToken) ?? "alias-domain.invalid";
        var sending = (await domains.ListAsync(cancellationToken)).Select(d => d.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var route = RoutePlanner.Choose(normalized, await servers.ListAsync(cancellationToken), sending, aliasDomain);
        if (route.FromRewritten)
        {
            throw new InvalidInputException("fromAddress",
                $"No route may send as {normalized}: {route.FromNote} Add it to a relay's from filter, or register its domain, first.");
        }
        return (trimmedName, normalized);
    }
}
