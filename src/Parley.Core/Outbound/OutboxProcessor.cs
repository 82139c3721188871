using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Domains;
using Parley.Core.Records;
using Parley.Core.Settings;

namespace Parley.Core.Outbound;

/// <summary>
/// One pass of the delivery worker: claim due rows, then for each choose the route, rewrite
/// From if no route may send as the author, DKIM-sign, send with a VERP envelope sender, and
/// record what the server said. Deliveries of a batch run concurrently; the database is only
/// touched before and after them.
/// </summary>
public sealed partial class OutboxProcessor(
    ParleyDbContext db,
    IMailTransport transport,
    SecretProtector secrets,
    SettingsService settings,
    SendingDomainService domains,
    DkimSignerCache signers,
    ReplyAddressProvider addresses,
    ChatterEvents events,
    OutboxSignal signal,
    DatabaseWriteGate writeGate,
    OutboundMetrics metrics,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxProcessor> logger)
{
    private readonly OutboxOptions _options = options.Value;

    /// <summary>How long results gather before a commit while deliveries are still running.</summary>
    private static readonly TimeSpan CommitWindow = TimeSpan.FromMilliseconds(25);

    private static readonly SemaphoreSlim RegisteringAliasDomain = new(1, 1);

    private sealed record BatchContext(
        string? AliasDomain, List<OutgoingServer> Relays, Dictionary<string, SendingDomain> SendingDomains, BounceAddress Bounces);

    private sealed record Attempt(TransportResult Result, string? Route);

    public Task<int> ProcessDueAsync(CancellationToken ct) => ProcessDueAsync(_options.NodeName, ct);

    /// <param name="leaseOwner">Who the claimed rows are leased to: this node, or one of its batch loops.</param>
    /// <param name="stopStarting">The process is stopping: no delivery starts from then on (the rest of the batch is
    /// released), while those in flight run on under <paramref name="ct"/> and their outcome is committed.</param>
    public async Task<int> ProcessDueAsync(string leaseOwner, CancellationToken ct, CancellationToken stopStarting = default)
    {
        // Everything that can fail for reasons unrelated to one message happens before the
        // claim, so a failure never strands claimed rows under a lease.
        var context = await LoadContextAsync(ct);
        if (stopStarting.IsCancellationRequested) return 0;
        var claimed = await ClaimAsync(leaseOwner, ct);
        if (claimed.Count == 0) return 0;
        // A full batch suggests more is due: wake a sibling loop now, so it claims and delivers alongside this one.
        if (claimed.Count >= _options.BatchSize) signal.Notify();
        var raws = await LoadRawMimeAsync(claimed, ct);

        // No delivery starts after half the lease: the rest are released untouched, so a slow
        // batch never outlives its lease and lets another node send the same row again.
        using var startWindow = new CancellationTokenSource(_options.Lease / 2, clock);
        using var stopping = stopStarting.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), startWindow);
        var results = Channel.CreateUnbounded<(OutboxItem Item, Attempt? Attempt)>(new UnboundedChannelOptions { SingleReader = true });
        var deliveries = Task.Run(async () =>
        {
            try
            {
                await Parallel.ForEachAsync(claimed,
                    new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelDeliveries, CancellationToken = ct },
                    async (item, token) => await results.Writer.WriteAsync((item, startWindow.IsCancellationRequested ? null
                        : await DeliverAsync(item, raws.GetValueOrDefault(item.ChatterMessage!.RawMimeId ?? 0), context, token)), token));
            }
            finally
            {
                results.Writer.Complete();
            }
        }, ct);

        // Outcomes are committed as they come in, not at the end of the batch: a crash then
        // re-sends only the deliveries that were between the server's 250 and this commit. A
        // short gathering window turns a stream of results into few commits (each one an fsync).
        while (await results.Reader.WaitToReadAsync(ct))
        {
            if (!deliveries.IsCompleted) await Task.Delay(CommitWindow, ct); // wall time, not business time
            var recorded = new List<ChatterMessage>();
            while (results.Reader.TryRead(out var result))
            {
                if (result.Attempt is { } attempt) Record(result.Item, attempt);
                else Release(result.Item);
                recorded.Add(result.Item.ChatterMessage!);
            }
            await using (await writeGate.EnterAsync(db, ct)) await db.SaveChangesAsync(ct);
            foreach (var message in recorded.DistinctBy(m => m.Id))
                events.Publish(new RecordRef(message.RecordType, message.RecordId), message.Id);
        }
        await deliveries;
        return claimed.Count;
    }

    private async Task<List<OutboxItem>> ClaimAsync(string leaseOwner, CancellationToken ct)
    {
        // Another loop (or node) may claim the rows we picked between our SELECT and our UPDATE; then pick again
        // rather than sleep until the next poll while mail is due.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var now = clock.GetUtcNow();
            var due = await db.Outbox.AsNoTracking()
                .Where(o => (o.State == DeliveryState.Queued || o.State == DeliveryState.Deferred) && o.NextAttemptAt <= now
                    && (o.LeaseUntil == null || o.LeaseUntil < now))
                .OrderBy(o => o.NextAttemptAt).ThenBy(o => o.Id)
                .Select(o => o.Id).Take(_options.BatchSize).ToListAsync(ct);
            if (due.Count == 0) return [];
            var leaseUntil = now + _options.Lease;
            // Every condition is checked again in the UPDATE itself: between our SELECT and this
            // statement another node may have claimed, sent and released the same row.
            await using var writer = await writeGate.EnterAsync(db, ct);
            var leased = await db.Outbox
                .Where(o => due.Contains(o.Id) && (o.LeaseUntil == null || o.LeaseUntil < now)
                    && (o.State == DeliveryState.Queued || o.State == DeliveryState.Deferred) && o.NextAttemptAt <= now)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.LeaseOwner, leaseOwner).SetProperty(o => o.LeaseUntil, leaseUntil), ct);
            if (leased == 0) continue;
            return await db.Outbox.Include(o => o.ChatterMessage)
                .Where(o => due.Contains(o.Id) && o.LeaseOwner == leaseOwner && o.LeaseUntil == leaseUntil)
                .OrderBy(o => o.Id).ToListAsync(ct);
        }
        return [];
    }

    private async Task<BatchContext> LoadContextAsync(CancellationToken ct)
    {
        var aliasDomain = await settings.GetAliasDomainAsync(ct);
        // The alias domain always signs: it is the From of every rewritten email. One batch loop registers it, the
        // others wait and find it (racing would be handled, but logs a failed INSERT).
        if (aliasDomain is not null && await domains.FindAsync(aliasDomain, ct) is null)
        {
            await RegisteringAliasDomain.WaitAsync(ct);
            try { await domains.RegisterAsync(aliasDomain, ct); }
            finally { RegisteringAliasDomain.Release(); }
        }
        var relays = await db.OutgoingServers.AsNoTracking().OrderBy(s => s.Priority).ThenBy(s => s.Id).ToListAsync(ct);
        var sending = (await domains.ListAsync(ct)).ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);
        return new BatchContext(aliasDomain, relays, sending, await addresses.GetBounceAsync(ct));
    }

    private async Task<Dictionary<long, byte[]>> LoadRawMimeAsync(List<OutboxItem> items, CancellationToken ct)
    {
        var ids = items.Select(i => i.ChatterMessage!.RawMimeId).OfType<long>().Distinct().ToList();
        return await db.RawMimes.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Content, ct);
    }

    private async Task<Attempt> DeliverAsync(OutboxItem item, byte[]? raw, BatchContext context, CancellationToken ct)
    {
        if (context.AliasDomain is not { } aliasDomain)
            return new Attempt(new TransportResult(TransportOutcome.Transient, null, "No alias domain is set. Set it in Settings; Parley will try again."), null);
        if (raw is null)
            return new Attempt(new TransportResult(TransportOutcome.Permanent, null, "The message content is missing from the store."), null);

        MimeMessage message;
        using (var stream = new MemoryStream(raw, writable: false)) message = await MimeMessage.LoadAsync(stream, ct);
        var author = message.From.Mailboxes.First();
        var route = RoutePlanner.Choose(author.Address, context.Relays, context.SendingDomains.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase), aliasDomain);
        if (route.FromRewritten)
        {
            message.From.Clear();
            message.From.Add(new MailboxAddress(author.Name, route.FromAddress));
        }
        try
        {
            // Inside the try: a DKIM key that cannot be decrypted defers this email with the reason,
            // instead of failing the whole batch.
            if (context.SendingDomains.TryGetValue(EmailAddress.DomainOf(route.FromAddress), out var sendingDomain))
                signers.Sign(message, sendingDomain.Name, sendingDomain.Keys);
            var relay = route.Relay is null ? null : new RelayRoute(route.Relay, secrets.Unprotect(route.Relay.ProtectedPassword));
            var started = clock.GetTimestamp();
            var result = await transport.SendAsync(relay, message, context.Bounces.For(item.Id, aliasDomain), [item.Recipient], ct);
            metrics.Delivered(result.Outcome, clock.GetElapsedTime(started));
            return new Attempt(result, route.Explanation);
        }
        catch (InvalidOperationException e)
        {
            return new Attempt(new TransportResult(TransportOutcome.Transient, null, e.Message), route.Explanation);
        }
    }

    private static void Release(OutboxItem item)
    {
        item.LeaseOwner = null;
        item.LeaseUntil = null;
    }

    private void Record(OutboxItem item, Attempt attempt)
    {
        var result = attempt.Result;
        var now = clock.GetUtcNow();
        item.Attempts++;
        item.LastCode = result.Code;
        item.LastError = result.Outcome == TransportOutcome.Sent ? null : result.Text;
        item.Route = attempt.Route;
        item.LeaseOwner = null;
        item.LeaseUntil = null;
        switch (result.Outcome)
        {
            case TransportOutcome.Sent:
                item.State = DeliveryState.Sent;
                item.SentAt = now;
                break;
            case TransportOutcome.Permanent:
                item.State = DeliveryState.Failed;
                break;
            default:
                if (now - item.CreatedAt >= _options.GiveUpAfter)
                {
                    item.State = DeliveryState.Failed;
                    item.LastError = $"Gave up after {item.Attempts} attempts. Last answer: {result.Text}";
                }
                else
                {
                    item.State = DeliveryState.Deferred;
                    var delays = _options.RetryDelays;
                    item.NextAttemptAt = now + delays[Math.Min(item.Attempts - 1, delays.Length - 1)];
                }
                break;
        }

        var message = item.ChatterMessage!;
        message.State = item.State;
        message.Error = item.LastError;
        message.Route = attempt.Route;
        message.ServerReply = result.Code is { } code ? $"{code} {result.Text}" : result.Text;
        metrics.Attempted(item.State, item.Recipient);
        LogDelivery(item.Id, message.Id, message.MessageId, item.Recipient, item.State, result.Code, result.Text, attempt.Route);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox {OutboxId} to {Recipient}: {State} ({Code} {Text}); chatter message {ChatterMessageId} <{MessageId}>, route: {Route}")]
    private partial void LogDelivery(long outboxId, long chatterMessageId, string? messageId, string recipient, DeliveryState state, int? code, string text, string? route);
}
