namespace Parley.Smtp.Listener.Protocol;

/// <summary>
/// The bytes all sessions together may hold in memory for messages that are arriving
/// (<see cref="SmtpListenerOptions.MaxSpoolMemory"/>); a session that cannot get more writes to its spool file instead.
/// </summary>
internal sealed class SpoolMemoryBudget(long limit)
{
    private long _inUse;
    private long _peak;

    public long InUse => Interlocked.Read(ref _inUse);

    /// <summary>The most ever held at once, for tests and diagnostics.</summary>
    public long Peak => Interlocked.Read(ref _peak);

    public bool TryReserve(long bytes)
    {
        var now = Interlocked.Add(ref _inUse, bytes);
        if (now > limit)
        {
            Interlocked.Add(ref _inUse, -bytes);
            return false;
        }

        for (var peak = Peak; now > peak && Interlocked.CompareExchange(ref _peak, now, peak) != peak; peak = Peak)
        {
        }

        return true;
    }

    public void Release(long bytes) => Interlocked.Add(ref _inUse, -bytes);
}
