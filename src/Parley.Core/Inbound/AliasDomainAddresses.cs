using Microsoft.EntityFrameworkCore;
using Parley.Core.Aliases;
using Parley.Core.Chatter;
using Parley.Core.Data;
using Parley.Core.Outbox;
using Parley.Core.Records;
using Parley.Core.Settings;

namespace Parley.Core.Inbound;

/// <summary>
/// The alias domain's address space, as read at one moment: which addresses on it exist and what each one is — the
/// local parts Parley uses itself (postmaster@, abuse@, notifications@), the signed reply and bounce addresses it hands
/// out, the aliases, and the addresses of special inboxes (<see cref="IInboundMailbox"/>). RCPT-time acceptance
/// (<see cref="RecipientAcceptance"/>) and routing (<see cref="InboundDestinations"/>, the bounce handling) both ask it;
/// nothing else decides it. Read once per routing pass, so an alias added meanwhile applies from the next pass on.
/// </summary>
public sealed class AliasDomainAddresses
{
    /// <summary>The mailbox every mail domain must have (RFC 5321 §4.5.1), also as a bare <c>RCPT TO:&lt;Postmaster&gt;</c>.</summary>
    public const string Postmaster = "postmaster";

    /// <summary>The mailto: address of a mailing's List-Unsubscribe is <c>unsubscribe+TOKEN@alias-domain</c>.</summary>
    public const string UnsubscribeLocalPrefix = "unsubscribe+";

    /// <summary>Local parts Parley uses itself: no alias may take them (nor any with a "+", the token separator).</summary>
    private static readonly string[] Reserved =
        [ReplyAddress.LocalPrefix.TrimEnd('+'), BounceAddress.LocalPrefix.TrimEnd('+'), UnsubscribeLocalPrefix.TrimEnd('+'), RoutePlanner.NotificationsLocalPart, Postmaster, "mailer-daemon",
            .. Reports.ReportsInbox.LocalParts];

    /// <summary>Local parts that exist whatever the aliases (abuse@: RFC 2142); what arrives there waits for an admin.</summary>
    private static readonly string[] AlwaysThere = [Postmaster, "abuse", RoutePlanner.NotificationsLocalPart];

    private readonly ReplyAddress _replies;
    private readonly BounceAddress _bounces;
    private readonly Dictionary<string, MailAlias> _aliases;

    private AliasDomainAddresses(string? domain, ReplyAddress replies, BounceAddress bounces, Dictionary<string, MailAlias> aliases)
    {
        Domain = domain;
        _replies = replies;
        _bounces = bounces;
        _aliases = aliases;
    }

    /// <summary>The alias domain; null until an admin sets one (nothing is on it then).</summary>
    public string? Domain { get; }

    public static async Task<AliasDomainAddresses> ReadAsync(ParleyDbContext db, SettingsService settings, ReplyAddressProvider tokens, CancellationToken cancellationToken)
    {
        var domain = await settings.GetAliasDomainAsync(cancellationToken);
        var aliases = (await db.Aliases.AsNoTracking().ToListAsync(cancellationToken)).ToDictionary(a => a.LocalPart, StringComparer.Ordinal);
        return new AliasDomainAddresses(domain, await tokens.GetAsync(cancellationToken), await tokens.GetBounceAsync(cancellationToken), aliases);
    }

    /// <summary>Whether a (lower-case) local part is Parley's own, so that no alias may take it (test-… is the spam-test inbox's).</summary>
    public static bool IsReserved(string localPart) =>
        Reserved.Contains(localPart) || localPart.Contains('+') || localPart.StartsWith(SpamTest.SpamTestAddress.LocalPrefix, StringComparison.Ordinal);

    /// <summary>The local part, in lower case, of an address on the alias domain; null for an address anywhere else.</summary>
    public string? LocalPartOf(string address)
    {
        var trimmed = address.Trim();
        var at = trimmed.LastIndexOf('@');
        if (Domain is null || at <= 0)
        {
            return null;
        }
        // A final dot names the same domain (a fully qualified name).
        var domain = trimmed.AsSpan(at + 1).TrimEnd('.');
        return domain.Equals(Domain, StringComparison.OrdinalIgnoreCase) ? trimmed[..at].ToLowerInvariant() : null;
    }

    /// <summary>The List-Unsubscribe mailto: address carrying an unsubscribe token.</summary>
    public static string UnsubscribeAddress(string token, string aliasDomain) => $"{UnsubscribeLocalPrefix}{token}@{aliasDomain}";

    /// <summary>The unsubscribe token of a (lower-case) local part, or null when it is no unsubscribe address (the
    /// token's signature is the unsubscribe inbox's to check).</summary>
    public static string? UnsubscribeTokenOf(string localPart) =>
        localPart.StartsWith(UnsubscribeLocalPrefix, StringComparison.Ordinal) ? localPart[UnsubscribeLocalPrefix.Length..] : null;

    /// <summary>The alias with this local part, or null.</summary>
    public MailAlias? AliasOf(string localPart) => _aliases.GetValueOrDefault(localPart);

    /// <summary>
    /// The record a signed reply address names, on whatever domain: an address handed out before the alias domain
    /// changed still threads its reply.
    /// </summary>
    public RecordRef? ThreadOf(string address) => _replies.Parse(address);

    /// <summary>The outbox row a signed bounce (VERP) address names, on whatever domain.</summary>
    public long? BouncedOutboxItemOf(string address) => _bounces.Parse(address);

    /// <summary>The reply address of a record's thread on the alias domain (which must be set).</summary>
    public string ReplyAddressFor(RecordRef record) =>
        _replies.For(record, Domain ?? throw new InvalidOperationException("No alias domain is set."));

    /// <summary>
    /// Whether an address on the alias domain is one Parley knows without asking the special inboxes: its own local
    /// parts, an alias, or a reply or bounce address whose signature holds (a forged one is not known).
    /// </summary>
    public bool Knows(string address)
    {
        if (LocalPartOf(address) is not { } local)
        {
            return false;
        }

        return AlwaysThere.Contains(local) || _aliases.ContainsKey(local) || ThreadOf(address) is not null || BouncedOutboxItemOf(address) is not null;
    }

    /// <summary>Whether one of the special inboxes has this address on the alias domain.</summary>
    public async ValueTask<bool> InSpecialInboxAsync(string address, IEnumerable<IInboundMailbox> mailboxes, CancellationToken cancellationToken)
    {
        if (LocalPartOf(address) is not { } local)
        {
            return false;
        }

        foreach (var mailbox in mailboxes)
        {
            if (await mailbox.HasAddressAsync(local, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }
}
