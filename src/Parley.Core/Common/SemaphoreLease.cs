namespace Parley.Core.Common;

/// <summary>A held <see cref="SemaphoreSlim"/> slot, released once by disposing (a second dispose does nothing).</summary>
internal sealed class SemaphoreLease(SemaphoreSlim gate) : IAsyncDisposable
{
    private int _released;

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            gate.Release();
        }

        return ValueTask.CompletedTask;
    }
}
