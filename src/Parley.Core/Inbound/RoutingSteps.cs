using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MimeKit;
using Parley.Core.Chatter;
using Parley.Core.Data;
using Parley.Core.Followers;
using Parley.Core.Inbound.Bounces;
using Parley.Core.Records;
using static Parley.Core.Common.TextLimit;

namespace Parley.Core.Inbound;

/// <summary>What the router knows for a whole batch.</summary>
public sealed record RouteContext(AliasDomainAddresses Addresses, InboundSettings Settings, RouteLookups Lookups, KnownMessageIds Known);

/// <summary>A message as the router prepared it before any write: parsed (else why not) and authenticated.</summary>
public sealed record PreparedMessage(MimeMessage? Mime, string? ParseError, InboundAuthentication? Auth);

/// <summary>Chatter entries that routing one message changed: existing ones by id, new ones (ids known once saved) by reference.</summary>
public sealed record RouteResult(
    IReadOnlyList<(RecordRef Record, long MessageId)> Changed, IReadOnlyList<(RecordRef Record, ChatterMessage Message)> Posted, bool QueuedMail)
{
    public static RouteResult None { get; } = new([], [], false);
}

/// <summary>
/// The routing rules for one stored message, in order: a special inbox's? (spam test, complaint, unsubscribe, in the order
/// <see cref="SpecialInboxes"/> gives and explains) → duplicate? → bounce? → loop protection → destination
/// (reply, alias, catchall: <see cref="InboundDestinations"/>) → post to the chatter → forward to followers. The
/// first step that decides ends it; every outcome is written on the row (status, route or reason), raw bytes untouched.
/// Changes are tracked and saved by the caller. A step that has to save earlier (a new contact, attachments, the post
/// before a forward) awaits <c>beforeWrite</c> first, which is all it knows of how the caller writes.
/// </summary>
public sealed partial class RoutingSteps(
    ParleyDbContext db,
    BounceProcessor bounces,
    SpecialInboxes specialInboxes,
    InboundDestinations destinations,
    InboundPoster poster,
    FollowerNotifier followers,
    Mailings.MailingReplies mailingReplies,
    TimeProvider clock,
    ILogger<RoutingSteps> logger)
{
    public async Task<RouteResult> RouteAsync(InboundMessage inbound, PreparedMessage prepared, RouteContext context,
        Func<CancellationToken, Task> beforeWrite, CancellationToken cancellationToken)
    {
        var result = await StepsAsync(inbound, prepared, context, beforeWrite, cancellationToken);
        context.Known.Routed(inbound);
        return result;
    }

    /// <summary>The routing of <paramref name="inbound"/> was rolled back: what it taught the batch is forgotten.</summary>
    public static void RolledBack(InboundMessage inbound, RouteContext context)
    {
        context.Lookups.ForgetContacts();
        context.Known.Forget(inbound);
    }

    private async Task<RouteResult> StepsAsync(InboundMessage inbound, PreparedMessage prepared, RouteContext context,
        Func<CancellationToken, Task> beforeWrite, CancellationToken cancellationToken)
    {
        if (prepared.Mime is not { } mime)
        {
            return Unrouted(inbound, prepared.ParseError!);
        }

        var recipients = inbound.Recipients.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var sender = Identify(inbound, mime);

        inbound.AuthenticationResults = Truncate(prepared.Auth!.Header, 2000);
        if (await SpecialInboxAsync(inbound, mime, recipients, context, cancellationToken) is { } taken)
        {
            return taken;
        }

        if (IsDuplicate(inbound, context.Known))
        {
            return RouteResult.None;
        }

        if (await BounceAsync(inbound, mime, recipients, context, cancellationToken) is { } bounce)
        {
            return bounce;
        }

        if (await IsLoopLimitedAsync(inbound, context.Settings, cancellationToken))
        {
            return RouteResult.None;
        }

        var automatic = AutoSubmitted.Reason(mime);
        var doubt = SenderTrust.Doubt(prepared.Auth, context.Settings.SenderVerification);
        var destination = await destinations.FindAsync(inbound, mime, recipients, context, automatic, doubt, beforeWrite, cancellationToken);
        if (destination.Record is not { } record)
        {
            return Unrouted(inbound, destination.Why);
        }

        var message = await poster.PostAsync(inbound, mime, record, inbound.AuthenticationResults, cancellationToken, beforeWrite);
        if (destination.Answers is { } answered)
        {
            await mailingReplies.RepliedAsync(answered, cancellationToken);
        }

        inbound.Route = Truncate(destination.Why, 1000);
        var forward = automatic is null ? await ForwardToFollowersAsync(record, message, sender, context, beforeWrite, cancellationToken) : null;
        return forward is null
            ? new RouteResult([], [(record, message)], false)
            : new RouteResult([], [(record, message), (record, forward)], true);
    }

    /// <summary>The row's Message-ID and sender (the From address, else MAIL FROM), as loop protection counts it.</summary>
    private static string Identify(InboundMessage inbound, MimeMessage mime)
    {
        inbound.MessageId = Truncate(mime.MessageId, InboundMessage.MaxMessageIdLength);
        var sender = mime.From.Mailboxes.FirstOrDefault()?.Address ?? inbound.MailFrom;
        inbound.Sender = Truncate(sender.ToLowerInvariant(), 254);
        return sender;
    }

    private bool IsDuplicate(InboundMessage inbound, KnownMessageIds known)
    {
        if (known.DuplicateOf(inbound) is not { } duplicate)
        {
            return false;
        }

        inbound.Status = InboundStatus.Duplicate;
        inbound.Route = duplicate;
        inbound.Error = null;
        return true;
    }

    private async Task<RouteResult?> BounceAsync(InboundMessage inbound, MimeMessage mime, IReadOnlyList<string> recipients, RouteContext context,
        CancellationToken cancellationToken)
    {
        if (await bounces.TryProcessAsync(inbound, mime, recipients, context.Addresses, context.Settings.HardBounceThreshold, cancellationToken) is not { } bounce)
        {
            return null;
        }

        inbound.Status = InboundStatus.Bounce;
        inbound.Route = Truncate(bounce.Description, 1000);
        inbound.Error = null;
        return new RouteResult(bounce.Changed, [], false);
    }

    private async Task<RouteResult?> SpecialInboxAsync(InboundMessage inbound, MimeMessage mime, IReadOnlyList<string> recipients, RouteContext context,
        CancellationToken cancellationToken)
    {
        foreach (var inbox in specialInboxes.InOrder)
        {
            if (await inbox.TryTakeAsync(inbound, mime, recipients, context, cancellationToken) is not { } outcome)
            {
                continue;
            }
            if (outcome.Unusable)
            {
                return Unrouted(inbound, Truncate(outcome.Description, 2000));
            }
            inbound.Status = InboundStatus.Routed;
            inbound.Route = Truncate(outcome.Description, 1000);
            inbound.Error = null;
            return outcome.Posted is { } posted ? new RouteResult([], [posted], false) : RouteResult.None;
        }
        return null;
    }

    private async Task<bool> IsLoopLimitedAsync(InboundMessage inbound, InboundSettings rules, CancellationToken cancellationToken)
    {
        if (rules.LoopLimit <= 0 || inbound.Sender is not { Length: > 0 } sender)
        {
            return false;
        }

        var since = clock.GetUtcNow() - TimeSpan.FromMinutes(rules.LoopWindowMinutes);
        var recent = await db.Inbound.CountAsync(i => i.Sender == sender && i.ReceivedAt >= since && i.Status == InboundStatus.Routed, cancellationToken)
            // Rows routed but not saved yet count too (the caller may save several at once).
            + db.ChangeTracker.Entries<InboundMessage>().Count(e => e.State == EntityState.Modified
                && e.Entity.Sender == sender && e.Entity.ReceivedAt >= since && e.Entity.Status == InboundStatus.Routed);
        if (recent < rules.LoopLimit)
        {
            return false;
        }

        inbound.Status = InboundStatus.LoopLimited;
        inbound.Error = $"Loop protection: {recent} messages from {sender} were already posted in the last {rules.LoopWindowMinutes} minutes (limit {rules.LoopLimit}); this one was kept but not posted.";
        LogLoopLimited(inbound.Id, sender, rules.LoopLimit, rules.LoopWindowMinutes);
        return true;
    }

    /// <summary>The copy sent to the record's followers (never for automatic mail), or null when nobody gets one.</summary>
    private async Task<ChatterMessage?> ForwardToFollowersAsync(RecordRef record, ChatterMessage message, string sender, RouteContext context,
        Func<CancellationToken, Task> beforeWrite, CancellationToken cancellationToken)
    {
        if (context.Addresses.Domain is not { } aliasDomain || await context.Lookups.FollowersAsync(record, cancellationToken) is not { Count: > 0 } recordFollowers)
        {
            return null;
        }

        await beforeWrite(cancellationToken);
        await db.SaveChangesAsync(cancellationToken); // the reply gets its id before the forward, so the chatter keeps their order
        return await followers.ForwardAsync(record, recordFollowers, message, sender, aliasDomain, context.Addresses.ReplyAddressFor(record), cancellationToken);
    }

    private static RouteResult Unrouted(InboundMessage inbound, string why)
    {
        inbound.Status = InboundStatus.Unrouted;
        inbound.Error = why;
        return RouteResult.None;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loop protection stopped inbound message {Id} from {Sender}: over {Limit} messages in {Minutes} minutes")]
    private partial void LogLoopLimited(long id, string sender, int limit, int minutes);
}
