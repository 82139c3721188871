using System.Collections.Concurrent;

namespace Parley.Core.Common;

/// <summary>
/// Runs a long-lived async loop on a thread of its own: every continuation of the loop comes back to that thread (its
/// own <see cref="SynchronizationContext"/>) instead of queueing on the thread pool behind the SMTP sessions' work. The
/// inbound router is such a loop: mostly synchronous database and parsing work between a few real waits. Work the loop
/// wants in parallel must ask for it (<see cref="Task.Run(Func{Task})"/>).
/// </summary>
public static class DedicatedThread
{
    /// <summary>Starts <paramref name="loop"/> on a new background thread; the task completes when the loop does.</summary>
    public static Task Run(string name, Func<Task> loop)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var context = new SingleThreadContext();
        var thread = new Thread(() =>
        {
            SynchronizationContext.SetSynchronizationContext(context);
            context.Post(async _ =>
            {
                try
                {
                    await loop();
                    done.TrySetResult();
                }
                catch (OperationCanceledException e)
                {
                    done.TrySetCanceled(e.CancellationToken);
                }
                catch (Exception e)
                {
                    done.TrySetException(e);
                }
                finally
                {
                    context.Complete();
                }
            }, null);
            context.RunUntilComplete();
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }

    private sealed class SingleThreadContext : SynchronizationContext
    {
        private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = [];

        public override void Post(SendOrPostCallback d, object? state)
        {
            try
            {
                _queue.Add((d, state));
            }
            catch (InvalidOperationException)
            {
                // The loop has ended; a late continuation (a timer, a cancelled wait) still runs, on the pool.
                ThreadPool.QueueUserWorkItem(_ => d(state));
            }
        }

        public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException("Post work to the dedicated thread instead.");

        public override SynchronizationContext CreateCopy() => this;

        public void Complete() => _queue.CompleteAdding();

        public void RunUntilComplete()
        {
            foreach (var (callback, state) in _queue.GetConsumingEnumerable())
            {
                callback(state);
            }
        }
    }
}
