using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Deliverability;
using Parley.Smtp.Delivery;

namespace Parley.Core.Outbox;

/// <summary>
/// The outbox as an operator watches it: rows per state (read from the database at each scrape), delivery attempts by
/// what became of the row and the recipient's domain, and how long one SMTP attempt took.
/// </summary>
public sealed class OutboundMetrics
{
    private static readonly DeliveryState[] OutboxStates = [DeliveryState.Queued, DeliveryState.Deferred, DeliveryState.Sent, DeliveryState.Failed];

    private readonly IServiceScopeFactory _scopes;
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _duration;

    public OutboundMetrics(IServiceScopeFactory scopes, IMeterFactory? meters = null)
    {
        _scopes = scopes;
        var meter = ParleyMeter.Create(meters);
        meter.CreateObservableGauge("parley_outbox_depth", CountPerState, description: "Outbox rows (one per recipient) in each state");
        _attempts = meter.CreateCounter<long>("parley_delivery_attempts",
            description: "Delivery attempts, by the row's state after it (sent, deferred, failed) and the recipient's domain");
        _duration = meter.CreateHistogram<double>("parley_delivery_duration", unit: "s",
            description: "Time of one delivery attempt (route, DKIM, SMTP), by outcome (sent, transient, permanent)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] });
    }

    public void Attempted(DeliveryState state, string recipient) => _attempts.Add(1,
        ParleyMeter.Tag("outcome", state),
        ParleyMeter.Tag("domain", EmailAddress.DomainOf(recipient).ToLowerInvariant()));

    public void Delivered(DeliveryOutcome outcome, TimeSpan took) =>
        _duration.Record(took.TotalSeconds, ParleyMeter.Tag("outcome", outcome));

    /// <summary>
    /// At scrape time (the exporter's thread, synchronously): one grouped count. A database that does not answer
    /// leaves the gauge out of this scrape rather than failing it; /readyz says why.
    /// </summary>
    private IEnumerable<Measurement<long>> CountPerState()
    {
        Dictionary<DeliveryState, int> counts;
        try
        {
            using var scope = _scopes.CreateScope();
            counts = scope.ServiceProvider.GetRequiredService<ParleyDbContext>().Outbox.AsNoTracking()
                .GroupBy(o => o.State).Select(g => new { g.Key, Count = g.Count() }).ToDictionary(g => g.Key, g => g.Count);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            return [];
        }
        return OutboxStates.Concat(counts.Keys.Except(OutboxStates))
            .Select(s => new Measurement<long>(counts.GetValueOrDefault(s), ParleyMeter.Tag("state", s)));
    }
}
