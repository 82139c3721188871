using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Core.Chatter;
using Parley.Core.Data;
using Parley.Core.Records;
using Parley.Core.Settings;

namespace Parley.Core.Outbound;

/// <summary>One pass of the delivery worker: claim due rows, send each, record what the server said.</summary>
public sealed partial class OutboxProcessor(
    ParleyDbContext db,
    IMailTransport transport,
    SecretProtector secrets,
    SettingsService settings,
    ChatterEvents events,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxProcessor> logger)
{
    private readonly OutboxOptions _options = options.Value;

    public async Task<int> ProcessDueAsync(CancellationToken ct)
    {
        var claimed = await ClaimAsync(ct);
        if (claimed.Count == 0) return 0;
        var server = await db.OutgoingServers.AsNoTracking().OrderBy(s => s.Priority).ThenBy(s => s.Id).FirstOrDefaultAsync(ct);
        var aliasDomain = await settings.GetAliasDomainAsync(ct);
        foreach (var item in claimed)
        {
            var result = await DeliverAsync(item, server, aliasDomain, ct);
            await RecordAsync(item, result, ct);
        }
        return claimed.Count;
    }

    private async Task<List<OutboxItem>> ClaimAsync(CancellationToken ct)
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
        await db.Outbox
            .Where(o => due.Contains(o.Id) && (o.LeaseUntil == null || o.LeaseUntil < now)
                && (o.State == DeliveryState.Queued || o.State == DeliveryState.Deferred) && o.NextAttemptAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.LeaseOwner, _options.NodeName).SetProperty(o => o.LeaseUntil, leaseUntil), ct);
        return await db.Outbox.Include(o => o.ChatterMessage)
            .Where(o => due.Contains(o.Id) && o.LeaseOwner == _options.NodeName && o.LeaseUntil == leaseUntil)
            .OrderBy(o => o.Id).ToListAsync(ct);
    }

    private async Task<TransportResult> DeliverAsync(OutboxItem item, OutgoingServer? server, string? aliasDomain, CancellationToken ct)
    {
        if (server is null)
            return new TransportResult(TransportOutcome.Transient, null, "No outgoing server is configured yet. Add one in Settings; Parley will try again.");
        if (aliasDomain is null)
            return new TransportResult(TransportOutcome.Transient, null, "No alias domain is set. Set it in Settings; Parley will try again.");
        var message = item.ChatterMessage!;
        var raw = await db.RawMimes.AsNoTracking().Where(r => r.Id == message.RawMimeId).Select(r => r.Content).FirstOrDefaultAsync(ct);
        if (raw is null) return new TransportResult(TransportOutcome.Permanent, null, "The message content is missing from the store.");
        try
        {
            var route = new RelayRoute(server, secrets.Unprotect(server.ProtectedPassword));
            return await transport.SendAsync(route, raw, "bounce@" + aliasDomain, [item.Recipient], ct);
        }
        catch (InvalidOperationException e)
        {
            return new TransportResult(TransportOutcome.Transient, null, e.Message);
        }
    }

    private async Task RecordAsync(OutboxItem item, TransportResult result, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        item.Attempts++;
        item.LastCode = result.Code;
        item.LastError = result.Outcome == TransportOutcome.Sent ? null : result.Text;
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
        message.ServerReply = result.Code is { } code ? $"{code} {result.Text}" : result.Text;
        await db.SaveChangesAsync(ct);
        LogDelivery(item.Id, item.Recipient, item.State, result.Code, result.Text);
        events.Publish(new RecordRef(message.RecordType, message.RecordId), message.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox {Id} to {Recipient}: {State} ({Code} {Text})")]
    private partial void LogDelivery(long id, string recipient, DeliveryState state, int? code, string text);
}
