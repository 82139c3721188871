using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MimeKit;
using Parley.Core.Chatter;
using Parley.Core.Data;
using Parley.Core.Settings;

namespace Parley.Core.Inbound;

/// <summary>
/// One routing pass over stored inbound messages: takes the pending rows (one router at a time across nodes), parses and
/// authenticates them before any write, in parallel, then routes each by the rules (<see cref="RoutingSteps"/>: duplicate
/// → bounce → loop protection → destination → post → followers), written in chunks (<see cref="RoutingChunks"/>), and
/// announces what changed. Nothing is dropped: what cannot be routed stays as unrouted (or failed) with the reason, raw
/// bytes untouched.
/// </summary>
public sealed partial class InboundRouter(
    ParleyDbContext db,
    SettingsService settings,
    InboundSettingsService inboundSettings,
    ReplyAddressProvider replyAddresses,
    IInboundAuthenticator authenticator,
    RecentlyStored recentlyStored,
    RoutingSteps steps,
    RoutingChunks chunks,
    ChatterEvents events,
    Outbox.OutboxSignal outbox,
    InboundMetrics metrics,
    TimeProvider clock,
    ILogger<InboundRouter> logger)
{
    private static readonly TimeSpan AuthTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Raw bytes one pass holds (each message is parsed and kept until its chunk is routed); the rest of the batch
    /// waits for the next pass, so forty 24 MB messages are routed one at a time, not all at once. A larger message goes alone.
    /// </summary>
    public const long MaxBytesPerPass = 32L * 1024 * 1024;

    public async Task<int> RoutePendingAsync(int batch, CancellationToken cancellationToken)
    {
        // One router at a time across the nodes that share a PostgreSQL database: two would read the same pending
        // rows and post them twice. A node that does not get the lock skips its turn; the holder routes every
        // node's pending rows (it reads them all, and goes on while any are left).
        await using var routing = await ClusterLock.TryAcquireAsync(db, ClusterLock.InboundRouting, 0, cancellationToken);
        if (routing is null)
        {
            return 0;
        }

        // Not tracked: the raw bytes are only read (parsing, DKIM), and tracking them would snapshot every byte[] and
        // compare it again on each SaveChanges. Each row is attached (without its raw bytes) when it is routed.
        var pending = await InboundQueries.For(db).Pending(db, batch).ToListAsync(cancellationToken);
        if (pending.Count == 0)
        {
            return 0;
        }

        pending = await LoadRawBytesAsync(pending, cancellationToken);

        var addresses = await AliasDomainAddresses.ReadAsync(db, settings, replyAddresses, cancellationToken);
        // Parsing and the DNS-bound checks run before the write transaction, in parallel, so the database's
        // single writer (SQLite) is never held while waiting for DNS and the listener's commits keep flowing.
        var prepared = await PrepareAsync(pending, addresses.Domain ?? "parley", cancellationToken);
        foreach (var inbound in pending)
        {
            inbound.RawMime = null;
        }

        var context = new RouteContext(addresses, await inboundSettings.GetAsync(cancellationToken), new RouteLookups(db),
            await KnownMessageIds.LoadAsync(db, prepared.Values, cancellationToken));

        var routed = await chunks.RouteAsync(pending,
            (inbound, beforeWrite, token) => steps.RouteAsync(inbound, prepared[inbound.Id], context, beforeWrite, token),
            inbound => RoutingSteps.RolledBack(inbound, context), cancellationToken);
        var routedAt = clock.GetUtcNow();
        foreach (var inbound in pending)
        {
            // Once committed: the decision as it stands, with the message's ids, one line per message. A message
            // posted where it belongs is the common case and logs at Debug (a console line per message cost 20 %
            // of the listener's CPU under load; the metrics count it); every other decision is worth reading.
            metrics.Routed(inbound.Status, routedAt - inbound.ReceivedAt);
            if (inbound.Status == InboundStatus.Routed)
            {
                LogPosted(inbound.Id, inbound.MessageId, inbound.Route);
            }
            else
            {
                LogDecision(inbound.Id, inbound.MessageId, inbound.Status, inbound.Route ?? inbound.Error);
            }
        }
        foreach (var (record, id) in routed.Changed)
        {
            events.Publish(record, id);
        }

        if (routed.QueuedMail)
        {
            outbox.Notify();
        }

        return pending.Count;
    }

    /// <summary>
    /// Each row's raw bytes, from memory when this process just stored them, else from the database; returns the rows
    /// that fit in <see cref="MaxBytesPerPass"/> (at least the first), in order.
    /// </summary>
    private async Task<List<InboundMessage>> LoadRawBytesAsync(List<InboundMessage> pending, CancellationToken cancellationToken)
    {
        var inMemory = new Dictionary<long, byte[]>();
        foreach (var inbound in pending)
        {
            if (recentlyStored.Take(inbound.RawMimeId) is { } content)
            {
                inMemory[inbound.RawMimeId] = content;
            }
        }

        var missing = pending.Select(i => i.RawMimeId).Where(id => !inMemory.ContainsKey(id)).ToList();
        var sizes = missing.Count == 0 ? []
            : await db.RawMimes.Where(r => missing.Contains(r.Id)).Select(r => new { r.Id, Size = (long)r.Content.Length }).ToDictionaryAsync(r => r.Id, r => r.Size, cancellationToken);
        var taken = new List<InboundMessage>();
        long bytes = 0;
        foreach (var inbound in pending)
        {
            var size = inMemory.TryGetValue(inbound.RawMimeId, out var held) ? held.Length : sizes.GetValueOrDefault(inbound.RawMimeId);
            if (taken.Count > 0 && bytes + size > MaxBytesPerPass)
            {
                break;
            }

            bytes += size;
            taken.Add(inbound);
        }
        // What did not fit goes back for the next pass, which takes it from memory again.
        foreach (var inbound in pending.Skip(taken.Count))
        {
            if (inMemory.TryGetValue(inbound.RawMimeId, out var held))
            {
                recentlyStored.Add(inbound.RawMimeId, held);
            }
        }

        var load = taken.Select(i => i.RawMimeId).Where(id => !inMemory.ContainsKey(id)).ToList();
        var loaded = load.Count == 0 ? [] : await db.RawMimes.AsNoTracking().Where(r => load.Contains(r.Id)).ToDictionaryAsync(r => r.Id, cancellationToken);
        foreach (var inbound in taken)
        {
            inbound.RawMime = inMemory.TryGetValue(inbound.RawMimeId, out var held)
                ? new RawMime { Id = inbound.RawMimeId, Content = held, CreatedAt = inbound.ReceivedAt }
                : loaded[inbound.RawMimeId];
        }

        return taken;
    }

    private async Task<Dictionary<long, PreparedMessage>> PrepareAsync(List<InboundMessage> pending, string authServId, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(8);
        // On the pool, not on the router's own thread (InboundWorker): parsing and the checks use every core.
        var tasks = pending.Select(inbound => Task.Run(async () =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                MimeMessage mime;
                try
                {
                    // Persistent: the parts read their content from the raw bytes when asked, instead of a copy of them.
                    mime = await MimeMessage.LoadAsync(new MemoryStream(inbound.RawMime!.Content, writable: false), persistent: true, cancellationToken);
                }
                catch (FormatException e)
                {
                    return (inbound.Id, new PreparedMessage(null, $"The message could not be parsed as MIME ({e.Message}); it is kept as received.", null));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    return (inbound.Id, new PreparedMessage(null, $"The message could not be read ({e.GetType().Name}: {e.Message}); it is kept as received.", null));
                }
                return (inbound.Id, new PreparedMessage(mime, null, await AuthenticateAsync(inbound, mime, authServId, cancellationToken)));
            }
            finally
            {
                gate.Release();
            }
        }, cancellationToken));
        return (await Task.WhenAll(tasks)).ToDictionary(x => x.Item1, x => x.Item2);
    }

    private async Task<InboundAuthentication> AuthenticateAsync(InboundMessage inbound, MimeMessage mime, string authServId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AuthTimeout);
        try
        {
            return await authenticator.AuthenticateAsync(new InboundAuthInput(mime, inbound.RawMime!.Content, InboundEnvelope.Of(inbound), authServId), timeout.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogAuthFailed(e, inbound.Id);
            return new InboundAuthentication("temperror", "temperror", "temperror", "temperror",
                $"{authServId}; spf=temperror; dkim=temperror; dmarc=temperror; arc=temperror (checks could not finish: {e.GetType().Name})");
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Inbound message {InboundId} <{MessageId}>: Routed; {Why}")]
    private partial void LogPosted(long inboundId, string? messageId, string? why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbound message {InboundId} <{MessageId}>: {Status}; {Why}")]
    private partial void LogDecision(long inboundId, string? messageId, InboundStatus status, string? why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication checks for inbound message {Id} failed; recorded as temperror")]
    private partial void LogAuthFailed(Exception e, long id);
}
