using System.Diagnostics.Metrics;
using Parley.Deliverability;

namespace Parley.Smtp.Listener;

/// <summary>The listener's sessions: open now, accepted in all, and connections refused with the reason.</summary>
public sealed class ListenerMetrics
{
    private readonly UpDownCounter<long> _open;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _refused;

    public ListenerMetrics(IMeterFactory? meters = null)
    {
        var meter = ParleyMeter.Create(meters);
        _open = meter.CreateUpDownCounter<long>("parley_smtp_sessions_open", description: "SMTP sessions open on the listener now");
        _accepted = meter.CreateCounter<long>("parley_smtp_sessions", description: "SMTP sessions the listener accepted");
        _refused = meter.CreateCounter<long>("parley_smtp_sessions_refused", description: "SMTP connections refused with 421, by reason");
    }

    public void Opened()
    {
        _accepted.Add(1);
        _open.Add(1);
    }

    public void Closed() => _open.Add(-1);

    /// <param name="reason">per_address_limit, connection_limit.</param>
    public void Refused(string reason) => _refused.Add(1, ParleyMeter.Tag("reason", reason));
}
