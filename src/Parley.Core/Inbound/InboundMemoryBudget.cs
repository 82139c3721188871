namespace Parley.Core.Inbound;

/// <summary>
/// The raw bytes all stores together may hold in memory between reading a message and its commit (<see cref="InboundStore"/>):
/// forty 24 MB messages arriving at once wait their turn here instead of holding a gigabyte. Granted in arrival order;
/// a message larger than the whole budget waits until it is alone.
/// </summary>
public sealed class InboundMemoryBudget(long limit = InboundMemoryBudget.DefaultLimit)
{
    public const long DefaultLimit = 64L * 1024 * 1024;

    private readonly Lock _lock = new();
    private readonly LinkedList<(long Bytes, TaskCompletionSource Granted)> _waiting = new();
    private long _inUse;

    public long InUse
    {
        get
        {
            lock (_lock)
            {
                return _inUse;
            }
        }
    }

    /// <summary>The most ever held at once.</summary>
    public long Peak { get; private set; }

    /// <summary>Waits until <paramref name="bytes"/> fit; dispose the lease once they are no longer held.</summary>
    public async ValueTask<IDisposable> AcquireAsync(long bytes, CancellationToken cancellationToken)
    {
        bytes = Math.Clamp(bytes, 0, limit);
        LinkedListNode<(long Bytes, TaskCompletionSource Granted)> node;
        lock (_lock)
        {
            if (_waiting.Count == 0 && _inUse + bytes <= limit)
            {
                Take(bytes);
                return new Lease(this, bytes);
            }
            node = _waiting.AddLast((bytes, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));
        }
        try
        {
            await node.Value.Granted.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                if (!node.Value.Granted.Task.IsCompleted)
                {
                    _waiting.Remove(node);
                    GrantWaiting(); // the ones behind it may fit now
                    throw;
                }
            }
            Release(bytes); // granted just as it was cancelled
            throw;
        }
        return new Lease(this, bytes);
    }

    private void Take(long bytes)
    {
        _inUse += bytes;
        Peak = Math.Max(Peak, _inUse);
    }

    private void Release(long bytes)
    {
        lock (_lock)
        {
            _inUse -= bytes;
            GrantWaiting();
        }
    }

    private void GrantWaiting()
    {
        while (_waiting.First is { } first && _inUse + first.Value.Bytes <= limit)
        {
            _waiting.RemoveFirst();
            Take(first.Value.Bytes);
            first.Value.Granted.SetResult();
        }
    }

    private sealed class Lease(InboundMemoryBudget budget, long bytes) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                budget.Release(bytes);
            }
        }
    }
}
