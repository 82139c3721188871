using Microsoft.EntityFrameworkCore;
using MimeKit;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Inbound;
using static Parley.Core.Common.TextLimit;

namespace Parley.Core.SpamTest;

/// <summary>Wakes the spam-test scorer as soon as a test message is kept.</summary>
public sealed class SpamTestSignal : WorkSignal;

/// <summary>
/// The spam-test inbox on the alias domain (<see cref="IInboundMailbox"/>): a live test address exists at RCPT time;
/// a message to any test address (live or expired) is taken before every other routing rule (<see cref="SpecialInboxes"/>), so it never reaches a
/// chatter whatever its authentication, duplicate Message-ID or In-Reply-To. A live test keeps it for scoring
/// (<see cref="SpamTestMessage"/>, scored by <see cref="SpamTestWorker"/>); an expired one keeps it unscored.
/// </summary>
public sealed class SpamTestInbox(ParleyDbContext db, TimeProvider clock, SpamTestSignal signal) : IInboundMailbox
{
    public async ValueTask<bool> HasAddressAsync(string localPart, CancellationToken cancellationToken)
    {
        if (SpamTestAddress.TokenOf(localPart) is not { } token)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        return await db.Set<SpamTestAddress>().AnyAsync(t => t.Token == token && t.ExpiresAt > now, cancellationToken);
    }

    public async Task<InboxOutcome?> TryTakeAsync(InboundMessage inbound, MimeMessage message, IReadOnlyList<string> recipients, RouteContext context,
        CancellationToken cancellationToken)
    {
        var tokens = recipients.Select(LocalPart).OfType<string>().Select(SpamTestAddress.TokenOf).OfType<string>().Distinct().ToList();
        if (tokens.Count == 0)
        {
            return null;
        }

        var tests = await db.Set<SpamTestAddress>().Where(t => tokens.Contains(t.Token)).ToListAsync(cancellationToken);
        if (tests.Count == 0)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var kept = new List<string>();
        var expired = new List<string>();
        foreach (var test in tests)
        {
            if (test.ExpiresAt <= now)
            {
                expired.Add(test.LocalPart + "@");
                continue;
            }

            db.Set<SpamTestMessage>().Add(new SpamTestMessage
            {
                SpamTestAddressId = test.Id,
                InboundMessageId = inbound.Id,
                ReceivedAt = inbound.ReceivedAt,
                FromAddress = Truncate(message.From.Mailboxes.FirstOrDefault()?.Address, 254),
                Subject = Truncate(message.Subject, 500),
            });
            test.LastReceivedAt = inbound.ReceivedAt;
            test.SendingDomain = Truncate(message.From.Mailboxes.FirstOrDefault()?.Domain?.ToLowerInvariant(), 253);
            kept.Add(test.LocalPart + "@");
        }

        // The scorer also polls: a wake-up before this routing chunk commits only makes it look once more.
        signal.Notify();
        return new InboxOutcome(kept.Count > 0
            ? $"Spam test {string.Join(", ", kept)}: kept for its report, not posted to any chatter."
            : $"Spam test {string.Join(", ", expired)} has expired: kept, not scored, not posted to any chatter.");
    }

    private static string? LocalPart(string address)
    {
        var at = address.Trim().LastIndexOf('@');
        return at > 0 ? address.Trim()[..at].ToLowerInvariant() : null;
    }
}
