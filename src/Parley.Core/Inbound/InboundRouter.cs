using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MimeKit;
using Parley.Core.Chatter;
using Parley.Core.Data;
using Parley.Core.Inbound.Bounces;
using Parley.Core.Records;
using Parley.Core.Settings;

namespace Parley.Core.Inbound;

/// <summary>
/// Routes stored inbound messages, in this order: duplicate? → authenticate → bounce → loop protection
/// → reply (known Message-ID, else the signed reply address) → alias → special inboxes → catchall policy
/// (the last four in <see cref="InboundDestinations"/>).
/// A batch is routed in chunks, each one transaction with one SaveChanges (so routing keeps up with a busy
/// listener); if a chunk fails it is rolled back and routed again message by message, each under its own
/// savepoint, so one that throws is marked failed without undoing the others. Nothing is dropped:
/// what cannot be routed stays as unrouted (or failed) with the reason, raw bytes untouched.
/// </summary>
public sealed partial class InboundRouter(
    ParleyDbContext db,
    SettingsService settings,
    InboundSettingsService inboundSettings,
    ReplyAddressProvider replyAddresses,
    IInboundAuthenticator authenticator,
    BounceProcessor bounces,
    InboundDestinations destinations,
    InboundPoster poster,
    Followers.FollowerNotifier followers,
    ChatterEvents events,
    Outbound.OutboxSignal outbox,
    DatabaseWriteGate writeGate,
    RecentlyStored recentlyStored,
    InboundMetrics metrics,
    TimeProvider clock,
    ILogger<InboundRouter> logger)
{
    private static readonly TimeSpan AuthTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Messages routed per write transaction. The listener's group commits need SQLite's single writer too; short
    /// routing transactions let them in between (a 250 waits for its commit), instead of the listener stalling for
    /// the whole batch.
    /// </summary>
    public const int MessagesPerTransaction = 10;

    /// <summary>
    /// Raw bytes one pass holds (each message is parsed and kept until its chunk is routed); the rest of the batch
    /// waits for the next pass, so forty 24 MB messages are routed one at a time, not all at once. A larger message goes alone.
    /// </summary>
    public const long MaxBytesPerPass = 32L * 1024 * 1024;

    public async Task<int> RoutePendingAsync(int batch, CancellationToken ct)
    {
        // One router at a time across the nodes that share a PostgreSQL database: two would read the same pending
        // rows and post them twice. A node that does not get the lock skips its turn; the holder routes every
        // node's pending rows (it reads them all, and goes on while any are left).
        await using var routing = await ClusterLock.TryAcquireAsync(db, ClusterLock.InboundRouting, 0, ct);
        if (routing is null) return 0;

        // Not tracked: the raw bytes are only read (parsing, DKIM), and tracking them would snapshot every byte[] and
        // compare it again on each SaveChanges. Each row is attached (without its raw bytes) when it is routed.
        var pending = await InboundQueries.For(db).Pending(db, batch).ToListAsync(ct);
        if (pending.Count == 0) return 0;
        pending = await LoadRawBytesAsync(pending, ct);

        var context = await LoadContextAsync(ct);
        // Parsing and the DNS-bound checks run before the write transaction, in parallel, so the database's
        // single writer (SQLite) is never held while waiting for DNS and the listener's commits keep flowing.
        var prepared = await PrepareAsync(pending, context, ct);
        foreach (var inbound in pending) inbound.RawMime = null;
        var known = await LoadKnownMessageIdsAsync(prepared.Values, ct);
        // Our own savepoint per message is enough; EF's automatic one around every SaveChanges would add two
        // statements per call, several calls per message.
        db.Database.AutoSavepointsEnabled = false;
        var changed = new List<(RecordRef Record, long MessageId)>();
        var queuedMail = false;
        // Routing results are derived from rows the listener already made durable: a power loss that undid the last
        // chunks would leave their rows pending, and they would be routed again. So they commit without an fsync each,
        // which is most of a chunk's time in the database's single writer.
        await using var derived = await DerivedWrites.BeginAsync(db, ct);
        foreach (var chunk in pending.Chunk(MessagesPerTransaction))
        {
            var outcome = await RouteTogetherAsync(chunk, prepared, context, known, ct)
                ?? await RouteOneByOneAsync(chunk, prepared, context, known, ct);
            changed.AddRange(outcome.Changed);
            queuedMail |= outcome.QueuedMail;
            var routedAt = clock.GetUtcNow();
            foreach (var inbound in chunk)
            {
                // Once committed: the decision as it stands, with the message's ids, one line per message.
                metrics.Routed(inbound.Status, routedAt - inbound.ReceivedAt);
                LogDecision(inbound.Id, inbound.MessageId, inbound.Status, inbound.Route ?? inbound.Error);
            }
            // What was committed needs no tracking; a smaller tracker keeps each SaveChanges' DetectChanges short.
            db.ChangeTracker.Clear();
        }
        foreach (var (record, id) in changed) events.Publish(record, id);
        if (queuedMail) outbox.Notify();
        return pending.Count;
    }

    /// <summary>
    /// Each row's raw bytes, from memory when this process just stored them, else from the database; returns the rows
    /// that fit in <see cref="MaxBytesPerPass"/> (at least the first), in order.
    /// </summary>
    private async Task<List<InboundMessage>> LoadRawBytesAsync(List<InboundMessage> pending, CancellationToken ct)
    {
        var inMemory = new Dictionary<long, byte[]>();
        foreach (var inbound in pending)
            if (recentlyStored.Take(inbound.RawMimeId) is { } content) inMemory[inbound.RawMimeId] = content;
        var missing = pending.Select(i => i.RawMimeId).Where(id => !inMemory.ContainsKey(id)).ToList();
        var sizes = missing.Count == 0 ? []
            : await db.RawMimes.Where(r => missing.Contains(r.Id)).Select(r => new { r.Id, Size = (long)r.Content.Length }).ToDictionaryAsync(r => r.Id, r => r.Size, ct);
        var taken = new List<InboundMessage>();
        long bytes = 0;
        foreach (var inbound in pending)
        {
            var size = inMemory.TryGetValue(inbound.RawMimeId, out var held) ? held.Length : sizes.GetValueOrDefault(inbound.RawMimeId);
            if (taken.Count > 0 && bytes + size > MaxBytesPerPass) break;
            bytes += size;
            taken.Add(inbound);
        }
        // What did not fit goes back for the next pass, which takes it from memory again.
        foreach (var inbound in pending.Skip(taken.Count))
            if (inMemory.TryGetValue(inbound.RawMimeId, out var held)) recentlyStored.Add(inbound.RawMimeId, held);

        var load = taken.Select(i => i.RawMimeId).Where(id => !inMemory.ContainsKey(id)).ToList();
        var loaded = load.Count == 0 ? [] : await db.RawMimes.AsNoTracking().Where(r => load.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
        foreach (var inbound in taken)
            inbound.RawMime = inMemory.TryGetValue(inbound.RawMimeId, out var held)
                ? new RawMime { Id = inbound.RawMimeId, Content = held, CreatedAt = inbound.ReceivedAt }
                : loaded[inbound.RawMimeId];
        return taken;
    }

    private async Task<RouteContext> LoadContextAsync(CancellationToken ct)
    {
        var aliasDomain = await settings.GetAliasDomainAsync(ct);
        return new RouteContext(aliasDomain, await inboundSettings.GetAsync(ct), await replyAddresses.GetAsync(ct), await replyAddresses.GetBounceAsync(ct),
            new RouteLookups(db));
    }

    private async Task<Dictionary<long, Prepared>> PrepareAsync(List<InboundMessage> pending, RouteContext context, CancellationToken ct)
    {
        using var gate = new SemaphoreSlim(8);
        // On the pool, not on the router's own thread (InboundWorker): parsing and the checks use every core.
        var tasks = pending.Select(inbound => Task.Run(async () =>
        {
            await gate.WaitAsync(ct);
            try
            {
                MimeMessage mime;
                try
                {
                    // Persistent: the parts read their content from the raw bytes when asked, instead of a copy of them.
                    mime = await MimeMessage.LoadAsync(new MemoryStream(inbound.RawMime!.Content, writable: false), persistent: true, ct);
                }
                catch (FormatException e)
                {
                    return (inbound.Id, new Prepared(null, $"The message could not be parsed as MIME ({e.Message}); it is kept as received.", null));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    return (inbound.Id, new Prepared(null, $"The message could not be read ({e.GetType().Name}: {e.Message}); it is kept as received.", null));
                }
                return (inbound.Id, new Prepared(mime, null, await AuthenticateAsync(inbound, mime, context, ct)));
            }
            finally
            {
                gate.Release();
            }
        }, ct));
        return (await Task.WhenAll(tasks)).ToDictionary(x => x.Item1, x => x.Item2);
    }

    /// <param name="beforeWrite">Called before any write this routing makes before the caller's save (it takes the
    /// database's writer and begins the chunk's transaction, when that has not happened yet).</param>
    private async Task<RouteResult> RouteAsync(InboundMessage inbound, Prepared prepared, RouteContext context, KnownMessageIds known,
        Func<CancellationToken, Task> beforeWrite, CancellationToken ct)
    {
        var recipients = inbound.Recipients.Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (prepared.Mime is not { } mime) return Unrouted(inbound, prepared.ParseError!);

        inbound.MessageId = Truncate(mime.MessageId, 998);
        var sender = mime.From.Mailboxes.FirstOrDefault()?.Address ?? inbound.MailFrom;
        inbound.Sender = Truncate(sender.ToLowerInvariant(), 254);

        if (known.DuplicateOf(inbound) is { } duplicate)
        {
            inbound.Status = InboundStatus.Duplicate;
            inbound.Route = duplicate;
            inbound.Error = null;
            return RouteResult.None;
        }

        inbound.AuthenticationResults = Truncate(prepared.Auth!.Header, 2000);

        if (await bounces.TryProcessAsync(inbound, mime, recipients, context.Bounces, context.Settings.HardBounceThreshold, ct) is { } bounce)
        {
            inbound.Status = InboundStatus.Bounce;
            inbound.Route = Truncate(bounce.Description, 1000);
            inbound.Error = null;
            return new RouteResult(bounce.Changed, [], false);
        }

        var automatic = AutoSubmitted.Reason(mime);
        if (await LoopLimitedAsync(inbound, context.Settings, ct) is { } loop)
        {
            inbound.Status = InboundStatus.LoopLimited;
            inbound.Error = loop;
            LogLoopLimited(inbound.Id, inbound.Sender ?? "", context.Settings.LoopLimit, context.Settings.LoopWindowMinutes);
            return RouteResult.None;
        }

        var doubt = SenderTrust.Doubt(prepared.Auth, context.Settings.SenderVerification);
        var destination = await destinations.FindAsync(inbound, mime, recipients, context, automatic, doubt, beforeWrite, ct);
        if (destination.TakenBySpecialInbox)
        {
            inbound.Status = InboundStatus.Routed;
            inbound.Route = Truncate(destination.Why, 1000);
            return RouteResult.None;
        }
        if (destination.Record is null) return Unrouted(inbound, destination.Why);

        var record = destination.Record.Value;
        var message = await poster.PostAsync(inbound, mime, record, inbound.AuthenticationResults, ct, beforeWrite);
        inbound.Route = Truncate(destination.Why, 1000);
        var posted = new List<(RecordRef, ChatterMessage)> { (record, message) };
        var queued = false;
        if (automatic is null && context.AliasDomain is { } aliasDomain
            && await context.Lookups.FollowersAsync(record, ct) is { Count: > 0 } recordFollowers)
        {
            await beforeWrite(ct);
            await db.SaveChangesAsync(ct); // the reply gets its id before the forward, so the chatter keeps their order
            var forwarded = await followers.ForwardAsync(record, recordFollowers, message, sender, aliasDomain, context.Replies.For(record, aliasDomain), ct);
            if (forwarded is not null)
            {
                posted.Add((record, forwarded));
                queued = true;
            }
        }
        // The caller saves: one SaveChanges per message.
        return new RouteResult([], posted, queued);
    }

    /// <summary>
    /// The duplicate check for a whole batch in (at most) two queries: earlier inbound rows with the batch's Message-IDs
    /// (not pending, failed or duplicate), and Message-IDs Parley sent. Rows routed in this batch are added as they commit,
    /// so a second copy within the batch is a duplicate of the first, as it was with one query per message.
    /// </summary>
    private async Task<KnownMessageIds> LoadKnownMessageIdsAsync(IEnumerable<Prepared> prepared, CancellationToken ct)
    {
        var ids = prepared.Select(p => Truncate(p.Mime?.MessageId, 998)).OfType<string>().Where(id => id.Length > 0).Distinct().ToList();
        var known = new KnownMessageIds();
        if (ids.Count == 0) return known;
        await foreach (var e in InboundQueries.For(db).Earlier(db, ids).WithCancellation(ct)) known.Inbound.TryAdd(e.MessageId, (e.Id, e.Source));
        // Only a Message-ID of Parley's own form can be one Parley sent; most batches have none, and skip the query.
        var ours = ids.Where(Outbound.MimeComposer.IsParleyMessageId).ToList();
        if (ours.Count == 0) return known;
        var own = await db.Messages.AsNoTracking().Where(m => ours.Contains(m.MessageId!) && m.Direction == MessageDirection.Out)
            .Select(m => m.MessageId!).Distinct().ToListAsync(ct);
        known.Sent.UnionWith(own);
        return known;
    }

    private sealed class KnownMessageIds
    {
        public Dictionary<string, (long Id, string Source)> Inbound { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Sent { get; } = new(StringComparer.Ordinal);

        public string? DuplicateOf(InboundMessage inbound)
        {
            if (inbound.MessageId is not { Length: > 0 } messageId) return null;
            if (Inbound.TryGetValue(messageId, out var earlier) && earlier.Id != inbound.Id)
                return $"Duplicate of inbound #{earlier.Id} (same Message-ID, received by {earlier.Source}); not posted again.";
            return Sent.Contains(messageId) ? "Parley's own email came back (its Message-ID is one Parley sent); not posted, to avoid a loop." : null;
        }

        /// <summary>Undoes <see cref="Routed"/> for a row whose routing was rolled back.</summary>
        public void Forget(InboundMessage inbound)
        {
            if (inbound.MessageId is { Length: > 0 } messageId && Inbound.TryGetValue(messageId, out var entry) && entry.Id == inbound.Id)
                Inbound.Remove(messageId);
        }

        public void Routed(InboundMessage inbound)
        {
            if (inbound.MessageId is { Length: > 0 } messageId
                && inbound.Status is not (InboundStatus.Pending or InboundStatus.Failed or InboundStatus.Duplicate))
                Inbound.TryAdd(messageId, (inbound.Id, inbound.Source));
        }
    }

    private async Task<string?> LoopLimitedAsync(InboundMessage inbound, InboundSettings rules, CancellationToken ct)
    {
        if (rules.LoopLimit <= 0 || inbound.Sender is not { Length: > 0 } sender) return null;
        var since = clock.GetUtcNow() - TimeSpan.FromMinutes(rules.LoopWindowMinutes);
        var recent = await db.Inbound.CountAsync(i => i.Sender == sender && i.ReceivedAt >= since && i.Status == InboundStatus.Routed, ct)
            // Routed earlier in this chunk, not saved yet (a chunk saves once).
            + db.ChangeTracker.Entries<InboundMessage>().Count(e => e.State == EntityState.Modified
                && e.Entity.Sender == sender && e.Entity.ReceivedAt >= since && e.Entity.Status == InboundStatus.Routed);
        return recent < rules.LoopLimit ? null
            : $"Loop protection: {recent} messages from {sender} were already posted in the last {rules.LoopWindowMinutes} minutes (limit {rules.LoopLimit}); this one was kept but not posted.";
    }

    private async Task<InboundAuthentication> AuthenticateAsync(InboundMessage inbound, MimeMessage mime, RouteContext context, CancellationToken ct)
    {
        var authServId = context.AliasDomain ?? "parley";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(AuthTimeout);
        try
        {
            return await authenticator.AuthenticateAsync(
                new InboundAuthInput(mime, inbound.RawMime!.Content, inbound.Source, inbound.ClientAddress, inbound.Helo, inbound.MailFrom, authServId), timeout.Token);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            LogAuthFailed(e, inbound.Id);
            return new InboundAuthentication("temperror", "temperror", "temperror", "temperror",
                $"{authServId}; spf=temperror; dkim=temperror; dmarc=temperror; arc=temperror (checks could not finish: {e.GetType().Name})");
        }
    }

    private static RouteResult Unrouted(InboundMessage inbound, string why)
    {
        inbound.Status = InboundStatus.Unrouted;
        inbound.Error = why;
        return RouteResult.None;
    }

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];

    private sealed record Prepared(MimeMessage? Mime, string? ParseError, InboundAuthentication? Auth);

    /// <summary>Chatter entries that changed: existing ones by id, new ones (ids known once saved) by reference.</summary>
    private sealed record RouteResult(
        IReadOnlyList<(RecordRef Record, long MessageId)> Changed, IReadOnlyList<(RecordRef Record, ChatterMessage Message)> Posted, bool QueuedMail)
    {
        public static RouteResult None { get; } = new([], [], false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routing {Count} inbound messages together failed; routing them one by one")]
    private partial void LogChunkRetry(Exception e, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Routing inbound message {Id} failed; kept as failed")]
    private partial void LogRoutingFailed(Exception e, long id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbound message {InboundId} <{MessageId}>: {Status}; {Why}")]
    private partial void LogDecision(long inboundId, string? messageId, InboundStatus status, string? why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loop protection stopped inbound message {Id} from {Sender}: over {Limit} messages in {Minutes} minutes")]
    private partial void LogLoopLimited(long id, string sender, int limit, int minutes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication checks for inbound message {Id} failed; recorded as temperror")]
    private partial void LogAuthFailed(Exception e, long id);
}

/// <summary>What the router knows for a whole batch.</summary>
public sealed record RouteContext(string? AliasDomain, InboundSettings Settings, ReplyAddress Replies, Outbound.BounceAddress Bounces, RouteLookups Lookups);
