using System.Diagnostics.Metrics;
using Parley.Deliverability;

namespace Parley.Core.Fetch;

/// <summary>Mailbox polls (IMAP and POP3, scheduled or "fetch now") and those that failed.</summary>
public sealed class FetchMetrics
{
    private readonly Counter<long> _runs;
    private readonly Counter<long> _failures;

    public FetchMetrics(IMeterFactory? meters = null)
    {
        var meter = ParleyMeter.Create(meters);
        _runs = meter.CreateCounter<long>("parley_fetch_runs", description: "Mailbox polls");
        _failures = meter.CreateCounter<long>("parley_fetch_failures", description: "Mailbox polls that failed (connection, login, protocol)");
    }

    public void Ran(bool ok)
    {
        _runs.Add(1);
        if (!ok)
        {
            _failures.Add(1);
        }
    }
}
