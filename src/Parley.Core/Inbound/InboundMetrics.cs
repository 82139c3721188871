using System.Diagnostics.Metrics;
using Parley.Deliverability;

namespace Parley.Core.Inbound;

/// <summary>
/// Inbound mail: messages stored (by where they came from), what routing made of them (routed to a record or a
/// special inbox, unrouted, bounce, duplicate, loop_limited, failed), and how long they waited between being stored
/// and being routed.
/// </summary>
public sealed class InboundMetrics
{
    private readonly Counter<long> _received;
    private readonly Counter<long> _routed;
    private readonly Histogram<double> _latency;

    public InboundMetrics(IMeterFactory? meters = null)
    {
        var meter = ParleyMeter.Create(meters);
        _received = meter.CreateCounter<long>("parley_inbound_received", description: "Inbound messages stored, by source (smtp, mailgate, fetch)");
        _routed = meter.CreateCounter<long>("parley_inbound_routed", description: "Inbound messages routed, by the status routing gave them");
        _latency = meter.CreateHistogram<double>("parley_inbound_routing_latency", unit: "s", description: "Time from a message being stored to its routing being committed",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });
    }

    public void Received(string source) => _received.Add(1, ParleyMeter.Tag("source", source));

    public void Routed(InboundStatus status, TimeSpan waited)
    {
        var tag = ParleyMeter.Tag("status", StatusName(status));
        _routed.Add(1, tag);
        _latency.Record(Math.Max(0, waited.TotalSeconds), tag);
    }

    private static string StatusName(InboundStatus status) => status switch
    {
        InboundStatus.LoopLimited => "loop_limited",
        _ => status.ToString().ToLowerInvariant(),
    };
}
