namespace Parley.Core.Common;

/// <summary>
/// Wakes a background loop as soon as there is work, instead of waiting for its next poll. Many
/// notifications before the loop wakes collapse into one: the loop looks for all work anyway.
/// </summary>
public abstract class WorkSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try { _signal.Release(); }
        catch (SemaphoreFullException) { /* already signalled; one wake-up is enough */ }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
